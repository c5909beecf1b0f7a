package dev.obs.exporter.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Reads a local store: every {@code metrics-*}/{@code traces-*} file of a directory, from any number of runs
 * and services.
 *
 * <p><b>Metrics windows.</b> Each process writes cumulative points, a full snapshot per line, in time order.
 * What happened in {@code [since, until)} is, per series of each process, its last point before
 * {@code until} minus its last point before {@code since}; processes are then added up. So a window needs two
 * lines per process (one more per chart bucket), found by a byte search for each line's time: only those lines
 * are parsed. Files last written before the window are not opened, except the one holding a run's last line
 * before it, which is read from its end. A line cut short is counted in {@link #notes} and left out.
 */
public final class StoreReader {
    private final Path dir;
    private final List<StoreFile> files;
    private final ReadNotes notes = new ReadNotes();

    private StoreReader(Path dir, List<StoreFile> files) {
        this.dir = dir;
        this.files = files;
    }

    /** Fails with a one-line message when the directory does not exist or holds no store file. */
    public static StoreReader open(Path dir) throws StoreException {
        if (!Files.isDirectory(dir)) {
            throw new StoreException("no store at " + dir + " (the directory does not exist; set --store, "
                    + "obs.store.dir or OBS_STORE_DIR)");
        }
        List<StoreFile> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.jsonl")) {
            for (Path p : stream) {
                StoreFile f = StoreFile.of(p);
                if (f != null && f.size() > 0) {
                    files.add(f);
                }
            }
        } catch (IOException e) {
            throw new StoreException("cannot read the store " + dir + ": " + e.getMessage());
        }
        if (files.isEmpty()) {
            throw new StoreException("the store " + dir + " is empty (no metrics-*.jsonl or traces-*.jsonl file)");
        }
        files.sort(Comparator.comparing(StoreFile::run).thenComparingInt(StoreFile::sequence));
        return new StoreReader(dir, files);
    }

    public Path dir() {
        return dir;
    }

    public List<StoreFile> files() {
        return files;
    }

    public ReadNotes notes() {
        return notes;
    }

    /** The window's totals per series (no chart buckets). */
    public MetricsWindow metrics(TimeWindow window, long nowNanos) {
        return metrics(window, nowNanos, 0);
    }

    /**
     * The window's totals per series and, when {@code buckets > 0}, the same per equal time bucket (for
     * charts). An open end is {@code nowNanos} for rates and buckets; an open start is the first record.
     */
    public MetricsWindow metrics(TimeWindow window, long nowNanos, int buckets) {
        Map<String, List<StoreFile>> runs = byRun("metrics");
        long since = window.sinceNanos();
        long until = window.openEnd() ? Long.MAX_VALUE : window.untilNanos();
        long first = since;
        long end = window.openEnd() ? nowNanos : window.untilNanos();
        if (window.openStart()) {
            // the whole store: from the first agent's start to, when the end is open too, the last record
            long earliest = Long.MAX_VALUE;
            long latest = Long.MIN_VALUE;
            for (List<StoreFile> run : runs.values()) {
                long[] bounds = runBounds(run);
                earliest = Math.min(earliest, bounds[0]);
                latest = Math.max(latest, bounds[1]);
            }
            first = earliest == Long.MAX_VALUE ? nowNanos : earliest;
            if (window.openEnd() && latest > first) {
                end = latest;
            }
        }
        end = Math.max(end, first + 1);
        // boundary 0 is the window's start, boundary k the end of bucket k; the last is the window's end
        int k = Math.max(1, buckets);
        long[] boundaries = new long[k + 1];
        boundaries[0] = since;
        for (int i = 1; i < k; i++) {
            boundaries[i] = first + (end - first) / k * i;
        }
        boundaries[k] = until;
        List<RunWindow> perRun = runs.values().parallelStream()
                .map(list -> scanRun(list, window, boundaries))
                .filter(r -> r != null)
                .toList();
        return MetricsWindow.of(window, first, end, buckets, boundaries, perRun);
    }

    /**
     * When a run's agent started (the start time of its first point) and its last record's time, each read
     * from one line; the file name's start when a line gives none.
     */
    private long[] runBounds(List<StoreFile> run) {
        StoreFile firstFile = run.get(0);
        StoreFile lastFile = run.get(run.size() - 1);
        long start = firstFile.runStartMillis() >= 0 ? firstFile.runStartMillis() * 1_000_000
                : firstFile.lastModifiedMillis() * 1_000_000;
        long last = lastFile.lastModifiedMillis() * 1_000_000;
        try {
            long[] firstStart = {-1};
            JsonLines.forEach(firstFile.path(), (buf, off, len) -> {
                firstStart[0] = JsonLines.firstStart(buf, off, len);
                return false;
            });
            if (firstStart[0] > 0) {
                start = firstStart[0];
            }
            byte[] line = JsonLines.lastLine(lastFile.path());
            long t = line == null || !JsonLines.looksWhole(line, 0, line.length) ? -1
                    : JsonLines.metricsTime(line, 0, line.length);
            if (t < 0) {
                // the last line was cut short: the last whole one, read from the start (rare; the file is bounded)
                long[] lastWhole = {-1};
                JsonLines.forEach(lastFile.path(), (buf, off, len) -> {
                    if (JsonLines.looksWhole(buf, off, len)) {
                        long lineTime = JsonLines.metricsTime(buf, off, len);
                        if (lineTime > 0) {
                            lastWhole[0] = lineTime;
                        }
                    }
                    return true;
                });
                t = lastWhole[0];
            }
            if (t > 0) {
                last = t;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new long[] {start, last};
    }

    /** Snapshots of one process at each boundary (index 0: the last before the window), null where none. */
    record RunWindow(String run, MetricsSnapshot[] atBoundary, MetricsSnapshot firstInWindow) {
    }

    private RunWindow scanRun(List<StoreFile> runFiles, TimeWindow window, long[] boundaries) {
        int firstOverlap = -1;
        for (int i = 0; i < runFiles.size(); i++) {
            if (runFiles.get(i).mayOverlap(window)) {
                firstOverlap = i;
                break;
            }
        }
        if (firstOverlap < 0) {
            notes.filesSkipped.addAndGet(runFiles.size());
            return null;
        }
        byte[][] slots = new byte[boundaries.length + 1][];
        try {
            if (firstOverlap > 0) {
                StoreFile before = runFiles.get(firstOverlap - 1);
                notes.filesSkipped.addAndGet(firstOverlap - 1);
                notes.filesRead.incrementAndGet();
                byte[] last = JsonLines.lastLine(before.path());
                long t = last == null || !JsonLines.looksWhole(last, 0, last.length) ? -1
                        : JsonLines.metricsTime(last, 0, last.length);
                if (t >= 0 && t < boundaries[0]) {
                    slots[0] = last;
                } else {
                    // cut short, or (clocks) not before the window after all: read the file line by line
                    scanFile(before, boundaries, slots);
                }
            }
            for (int i = firstOverlap; i < runFiles.size(); i++) {
                StoreFile f = runFiles.get(i);
                if (!f.mayOverlap(window)) {
                    notes.filesSkipped.incrementAndGet();
                    continue;
                }
                notes.filesRead.incrementAndGet();
                if (!scanFile(f, boundaries, slots)) {
                    notes.filesSkipped.addAndGet(runFiles.size() - i - 1);
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MetricsSnapshot[] snapshots = new MetricsSnapshot[boundaries.length];
        MetricsSnapshot previous = null;
        for (int i = 0; i < boundaries.length; i++) {
            MetricsSnapshot s = null;
            if (slots[i] != null) {
                try {
                    List<MetricsSnapshot> parsed = OtlpJsonReader.readMetrics(slots[i], 0, slots[i].length);
                    s = parsed.isEmpty() ? null : parsed.get(0);
                } catch (IOException | RuntimeException e) {
                    notes.damagedLines.incrementAndGet();
                }
            }
            snapshots[i] = s != null ? s : previous;
            previous = snapshots[i];
        }
        MetricsSnapshot first = null;
        byte[] firstLine = slots[boundaries.length];
        if (firstLine != null) {
            try {
                List<MetricsSnapshot> parsed = OtlpJsonReader.readMetrics(firstLine, 0, firstLine.length);
                first = parsed.isEmpty() ? null : parsed.get(0);
            } catch (IOException | RuntimeException e) {
                // counted when its slot was parsed, if it was the last of one; a gauge view then has less
            }
        }
        return new RunWindow(runFiles.get(0).run(), snapshots, first);
    }

    /**
     * Files each line in the slot of the first boundary it lies before. Returns false once a line at or after
     * the last boundary is seen (the rest of the run is later still).
     */
    private boolean scanFile(StoreFile f, long[] boundaries, byte[][] slots) throws IOException {
        boolean[] more = {true};
        notes.bytesScanned.addAndGet(f.size());
        JsonLines.forEach(f.path(), (buf, off, len) -> {
            if (!JsonLines.looksWhole(buf, off, len)) {
                notes.damagedLines.incrementAndGet();
                return true;
            }
            long t = JsonLines.metricsTime(buf, off, len);
            if (t < 0) {
                notes.damagedLines.incrementAndGet();
                return true;
            }
            int slot = slotOf(boundaries, t);
            if (slot < 0) {
                more[0] = false;
                return false;
            }
            if (slot > 0 && slots[boundaries.length] == null) {
                slots[boundaries.length] = Arrays.copyOfRange(buf, off, off + len);
            }
            byte[] copy = slots[slot];
            if (copy == null || copy.length != len) {
                copy = new byte[len];
            }
            System.arraycopy(buf, off, copy, 0, len);
            slots[slot] = copy;
            return true;
        });
        return more[0];
    }

    /** The first boundary after {@code t}, or -1 when {@code t} is at or past the last one. */
    private static int slotOf(long[] boundaries, long t) {
        for (int i = 0; i < boundaries.length; i++) {
            if (t < boundaries[i]) {
                return i;
            }
        }
        return -1;
    }

    /** Every span that started in the window, grouped by trace. */
    public TraceSet traces(TimeWindow window) {
        List<SpanRecord> spans = new ArrayList<>();
        for (StoreFile f : files) {
            if (!f.signal().equals("traces")) {
                continue;
            }
            if (!f.mayOverlap(window)) {
                notes.filesSkipped.incrementAndGet();
                continue;
            }
            readSpans(f, null, s -> {
                if (window.contains(s.startNanos())) {
                    spans.add(s);
                }
            });
        }
        return new TraceSet(spans);
    }

    /** The spans of one trace (id in hex, any case), from the whole store; empty when none. */
    public List<SpanRecord> trace(String traceId) {
        String id = traceId.toLowerCase(java.util.Locale.ROOT);
        byte[] needle = ("\"traceId\":\"" + id + "\"").getBytes(StandardCharsets.US_ASCII);
        List<SpanRecord> spans = new ArrayList<>();
        for (StoreFile f : files) {
            if (f.signal().equals("traces")) {
                readSpans(f, needle, s -> {
                    if (s.traceId().equals(id)) {
                        spans.add(s);
                    }
                });
            }
        }
        spans.sort(Comparator.comparingLong(SpanRecord::startNanos));
        return spans;
    }

    /** Every whole line of {@code signal} whose (first) time lies in the window, file by file (for replay). */
    public void forEachLine(String signal, TimeWindow window, LineSink sink) throws IOException {
        for (StoreFile f : files) {
            if (!f.signal().equals(signal)) {
                continue;
            }
            if (!f.mayOverlap(window)) {
                notes.filesSkipped.incrementAndGet();
                continue;
            }
            notes.filesRead.incrementAndGet();
            notes.bytesScanned.addAndGet(f.size());
            JsonLines.forEach(f.path(), (buf, off, len) -> {
                if (!JsonLines.looksWhole(buf, off, len)) {
                    notes.damagedLines.incrementAndGet();
                    return true;
                }
                long t = signal.equals("metrics") ? JsonLines.metricsTime(buf, off, len)
                        : JsonLines.firstStart(buf, off, len);
                if (t >= 0 && !window.contains(t)) {
                    return true;
                }
                sink.line(buf, off, len);
                return true;
            });
        }
    }

    /** Receives one stored line (the bytes are reused after the call). */
    public interface LineSink {
        void line(byte[] buf, int off, int len) throws IOException;
    }

    private void readSpans(StoreFile f, byte[] needle, Consumer<SpanRecord> sink) {
        notes.filesRead.incrementAndGet();
        notes.bytesScanned.addAndGet(f.size());
        try {
            JsonLines.forEach(f.path(), (buf, off, len) -> {
                if (needle != null && !JsonLines.contains(buf, off, len, needle)) {
                    return true;
                }
                if (!JsonLines.looksWhole(buf, off, len)) {
                    notes.damagedLines.incrementAndGet();
                    return true;
                }
                List<SpanRecord> line = new ArrayList<>();
                try {
                    OtlpJsonReader.readSpans(buf, off, len, line::add);
                } catch (IOException | RuntimeException e) {
                    notes.damagedLines.incrementAndGet();
                    return true;
                }
                line.forEach(sink);
                return true;
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, List<StoreFile>> byRun(String signal) {
        Map<String, List<StoreFile>> runs = new TreeMap<>();
        for (StoreFile f : files) {
            if (f.signal().equals(signal)) {
                runs.computeIfAbsent(f.run(), k -> new ArrayList<>()).add(f);
            }
        }
        return new LinkedHashMap<>(runs);
    }
}
