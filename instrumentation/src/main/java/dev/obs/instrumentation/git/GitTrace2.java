package dev.obs.instrumentation.git;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Git's own account of a run ({@code GIT_TRACE2_EVENT}): obs points it at a private file, and when the
 * process has exited turns each {@code region_enter}/{@code region_leave} pair into a child span of the
 * {@code git} span (negotiation, index reads, pack writes...), nested as git nested them. Times are git's
 * {@code t_abs} (seconds since the process started) placed on the {@code git} span's start.
 */
public final class GitTrace2 {
    static final String VARIABLE = "GIT_TRACE2_EVENT";
    /** At most this much of a trace is read: a huge run still costs bounded memory. */
    private static final int MAX_BYTES = 4 << 20;
    private static final Pattern FIELD = Pattern.compile("\"([a-z_]+)\":(\"((?:[^\"\\\\]|\\\\.)*)\"|[-0-9.eE+]+)");

    private GitTrace2() {
    }

    /**
     * Points the child's trace2 event target at a new private file, unless the program set one itself.
     *
     * @return the file, or null when trace2 was not requested
     */
    public static Path request(ProcessBuilder builder) {
        try {
            Map<String, String> env = builder.environment();
            if (env.containsKey(VARIABLE)) {
                return null;
            }
            Path file = Files.createTempFile("obs-trace2-", ".jsonl");
            env.put(VARIABLE, file.toString());
            return file;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Reads the trace of a finished run into child spans of {@code gitSpan}, then deletes the file. */
    public static void emitRegions(ObsSpan gitSpan, Path file) {
        try {
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_BYTES);
            }
            emitRegions(gitSpan, new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException ignored) {
            // no trace, no regions
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }

    /** Parses trace2 event lines; visible for tests. */
    public static void emitRegions(ObsSpan gitSpan, String events) {
        Map<String, ArrayDeque<ObsSpan>> open = new HashMap<>();
        long firstEventNanos = Long.MIN_VALUE;
        for (String line : events.split("\n")) {
            Map<String, String> f = fields(line);
            String event = f.get("event");
            long time = epochNanos(f.get("time"));
            if (firstEventNanos == Long.MIN_VALUE && time != Long.MIN_VALUE) {
                firstEventNanos = time;
            }
            if (event == null || !event.startsWith("region_")) {
                continue;
            }
            long sinceStart = time != Long.MIN_VALUE && firstEventNanos != Long.MIN_VALUE ? time - firstEventNanos
                    : (long) (parseDouble(f.get("t_abs")) * 1e9);
            long at = gitSpan.startNanos + sinceStart;
            ArrayDeque<ObsSpan> stack = open.computeIfAbsent(String.valueOf(f.get("thread")), k -> new ArrayDeque<>());
            if (event.equals("region_enter")) {
                ObsSpan parent = stack.isEmpty() ? gitSpan : stack.peek();
                // Not "git ...": regions are parts of a git run, not Git operations of their own.
                String name = f.getOrDefault("category", "region") + " " + f.getOrDefault("label", "");
                ObsSpan region = Recorder.startChildSpanAt(parent, name.trim(), at);
                if (region == null) {
                    return;
                }
                region.setAttribute("git.trace2.category", f.getOrDefault("category", ""));
                region.setAttribute("git.trace2.label", f.getOrDefault("label", ""));
                stack.push(region);
            } else if (event.equals("region_leave") && !stack.isEmpty()) {
                Recorder.endSpanAt(stack.pop(), Math.min(at, gitSpan.endNanos));
            }
        }
    }

    private static Map<String, String> fields(String line) {
        Map<String, String> out = new HashMap<>();
        Matcher m = FIELD.matcher(line);
        while (m.find()) {
            out.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(2));
        }
        return out;
    }

    /** {@code 2026-11-23T12:52:54.040197Z} → nanoseconds since the epoch, or MIN_VALUE. */
    private static long epochNanos(String time) {
        if (time == null) {
            return Long.MIN_VALUE;
        }
        try {
            java.time.Instant i = java.time.Instant.parse(time);
            return i.getEpochSecond() * 1_000_000_000L + i.getNano();
        } catch (RuntimeException e) {
            return Long.MIN_VALUE;
        }
    }

    private static double parseDouble(String s) {
        try {
            return s == null ? 0 : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
