package dev.obs.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code obs metrics --since 1h} on a large store: generates stores of realistic metrics lines (the agent's
 * OTLP-JSON, about 30 KiB a line: a resource, git/method/fs histograms, fs counters, obs's self-metrics, all
 * cumulative and growing) in files rotated at 16 MiB and named as the agent names them, then times the command
 * as a separate process ({@code java -jar obs.jar}). Two stores of {@code --size} bytes each:
 * <ul>
 *   <li>{@code day}: four processes one after another in parallel pairs over the last 24 h, a line every 10 s;
 *       the window holds about 1/24 of it, the rest must be skipped unread;</li>
 *   <li>{@code hour}: the same bytes all written in the last hour: everything lies in the window (worst case).</li>
 * </ul>
 * Target: each at most {@code --target} (10 s) on 2 cores; the MB/s of bytes scanned show it linear in the size
 * read. Stores are kept under {@code --dir} and reused for 20 minutes (their lines carry their times).
 *
 * <pre>
 *   java -Dobs.jar=agent/target/obs.jar -cp integration-tests/target/benchmarks.jar dev.obs.bench.StoreReadBenchmark \
 *        [--size 1g] [--runs 3] [--target 10s] [--dir integration-tests/target/bench-store]
 * </pre>
 */
public final class StoreReadBenchmark {
    private static final long ROTATE = 16L << 20;

    private StoreReadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    private static int run(String[] args) throws Exception {
        long size = 1L << 30;
        int runs = 3;
        double targetSeconds = 10;
        Path dir = Path.of("integration-tests/target/bench-store");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--size" -> size = parseSize(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--target" -> targetSeconds = Double.parseDouble(args[++i].replace("s", ""));
                case "--dir" -> dir = Path.of(args[++i]);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    return 2;
                }
            }
        }
        String jar = Bench.agentJar();
        if (jar == null) {
            return 2;
        }
        long now = System.currentTimeMillis();
        Path day = generate(dir.resolve("day-" + size), size, now, 24 * 3600_000L);
        Path hour = generate(dir.resolve("hour-" + size), size, now, 3600_000L);
        List<String> rows = new ArrayList<>();
        boolean pass = true;
        for (Path store : List.of(day, hour)) {
            long bytes = storeBytes(store);
            double[] seconds = new double[runs];
            String last = "";
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                Process p = new ProcessBuilder("java", "-jar", jar, "metrics", "--since", "1h", "--json", "--store",
                        store.toString()).redirectErrorStream(true).start();
                last = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                    System.err.println("obs metrics failed on " + store + ":\n" + last);
                    return 2;
                }
                seconds[r] = (System.nanoTime() - t0) / 1e9;
            }
            Arrays.sort(seconds);
            double median = seconds[runs / 2];
            boolean ok = median <= targetSeconds;
            pass &= ok;
            String name = store.getFileName().toString().startsWith("day") ? "day (1/24 in window)" : "hour (all in window)";
            rows.add(String.format(Locale.ROOT, "  %-22s %8.0f MiB  %7.2f s  %s", name, bytes / 1048576.0, median,
                    ok ? "PASS" : "FAIL"));
            if (!last.contains("\"Repo.sync\"")) {
                System.err.println("unexpected output on " + store + ":\n" + last);
                return 2;
            }
        }
        System.out.println("== store: obs metrics --since 1h --json, median of " + runs + " runs (target <= "
                + targetSeconds + " s)");
        System.out.println(String.format(Locale.ROOT, "  %-22s %12s  %9s", "store", "size", "time"));
        rows.forEach(System.out::println);
        System.out.println(pass ? "PASS" : "FAIL");
        return pass ? 0 : 1;
    }

    private static long storeBytes(Path store) throws IOException {
        try (var files = Files.list(store)) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /**
     * A store of about {@code size} bytes whose lines end at {@code endMillis} and span {@code spanMillis}: four
     * processes (two services), two at a time, each exporting every {@code interval}.
     */
    private static Path generate(Path dir, long size, long endMillis, long spanMillis) throws IOException {
        Path marker = dir.resolve(".complete");
        if (Files.exists(marker)) {
            // lines carry their times: a store stays valid for a while, then the window has moved past it
            long written = Long.parseLong(Files.readString(marker).trim());
            if (endMillis - written < 20 * 60_000L) {
                System.out.println("bench: reusing " + dir + " (generated " + (endMillis - written) / 1000 + " s ago)");
                return dir;
            }
        }
        if (Files.exists(dir)) {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
        }
        Files.createDirectories(dir);
        int lineBytes = line(0, 0, 0, 1).length;
        long lines = size / lineBytes;
        int processes = 4;
        long perProcess = lines / processes;
        long halfSpan = spanMillis / 2;
        long interval = Math.max(1, halfSpan / Math.max(1, perProcess)); // two at a time: each covers half the span
        for (int p = 0; p < processes; p++) {
            long start = endMillis - spanMillis + (p / 2) * halfSpan;
            int pid = 1000 + p;
            String runStart = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC)
                    .format(Instant.ofEpochMilli(start));
            int seq = 0;
            long inFile = ROTATE;
            OutputStream out = null;
            Path file = null;
            long lastTime = start;
            for (long i = 0; i < perProcess; i++) {
                long t = start + i * interval;
                byte[] line = line(start * 1_000_000L, t * 1_000_000L, i, p % 2);
                if (inFile + line.length > ROTATE) {
                    if (out != null) {
                        out.close();
                        Files.setLastModifiedTime(file, FileTime.fromMillis(lastTime));
                    }
                    seq++;
                    file = dir.resolve(String.format("metrics-%s-%d-%04d.jsonl", runStart, pid, seq));
                    out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
                    inFile = 0;
                }
                out.write(line);
                inFile += line.length;
                lastTime = t;
            }
            if (out != null) {
                out.close();
                Files.setLastModifiedTime(file, FileTime.fromMillis(lastTime));
            }
        }
        Files.writeString(marker, String.valueOf(endMillis));
        return dir;
    }

    /** One metrics line: cumulative values after {@code round} exports. */
    private static byte[] line(long startNanos, long timeNanos, long round, int service) {
        StringBuilder sb = new StringBuilder(32 * 1024);
        sb.append("{\"resourceMetrics\":[{\"resource\":{\"attributes\":[");
        attr(sb, "host.name", "build-agent-7").append(',');
        attr(sb, "process.command_args", "/usr/lib/jvm/java-17-openjdk-amd64/bin/java -javaagent:/opt/obs/obs.jar "
                + "-Dotel.service.name=svc -cp /opt/app/app.jar com.acme.Main --repos=/srv/repos").append(',');
        sb.append("{\"key\":\"process.pid\",\"value\":{\"intValue\":\"").append(4242 + service).append("\"}},");
        attr(sb, "process.runtime.name", "OpenJDK Runtime Environment").append(',');
        attr(sb, "service.name", service == 0 ? "builder" : "indexer").append(',');
        attr(sb, "telemetry.distro.name", "obs").append(',');
        attr(sb, "telemetry.sdk.version", "1.63.0");
        sb.append("]},\"scopeMetrics\":[{\"scope\":{\"name\":\"dev.obs\",\"version\":\"0.1.0\",\"attributes\":[]},"
                + "\"metrics\":[");
        String[] gitOps = {"clone", "fetch", "pull", "push", "commit", "add", "status", "log", "checkout", "merge"};
        sb.append("{\"name\":\"git.operation.duration\",\"description\":\"Duration of Git operations\",\"unit\":\"s\","
                + "\"histogram\":{\"dataPoints\":[");
        for (int i = 0; i < gitOps.length; i++) {
            histogram(sb, startNanos, timeNanos, round * (i + 1), new String[] {"git.client", "git.operation",
                    "git.outcome"}, new String[] {"jgit", gitOps[i], "success"}).append(i < gitOps.length - 1 ? "," : "");
        }
        sb.append("],\"aggregationTemporality\":2}},");
        sb.append("{\"name\":\"obs.method.duration\",\"description\":\"Duration of configured method calls\","
                + "\"unit\":\"s\",\"histogram\":{\"dataPoints\":[");
        for (int i = 0; i < 24; i++) {
            histogram(sb, startNanos, timeNanos, round * 3, new String[] {"code.function", "code.namespace"},
                    new String[] {i == 0 ? "sync" : "method" + i, "com.acme." + (i == 0 ? "Repo" : "Service" + i % 5)})
                    .append(i < 23 ? "," : "");
        }
        sb.append("],\"aggregationTemporality\":2}},");
        String[] fsOps = {"read", "write", "open", "delete", "list", "mkdir", "move", "copy", "force", "create"};
        sb.append("{\"name\":\"fs.operation.duration\",\"description\":\"Sampled\",\"unit\":\"s\",\"histogram\":"
                + "{\"dataPoints\":[");
        for (int i = 0; i < fsOps.length; i++) {
            histogram(sb, startNanos, timeNanos, round, new String[] {"file.group", "fs.operation"},
                    new String[] {"repos", fsOps[i]}).append(i < fsOps.length - 1 ? "," : "");
        }
        sb.append("],\"aggregationTemporality\":2}},");
        sb.append("{\"name\":\"fs.operations\",\"description\":\"File operations\",\"unit\":\"{operation}\",\"sum\":"
                + "{\"dataPoints\":[");
        String[] groups = {"repos", "jvm", "other"};
        for (int g = 0; g < groups.length; g++) {
            for (int i = 0; i < fsOps.length; i++) {
                sum(sb, startNanos, timeNanos, round * 64 * (i + 1), new String[] {"file.group", "fs.operation"},
                        new String[] {groups[g], fsOps[i]}).append(g == groups.length - 1 && i == fsOps.length - 1 ? "" : ",");
            }
        }
        sb.append("],\"aggregationTemporality\":2,\"isMonotonic\":true}},");
        sb.append("{\"name\":\"obs.records.accepted\",\"description\":\"Records the recorder accepted\",\"unit\":"
                + "\"{record}\",\"sum\":{\"dataPoints\":[");
        sum(sb, startNanos, timeNanos, round * 90, new String[] {"signal"}, new String[] {"spans"});
        sb.append("],\"aggregationTemporality\":2,\"isMonotonic\":true}}");
        sb.append("]}]}]}\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static StringBuilder attr(StringBuilder sb, String key, String value) {
        return sb.append("{\"key\":\"").append(key).append("\",\"value\":{\"stringValue\":\"").append(value)
                .append("\"}}");
    }

    private static StringBuilder attrs(StringBuilder sb, String[] keys, String[] values) {
        sb.append("\"attributes\":[");
        for (int i = 0; i < keys.length; i++) {
            attr(sb, keys[i], values[i]).append(i < keys.length - 1 ? "," : "");
        }
        return sb.append(']');
    }

    private static StringBuilder sum(StringBuilder sb, long start, long time, long value, String[] keys,
                                     String[] values) {
        sb.append("{\"startTimeUnixNano\":\"").append(start).append("\",\"timeUnixNano\":\"").append(time)
                .append("\",\"asInt\":\"").append(value).append("\",\"exemplars\":[],");
        return attrs(sb, keys, values).append('}');
    }

    private static StringBuilder histogram(StringBuilder sb, long start, long time, long count, String[] keys,
                                           String[] values) {
        long[] buckets = new long[22];
        buckets[9] = count / 2;
        buckets[10] = count - count / 2;
        sb.append("{\"startTimeUnixNano\":\"").append(start).append("\",\"timeUnixNano\":\"").append(time)
                .append("\",\"count\":\"").append(count).append("\",\"sum\":").append(count * 0.004)
                .append(",\"min\":0.0021,\"max\":0.0093,\"bucketCounts\":[");
        for (int i = 0; i < buckets.length; i++) {
            sb.append('"').append(buckets[i]).append('"').append(i < buckets.length - 1 ? "," : "");
        }
        sb.append("],\"explicitBounds\":[1.0E-6,5.0E-6,1.0E-5,2.5E-5,5.0E-5,1.0E-4,2.5E-4,5.0E-4,0.001,0.0025,0.005,"
                + "0.01,0.025,0.05,0.1,0.25,0.5,1.0,2.5,5.0,10.0],\"exemplars\":[],");
        return attrs(sb, keys, values).append('}');
    }

    private static long parseSize(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        long mult = 1;
        if (t.endsWith("g")) {
            mult = 1L << 30;
        } else if (t.endsWith("m")) {
            mult = 1L << 20;
        } else if (t.endsWith("k")) {
            mult = 1L << 10;
        }
        if (mult > 1) {
            t = t.substring(0, t.length() - 1);
        }
        return (long) (Double.parseDouble(t) * mult);
    }
}
