package dev.obs.exporter.store;

import java.util.concurrent.atomic.AtomicLong;

/** What a read met besides data: damaged lines skipped, and how much of the store it read or left out. */
public final class ReadNotes {
    final AtomicLong damagedLines = new AtomicLong();
    final AtomicLong filesRead = new AtomicLong();
    final AtomicLong filesSkipped = new AtomicLong();
    final AtomicLong bytesScanned = new AtomicLong();

    /** Lines that were cut short or are not OTLP-JSON (a JVM killed mid-write): skipped, never counted. */
    public long damagedLines() {
        return damagedLines.get();
    }

    public long filesRead() {
        return filesRead.get();
    }

    /** Files left out unopened because none of their lines can lie in the window. */
    public long filesSkipped() {
        return filesSkipped.get();
    }

    public long bytesScanned() {
        return bytesScanned.get();
    }

    /** The note printed after a command's output, or null when there is nothing to say. */
    public String damagedNote() {
        long n = damagedLines();
        return n == 0 ? null : "note: " + n + " damaged line" + (n == 1 ? "" : "s")
                + " (cut short or not OTLP-JSON) skipped; totals are from the other lines";
    }
}
