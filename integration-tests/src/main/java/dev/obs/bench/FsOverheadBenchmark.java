package dev.obs.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * What obs costs a file-heavy program, next to JFR recording every file read and write
 * ({@code scripts/bench.sh fsworkload}): {@link FsWorkload} (write then read 100 000 files of 4 KiB) runs in
 * child JVMs in three variants, in one run:
 * <ul>
 *   <li><b>no agent</b>;</li>
 *   <li><b>obs</b>: {@code -javaagent:obs.jar}, every family on, exporting over OTLP/HTTP to a receiver in
 *       this JVM (JDK {@link HttpServer} on 127.0.0.1), which decodes the metrics: the realistic setup, the
 *       exporter thread and the exit-time flush run as they would against a collector. The workload's
 *       directory is a path group ({@code obs.fs.groups=bench=<dir>/**}) and after every obs run the
 *       benchmark checks that obs counted every call and byte of the timed part exactly ({@code fs.operations}
 *       write = files, read = 2 × files, open = 2 × files; {@code fs.io.bytes} = files × size each way);</li>
 *   <li><b>JFR</b>: {@code -XX:StartFlightRecording:filename=<tmp>.jfr,jdk.FileRead#threshold=0ms,jdk.FileWrite#threshold=0ms}
 *       (JFR's default settings with every file read and write recorded, stack traces included, as the
 *       default settings have them; on JDK 25 and later also {@code jdk.FileRead#throttle=off} and
 *       {@code jdk.FileWrite#throttle=off}, since their default settings throttle file events to 100/s); after every JFR run the benchmark reads the recording
 *       ({@link RecordingFile}) and checks it holds a {@code jdk.FileWrite} event for every timed write and a
 *       {@code jdk.FileRead} for every timed read (events whose path is in the workload's data directory).</li>
 * </ul>
 * One untimed warm-up triple, then {@code --rounds} rounds; the order of the three rotates every round
 * (none/obs/JFR, obs/JFR/none, JFR/none/obs, ...) so drift and page-cache or write-back state hit every
 * variant in every position. Each child reports {@code WORKLOAD_NANOS} (the timed writes and reads only: JVM
 * start-up, JFR's and obs's start-up and their exit-time dumps or flushes excluded).
 *
 * <p>Judged: the median of the per-round ratios obs / no agent against {@code --target} (1.05), and the median
 * of the per-round ratios obs / JFR below 1. Reported: medians of workload time, its phases and CPU time,
 * each variant's median ratio against no agent. Exit status 0 PASS, 1 FAIL, 2 a child failed or a check of
 * what obs or JFR recorded failed.
 *
 * <pre>
 *   java -Dobs.jar=agent/target/obs.jar -cp integration-tests/target/benchmarks.jar \
 *        dev.obs.bench.FsOverheadBenchmark [--dir /dev/shm] [--rounds 6] [--warmup 1] [--target 1.05] [--files 100000] \
 *        [--size 4096] [-- extra JVM args for the obs child]
 * </pre>
 * OBS_ARGS (environment, space separated) adds JVM flags to the obs child.
 */
public final class FsOverheadBenchmark {
    private static final String[] VARIANTS = {"no agent", "obs", "JFR"};
    private static final int NONE = 0;
    private static final int OBS = 1;
    private static final int JFR = 2;

    /** Latest cumulative value of each fs metric series the receiver got, keyed "metric op/dir group". */
    private final Map<String, Long> series = new ConcurrentHashMap<>();
    private final AtomicLong metricRequests = new AtomicLong();
    private final AtomicLong traceRequests = new AtomicLong();
    private final AtomicLong spans = new AtomicLong();
    private final AtomicLong badRequests = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();

    /** One child JVM's figures. */
    record Run(long workloadNanos, long cpuNanos, long wallNanos, Map<String, Long> phases, String check) {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    /** {@code --dir}: where the files go (default the temp dir; {@code /dev/shm} takes the disk out). */
    private static Path workParent;

    static int run(String[] args) throws Exception {
        BenchOptions o = BenchOptions.parse(args, "--dir", "--rounds", "--warmup", "--target", "--files", "--size");
        if (o == null) {
            return 2;
        }
        if (o.text("--dir", null) != null) {
            workParent = Path.of(o.text("--dir", null));
        }
        int rounds = o.integer("--rounds", 6);
        int warmup = o.integer("--warmup", 1);
        double target = o.decimal("--target", 1.05);
        int files = o.integer("--files", FsWorkload.DEFAULT_FILES);
        int size = o.integer("--size", FsWorkload.DEFAULT_SIZE);
        List<String> extra = o.extra;
        if (rounds < 1 || files < 1 || size < 1) {
            System.err.println("--rounds, --files and --size must be >= 1");
            return 2;
        }
        String agentJar = Bench.agentJar();
        if (agentJar == null) {
            return 2;
        }
        return new FsOverheadBenchmark().measure(agentJar, rounds, warmup, target, files, size, extra);
    }

    private int measure(String agentJar, int rounds, int warmup, double target, int files, int size,
                        List<String> extra) throws Exception {
        double loadBefore = Bench.loadAverage();
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = LocalHttpServer.create(2);
        server.createContext("/", this::handle);
        server.start();
        String endpoint = LocalHttpServer.endpoint(server);
        Path work = workParent == null ? Files.createTempDirectory("obs-fs-overhead")
                : Files.createTempDirectory(workParent, "obs-fs-overhead");
        Path root = work.resolve("workload");
        Path recording = work.resolve("recording.jfr");
        try {
            String java = Bench.javaLauncher();
            String classpath = Bench.benchmarksClasspath();
            List<String> tail = List.of("-cp", classpath, FsWorkload.class.getName(), root.toString(),
                    Integer.toString(files), Integer.toString(size));
            List<List<String>> cmds = new ArrayList<>();

            List<String> plain = new ArrayList<>();
            plain.add(java);
            plain.addAll(tail);
            cmds.add(plain);

            List<String> agent = new ArrayList<>();
            agent.add(java);
            agent.addAll(Bench.otlpAgentArgs(agentJar, endpoint, "obs-fs-bench"));
            agent.add("-Dobs.summary=false");
            agent.add("-Dobs.fs.groups=bench=" + root.resolve("data") + "/**");
            int extraStart = agent.size();
            agent.addAll(Bench.obsArgs());
            agent.addAll(extra);
            List<String> extraArgs = new ArrayList<>(agent.subList(extraStart, agent.size()));
            agent.addAll(tail);
            cmds.add(agent);

            List<String> jfr = new ArrayList<>();
            jfr.add(java);
            // JDK 25's default settings also throttle file events to 100/s: off, so every call is recorded
            // (JDK 17 has no such setting and warns about it).
            jfr.add("-XX:StartFlightRecording:filename=" + recording
                    + ",jdk.FileRead#threshold=0ms,jdk.FileWrite#threshold=0ms"
                    + (Runtime.version().feature() >= 25 ? ",jdk.FileRead#throttle=off,jdk.FileWrite#throttle=off" : ""));
            jfr.addAll(tail);
            cmds.add(jfr);

            System.out.println("receiver: " + endpoint);
            for (int v = 0; v < VARIANTS.length; v++) {
                System.out.printf(Locale.ROOT, "%-9s %s%n", VARIANTS[v] + ":", String.join(" ", cmds.get(v)));
            }

            for (int w = 0; w < warmup; w++) {
                Run[] r = new Run[VARIANTS.length];
                for (int v = 0; v < VARIANTS.length; v++) {
                    r[v] = child("warm-up " + VARIANTS[v], v, cmds.get(v), work, recording, root, files, size, true);
                    if (r[v] == null) {
                        return 2;
                    }
                }
                System.out.printf(Locale.ROOT, "warm-up %d: no agent %.0f ms, obs %.0f ms, JFR %.0f ms (workload)%n",
                        w + 1, r[NONE].workloadNanos / 1e6, r[OBS].workloadNanos / 1e6, r[JFR].workloadNanos / 1e6);
            }
            List<List<Run>> runs = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (int round = 0; round < rounds; round++) {
                Run[] r = new Run[VARIANTS.length];
                StringBuilder order = new StringBuilder();
                for (int k = 0; k < VARIANTS.length; k++) {
                    int v = (round + k) % VARIANTS.length;
                    order.append(k == 0 ? "" : "/").append(VARIANTS[v]);
                    r[v] = child("round " + (round + 1) + " " + VARIANTS[v], v, cmds.get(v), work, recording, root,
                            files, size, false);
                    if (r[v] == null) {
                        return 2;
                    }
                }
                for (int v = 0; v < VARIANTS.length; v++) {
                    runs.get(v).add(r[v]);
                }
                System.out.printf(Locale.ROOT, "round %2d (%s): workload no agent %6.0f ms, obs %6.0f ms, JFR %6.0f ms;"
                        + " obs/none %.3f, JFR/none %.3f, obs/JFR %.3f%n", round + 1, order,
                        r[NONE].workloadNanos / 1e6, r[OBS].workloadNanos / 1e6, r[JFR].workloadNanos / 1e6,
                        r[OBS].workloadNanos / (double) r[NONE].workloadNanos,
                        r[JFR].workloadNanos / (double) r[NONE].workloadNanos,
                        r[OBS].workloadNanos / (double) r[JFR].workloadNanos);
            }
            return report(agentJar, rounds, warmup, target, files, size, extraArgs, loadBefore, runs);
        } finally {
            LocalHttpServer.stop(server);
            JGitWorkload.delete(work);
        }
    }

    /** Runs one child to its end and checks what obs or JFR recorded; null (after printing why) on failure. */
    private Run child(String label, int variant, List<String> cmd, Path work, Path recording, Path root, int files,
                      int size, boolean echoStderr) throws Exception {
        series.clear();
        metricRequests.set(0);
        traceRequests.set(0);
        spans.set(0);
        Files.deleteIfExists(recording);
        WorkloadChild c = WorkloadChild.run(new ProcessBuilder(cmd).directory(work.toFile()), 900, inFlight);
        String problem = null;
        if (c.ok() && variant == OBS) {
            problem = checkObs(files, size);
        } else if (c.ok() && variant == JFR) {
            problem = checkJfr(recording, root.resolve("data"), files);
        }
        if (echoStderr || !c.ok() || problem != null) {
            c.printStderr();
        }
        if (!c.ok() || problem != null) {
            System.out.println(label + ": " + (c.ok() ? problem : "child failed (" + c.exitDescription() + ")")
                    + ": " + String.join(" ", cmd));
            c.printStdout();
            return null;
        }
        if (echoStderr) {
            System.out.println(label + ": " + (variant == OBS ? "obs counted every timed call and byte exactly"
                    + " (fs.operations, fs.io.bytes of group bench); " + metricRequests.get() + " metric / "
                    + traceRequests.get() + " trace requests, " + spans.get() + " spans"
                    : variant == JFR ? "the recording has a jdk.FileWrite/jdk.FileRead event for every timed write"
                    + " and read" : "ok"));
        }
        Files.deleteIfExists(recording);
        return new Run(c.workloadNanos, c.cpuNanos, c.wallNanos, c.phases, c.check);
    }

    /** Null when obs's exported counters equal the workload's timed calls and bytes, else what differs. */
    private String checkObs(int files, int size) {
        long bytes = (long) files * size;
        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("fs.operations write bench", (long) files);
        expected.put("fs.operations read bench", 2L * files);
        expected.put("fs.operations open bench", 2L * files);
        expected.put("fs.io.bytes write bench", bytes);
        expected.put("fs.io.bytes read bench", bytes);
        StringBuilder problems = new StringBuilder();
        expected.forEach((k, v) -> {
            Long got = series.get(k);
            if (got == null || got.longValue() != v) {
                problems.append(problems.length() == 0 ? "" : "; ").append(k).append(" = ").append(got)
                        .append(", expected ").append(v);
            }
        });
        return problems.length() == 0 ? null : "obs's counts are not exact: " + problems + " (received "
                + metricRequests.get() + " metric requests)";
    }

    /** Null when the recording has a FileWrite per timed write and a FileRead per timed read, else why not. */
    private static String checkJfr(Path recording, Path data, int files) {
        String prefix = data.toString() + File.separator;
        long reads = 0;
        long writes = 0;
        try (RecordingFile f = new RecordingFile(recording)) {
            while (f.hasMoreEvents()) {
                RecordedEvent e = f.readEvent();
                String type = e.getEventType().getName();
                boolean read = type.equals("jdk.FileRead");
                if (!read && !type.equals("jdk.FileWrite")) {
                    continue;
                }
                String path = e.getString("path");
                if (path == null || !path.startsWith(prefix)) {
                    continue;
                }
                if (read) {
                    reads++;
                } else {
                    writes++;
                }
            }
        } catch (IOException e) {
            return "cannot read the JFR recording " + recording + ": " + e;
        }
        // One jdk.FileRead per read call, the one at end of file included (endOfFile = true).
        if (writes != files || reads != 2L * files) {
            return "JFR recorded " + writes + " jdk.FileWrite and " + reads + " jdk.FileRead events in " + data
                    + ", expected " + files + " and " + 2L * files;
        }
        return null;
    }

    private int report(String agentJar, int rounds, int warmup, double target, int files, int size,
                       List<String> extraArgs, double loadBefore, List<List<Run>> runs) {
        List<Run> none = runs.get(NONE);
        List<List<Double>> ratios = new ArrayList<>();
        List<List<Double>> cpuRatios = new ArrayList<>();
        for (int v = 0; v < VARIANTS.length; v++) {
            List<Double> r = new ArrayList<>();
            List<Double> c = new ArrayList<>();
            for (int i = 0; i < none.size(); i++) {
                r.add(runs.get(v).get(i).workloadNanos / (double) none.get(i).workloadNanos);
                c.add(runs.get(v).get(i).cpuNanos / (double) none.get(i).cpuNanos);
            }
            ratios.add(r);
            cpuRatios.add(c);
        }
        List<Double> obsVsJfr = new ArrayList<>();
        for (int i = 0; i < none.size(); i++) {
            obsVsJfr.add(runs.get(OBS).get(i).workloadNanos / (double) runs.get(JFR).get(i).workloadNanos);
        }
        StringBuilder b = new StringBuilder();
        b.append("\n== FsOverheadBenchmark (write + read ").append(files).append(" files of ").append(size)
                .append(" B in child JVMs, order rotating: no agent, obs, JFR)\n");
        b.append(String.format(Locale.ROOT, "settings: rounds=%d warm-up triples=%d obs exporter=otlp (local receiver)"
                + " agent=%s extra=%s; JFR: default settings + jdk.FileRead#threshold=0ms,"
                + " jdk.FileWrite#threshold=0ms%s; java %s%n", rounds, warmup, agentJar, extraArgs,
                Runtime.version().feature() >= 25 ? " (throttle=off)" : "", Runtime.version()));
        b.append(String.format(Locale.ROOT, "workload: %s%n", none.get(0).check));
        b.append(String.format(Locale.ROOT, "%-28s %10s %10s %10s %10s %10s%n", "median", "no agent", "obs", "JFR",
                "obs/none", "JFR/none"));
        b.append(row("workload ms", runs, Run::workloadNanos));
        for (String phase : none.get(0).phases.keySet()) {
            b.append(row("  " + phase + " ms", runs, r -> r.phases.getOrDefault(phase, 0L)));
        }
        b.append(row("workload CPU ms (all threads)", runs, Run::cpuNanos));
        b.append(row("child JVM wall ms (all)", runs, Run::wallNanos));
        for (int v = 1; v < VARIANTS.length; v++) {
            b.append(String.format(Locale.ROOT, "per-round %-4s / no agent:  %s%n", VARIANTS[v],
                    WorkloadChild.fmt(ratios.get(v))));
        }
        b.append(String.format(Locale.ROOT, "per-round obs / JFR:       %s%n", WorkloadChild.fmt(obsVsJfr)));
        double obsRatio = WorkloadChild.median(ratios.get(OBS));
        double jfrRatio = WorkloadChild.median(ratios.get(JFR));
        double obsJfr = WorkloadChild.median(obsVsJfr);
        b.append(String.format(Locale.ROOT, "median per-round ratio (workload time): no agent 1.000, obs %.3f, JFR %.3f;"
                + " obs/JFR %.3f%n", obsRatio, jfrRatio, obsJfr));
        b.append(String.format(Locale.ROOT, "median per-round ratio (workload CPU, informational): obs %.3f, JFR %.3f%n",
                WorkloadChild.median(cpuRatios.get(OBS)), WorkloadChild.median(cpuRatios.get(JFR))));
        if (badRequests.get() > 0) {
            b.append("  WARNING: ").append(badRequests.get()).append(" undecodable OTLP requests\n");
        }
        double loadAfter = Bench.loadAverage();
        int cores = Runtime.getRuntime().availableProcessors();
        b.append(String.format(Locale.ROOT, "load average before / after: %.2f / %.2f on %d cores%s%n", loadBefore,
                loadAfter, cores, Math.max(loadBefore, loadAfter) > cores ? "  (WARNING: machine busy, numbers are noisy)"
                        : ""));
        boolean okObs = obsRatio <= target;
        boolean okJfr = obsJfr < 1.0;
        b.append(String.format(Locale.ROOT, "  [%s] obs adds <= %.0f %% workload time (median per-round ratio %.3f <= %.2f)%n",
                okObs ? "PASS" : "FAIL", (target - 1) * 100, obsRatio, target));
        b.append(String.format(Locale.ROOT, "  [%s] obs is cheaper than JFR with file events at 0 ms (median per-round"
                + " obs/JFR %.3f < 1)%n", okJfr ? "PASS" : "FAIL", obsJfr));
        System.out.print(b);
        return okObs && okJfr ? 0 : 1;
    }

    private static String row(String name, List<List<Run>> runs, java.util.function.ToLongFunction<Run> f) {
        double[] m = new double[VARIANTS.length];
        for (int v = 0; v < VARIANTS.length; v++) {
            List<Double> values = new ArrayList<>();
            for (Run r : runs.get(v)) {
                values.add((double) f.applyAsLong(r));
            }
            m[v] = WorkloadChild.median(values);
        }
        return String.format(Locale.ROOT, "%-28s %10.1f %10.1f %10.1f %9.3fx %9.3fx%n", name, m[NONE] / 1e6,
                m[OBS] / 1e6, m[JFR] / 1e6, m[OBS] / m[NONE], m[JFR] / m[NONE]);
    }



    private void handle(HttpExchange ex) throws IOException {
        inFlight.incrementAndGet();
        try {
            byte[] body = Bench.requestBody(ex);
            String path = ex.getRequestURI().getPath();
            try {
                if (path.endsWith("/v1/metrics")) {
                    metrics(ExportMetricsServiceRequest.parseFrom(body));
                    metricRequests.incrementAndGet();
                } else if (path.endsWith("/v1/traces")) {
                    for (ResourceSpans rs : ExportTraceServiceRequest.parseFrom(body).getResourceSpansList()) {
                        for (ScopeSpans ss : rs.getScopeSpansList()) {
                            spans.addAndGet(ss.getSpansCount());
                        }
                    }
                    traceRequests.incrementAndGet();
                }
            } catch (IOException e) {
                badRequests.incrementAndGet();
            }
            // An empty Export*ServiceResponse is zero bytes.
            ex.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            ex.sendResponseHeaders(200, -1);
            try (OutputStream os = ex.getResponseBody()) {
                os.flush();
            }
        } finally {
            ex.close();
            inFlight.decrementAndGet();
        }
    }

    /** Keeps the latest cumulative value of fs.operations and fs.io.bytes by operation/direction and group. */
    private void metrics(ExportMetricsServiceRequest req) {
        for (ResourceMetrics rm : req.getResourceMetricsList()) {
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                for (Metric m : sm.getMetricsList()) {
                    String name = m.getName();
                    if (!(name.equals("fs.operations") || name.equals("fs.io.bytes")) || !m.hasSum()) {
                        continue;
                    }
                    for (NumberDataPoint dp : m.getSum().getDataPointsList()) {
                        String key = null;
                        String group = null;
                        for (KeyValue kv : dp.getAttributesList()) {
                            String k = kv.getKey();
                            if (k.equals("fs.operation") || k.equals("fs.io.direction")) {
                                key = kv.getValue().getStringValue();
                            } else if (k.equals("file.group")) {
                                group = kv.getValue().getStringValue();
                            }
                        }
                        long value = dp.hasAsInt() ? dp.getAsInt() : Math.round(dp.getAsDouble());
                        series.merge(name + " " + key + " " + group, value, Math::max);
                    }
                }
            }
        }
    }
}
