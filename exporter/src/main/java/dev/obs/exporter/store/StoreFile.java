package dev.obs.exporter.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One file of the store. The agent names its files {@code <signal>-<yyyyMMdd-HHmmss>-<pid>-<sequence>.jsonl}
 * (the run's start in UTC): the name tells which process wrote it and from when, so a reader can leave out a
 * file without opening it. A file of another name (a Collector's file exporter) is its own run, with no
 * known start.
 */
public record StoreFile(Path path, String signal, String run, long runStartMillis, int sequence,
                        long lastModifiedMillis, long size) {
    private static final Pattern NAME = Pattern.compile("(traces|metrics|logs)-((\\d{8}-\\d{6})-\\d+)-(\\d+)\\.jsonl");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** Null when the name is not a store file's. */
    static StoreFile of(Path path) throws IOException {
        String name = path.getFileName().toString();
        long modified = Files.getLastModifiedTime(path).toMillis();
        long size = Files.size(path);
        Matcher m = NAME.matcher(name);
        if (m.matches()) {
            long start;
            try {
                start = LocalDateTime.parse(m.group(3), STAMP).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException e) {
                start = -1;
            }
            return new StoreFile(path, m.group(1), m.group(2), start, Integer.parseInt(m.group(4)), modified, size);
        }
        if (name.endsWith(".jsonl") && (name.startsWith("traces") || name.startsWith("metrics"))) {
            return new StoreFile(path, name.startsWith("traces") ? "traces" : "metrics", name, -1, 0, modified, size);
        }
        return null;
    }

    /**
     * False when no line of this file can lie in the window: it was last written before the window starts,
     * or its run started after the window ends. The start is whole seconds, so it is compared a second late.
     */
    boolean mayOverlap(TimeWindow w) {
        long sinceMillis = w.sinceNanos() / 1_000_000;
        if (lastModifiedMillis < sinceMillis) {
            return false;
        }
        return runStartMillis < 0 || w.openEnd() || runStartMillis <= w.untilNanos() / 1_000_000 + 1000;
    }
}
