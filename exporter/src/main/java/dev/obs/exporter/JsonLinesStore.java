package dev.obs.exporter;

import io.opentelemetry.exporter.internal.marshal.Marshaler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The local store: OTLP-JSON lines, one {@code Export*ServiceRequest} per line (the OpenTelemetry
 * Collector file exporter's format), in {@code traces-*.jsonl} and {@code metrics-*.jsonl}. A file is
 * rotated when it would pass the size limit, and the oldest files of the directory are deleted while
 * all of them together pass the total limit. Written by the exporter thread only.
 */
final class JsonLinesStore {
    /**
     * UTC: the local time would have obs fix the JVM's default time zone (TimeZone.getDefault caches it) before
     * a program that sets {@code user.timezone} in main.
     */
    private static final String RUN_ID = runId(LocalDateTime.now(ZoneOffset.UTC), ResourceFactory.pid());

    private final Path dir;
    private final String prefix;
    private final long maxFileBytes;
    private final long maxTotalBytes;
    private OutputStream out;
    private long written;
    private int sequence;

    JsonLinesStore(Path dir, String prefix, long maxFileBytes, long maxTotalBytes) {
        this.dir = dir;
        this.prefix = prefix;
        this.maxFileBytes = maxFileBytes;
        this.maxTotalBytes = maxTotalBytes;
    }

    /** Appends one request as a JSON line. */
    synchronized void append(Marshaler request) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
        request.writeJsonTo(line);
        line.write('\n');
        if (out == null || written + line.size() > maxFileBytes) {
            rotate();
        }
        line.writeTo(out);
        out.flush();
        written += line.size();
    }

    synchronized void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }

    private void rotate() throws IOException {
        close();
        Files.createDirectories(dir);
        sequence++;
        Path file = dir.resolve(fileName(prefix, RUN_ID, sequence));
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        written = 0;
        enforceTotal(file);
    }

    /**
     * {@code yyyyMMdd-HHmmss-<pid>} of {@code utc} (a year of four digits): written by hand, as the store opens in
     * every run of the default exporter, at the program's start: DateTimeFormatter's classes and
     * {@code ProcessHandle}'s (whose initialisation starts its reaper's machinery) cost milliseconds there.
     */
    static String runId(LocalDateTime utc, long pid) {
        StringBuilder b = new StringBuilder(32);
        padded(b, utc.getYear(), 4);
        padded(b, utc.getMonthValue(), 2);
        padded(b, utc.getDayOfMonth(), 2);
        b.append('-');
        padded(b, utc.getHour(), 2);
        padded(b, utc.getMinute(), 2);
        padded(b, utc.getSecond(), 2);
        return b.append('-').append(pid).toString();
    }

    /** {@code <prefix>-<run id>-<sequence, at least four digits>.jsonl}, as {@code %s-%s-%04d.jsonl} formats it. */
    static String fileName(String prefix, String runId, int sequence) {
        StringBuilder b = new StringBuilder(prefix.length() + runId.length() + 12);
        b.append(prefix).append('-').append(runId).append('-');
        padded(b, sequence, 4);
        return b.append(".jsonl").toString();
    }

    /** {@code value} (not negative) with zeros in front to {@code digits} digits; more digits stay. */
    private static void padded(StringBuilder b, int value, int digits) {
        String v = Integer.toString(value);
        for (int i = v.length(); i < digits; i++) {
            b.append('0');
        }
        b.append(v);
    }

    private void enforceTotal(Path current) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "{traces,metrics}-*.jsonl")) {
            for (Path p : stream) {
                files.add(p);
            }
        }
        files.sort(Comparator.comparing(JsonLinesStore::modified).thenComparing(Path::toString));
        long total = 0;
        for (Path p : files) {
            total += Files.size(p);
        }
        for (Path p : files) {
            if (total + maxFileBytes <= maxTotalBytes) {
                break;
            }
            if (!p.equals(current)) {
                total -= Files.size(p);
                Files.deleteIfExists(p);
            }
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
