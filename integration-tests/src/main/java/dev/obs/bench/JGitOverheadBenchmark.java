package dev.obs.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * What obs costs a JGit application: {@link JGitWorkload} (init, 500 add+commit, log, status, local clone,
 * commit+fetch) runs in child JVMs without and with {@code -javaagent:obs.jar}, alternately (the order flips
 * every round so drift hits both variants equally), after one untimed warm-up pair. The repositories are
 * created under {@code --dir} (default {@code /dev/shm}, see {@link #defaultWorkloadDir}). The agent child gets a
 * weave cache of its own ({@code obs.weave.cache.dir} in a fresh temp dir): the warm-up run weaves and fills
 * it (its ratio is printed, informational), the timed rounds run as every restart after the first does. The agent exports over
 * OTLP/HTTP to a receiver in this JVM (JDK {@link HttpServer} on 127.0.0.1) that answers 200 and decodes
 * trace requests with {@code ExportTraceServiceRequest.parseFrom}, so the real export path runs and the
 * spans per run can be counted.
 *
 * <pre>
 *   java -Dobs.jar=agent/target/obs.jar -cp integration-tests/target/benchmarks.jar \
 *        dev.obs.bench.JGitOverheadBenchmark [--rounds 11] [--warmup 1] [--target 1.03] [--commits 500] \
 *        [--dir /dev/shm] [--repeat 4] [-- extra JVM args for the agent child]
 * </pre>
 *
 * Judged: the median of the per-round ratios (agent / no agent) of the workload time the child reports
 * ({@code WORKLOAD_NANOS}: JGit calls only, JVM start-up excluded) against {@code --target}. Reported too:
 * the process CPU time over the workload (all threads, the agent's export thread included: less sensitive
 * to other load on the machine than wall time), the child JVMs' total wall time (start to exit, start-up and the agent's exit-time flush included), the
 * phases, and the spans the receiver got per agent run, by name. OBS_ARGS (environment, space separated)
 * adds JVM flags to the agent child. Each child runs the workload {@code --repeat} times (default 4, fresh
 * directories): the first run is judged as above; the others, with the JIT warm and obs's one-time start-up
 * work (the SDK's loading, the first export) behind them, are reported as the steady-state ratio.
 * Exit status 0 PASS, 1 FAIL, 2 a child failed.
 */
public final class JGitOverheadBenchmark {
    private final AtomicLong spans = new AtomicLong();
    private final AtomicLong traceRequests = new AtomicLong();
    private final AtomicLong otherRequests = new AtomicLong();
    private final AtomicLong badRequests = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, AtomicLong> spanNames = new ConcurrentHashMap<>();

    /** One child JVM's figures. */
    record Run(long workloadNanos, long cpuNanos, long wallNanos, Map<String, Long> phases, long spans, long traceRequests,
               long otherRequests, Map<String, Long> spanNames, String check, double repeatNanos) {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    static int run(String[] args) throws Exception {
        int rounds = 11;
        int warmup = 1;
        double target = 1.03;
        int commits = JGitWorkload.DEFAULT_COMMITS;
        Path dir = defaultWorkloadDir();
        int repeat = 4;
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds": rounds = Integer.parseInt(args[++i]); break;
                case "--warmup": warmup = Integer.parseInt(args[++i]); break;
                case "--target": target = Double.parseDouble(args[++i]); break;
                case "--commits": commits = Integer.parseInt(args[++i]); break;
                case "--jar": System.setProperty("obs.jar", args[++i]); break;
                case "--dir": dir = Path.of(args[++i]); break;
                case "--repeat": repeat = Integer.parseInt(args[++i]); break;
                case "--":
                    for (i++; i < args.length; i++) {
                        extra.add(args[i]);
                    }
                    break;
                default:
                    System.err.println("unknown option " + args[i]);
                    return 2;
            }
        }
        if (rounds < 1 || repeat < 1) {
            System.err.println("--rounds and --repeat must be >= 1");
            return 2;
        }
        String agentJar = Bench.agentJar();
        if (agentJar == null) {
            return 2;
        }
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            System.err.println("--dir " + dir + ": not a writable directory");
            return 2;
        }
        return new JGitOverheadBenchmark().measure(agentJar, rounds, warmup, target, commits, repeat, dir, extra);
    }

    /**
     * tmpfs ({@code /dev/shm}) when there is one, else the temp dir. On ext4 the time to create a file
     * depends on how many inodes were deleted in the last moments ({@code find_inode_bit} scans past
     * recently deleted ones), so each run's workload would be slowed by the previous run's clean-up, by
     * amounts that vary more from run to run than what obs costs.
     */
    private static Path defaultWorkloadDir() {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    private int measure(String agentJar, int rounds, int warmup, double target, int commits, int repeat, Path dir,
                        List<String> extra) throws Exception {
        double loadBefore = Bench.loadAverage();
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
        String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
        // Children run here: XDG_CONFIG_HOME (JGit's own cache of file system timestamp resolution) and
        // anything the agent might write stay out of the user's home.
        Path work = Files.createTempDirectory("obs-jgit-overhead");
        try {
            String java = Bench.javaLauncher();
            String classpath = Bench.benchmarksClasspath();
            List<String> tail = List.of("-Djava.io.tmpdir=" + dir, "-cp", classpath, JGitWorkload.class.getName(),
                    Integer.toString(commits), Integer.toString(repeat));

            List<String> plain = new ArrayList<>();
            plain.add(java);
            plain.addAll(tail);

            List<String> agent = new ArrayList<>();
            agent.add(java);
            agent.addAll(Bench.otlpAgentArgs(agentJar, endpoint, "obs-jgit-bench"));
            agent.add("-Dobs.summary=false");
            // A fresh weave cache: the warm-up run weaves (and fills it), the rounds find their classes there,
            // as every run after the first does in production. OBS_ARGS may say -Dobs.weave.cache.dir=off.
            agent.add("-Dobs.weave.cache.dir=" + work.resolve("weave-cache"));
            int extraStart = agent.size();
            agent.addAll(Bench.obsArgs());
            agent.addAll(extra);
            List<String> extraArgs = new ArrayList<>(agent.subList(extraStart, agent.size()));
            agent.addAll(tail);
            System.out.println("receiver: " + endpoint);
            System.out.println("no agent: " + String.join(" ", plain));
            System.out.println("obs:      " + String.join(" ", agent));

            for (int w = 0; w < warmup; w++) {
                Run p = child("warm-up no agent", plain, work, true);
                Run a = child("warm-up obs", agent, work, true);
                if (p == null || a == null) {
                    return 2;
                }
                System.out.printf(Locale.ROOT, "warm-up %d: no agent %.0f ms, obs %.0f ms (workload), ratio %.3f%s,"
                        + " obs spans %d%n", w + 1, p.workloadNanos / 1e6, a.workloadNanos / 1e6,
                        a.workloadNanos / (double) p.workloadNanos, w == 0 ? " (empty weave cache)" : "", a.spans);
            }
            List<Run> plainRuns = new ArrayList<>();
            List<Run> agentRuns = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                boolean agentFirst = r % 2 == 1;
                Run first = child("round " + (r + 1) + (agentFirst ? " obs" : " no agent"), agentFirst ? agent : plain,
                        work, false);
                Run second = first == null ? null : child("round " + (r + 1) + (agentFirst ? " no agent" : " obs"),
                        agentFirst ? plain : agent, work, false);
                if (first == null || second == null) {
                    return 2;
                }
                Run p = agentFirst ? second : first;
                Run a = agentFirst ? first : second;
                plainRuns.add(p);
                agentRuns.add(a);
                System.out.printf(Locale.ROOT, "round %2d (%s first): workload no agent %7.0f ms, obs %7.0f ms, ratio %.3f;"
                        + " CPU %7.0f / %7.0f ms; JVM wall %7.0f / %7.0f ms; spans %d%s%n", r + 1,
                        agentFirst ? "obs" : "no agent", p.workloadNanos / 1e6, a.workloadNanos / 1e6,
                        a.workloadNanos / (double) p.workloadNanos, p.cpuNanos / 1e6, a.cpuNanos / 1e6,
                        p.wallNanos / 1e6, a.wallNanos / 1e6, a.spans, repeat == 1 ? ""
                                : String.format(Locale.ROOT, "; repeats %7.0f / %7.0f ms, ratio %.3f",
                                p.repeatNanos / 1e6, a.repeatNanos / 1e6, a.repeatNanos / p.repeatNanos));
            }
            return report(agentJar, rounds, warmup, target, commits, repeat, dir, extraArgs, loadBefore, plainRuns,
                    agentRuns);
        } finally {
            server.stop(0);
            pool.shutdown();
            JGitWorkload.delete(work);
        }
    }

    /** Runs one child to its end; null (after printing its output) when it fails. */
    private Run child(String label, List<String> cmd, Path work, boolean echoStderr) throws Exception {
        spans.set(0);
        traceRequests.set(0);
        otherRequests.set(0);
        spanNames.clear();
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("GIT_"));
        pb.environment().put("XDG_CONFIG_HOME", work.resolve("xdg").toString());
        WorkloadChild c = WorkloadChild.run(pb, 600, inFlight);
        if (echoStderr || !c.ok()) {
            c.printStderr();
        }
        if (!c.ok()) {
            System.out.println(label + ": child failed (" + c.exitDescription() + "): " + String.join(" ", cmd));
            c.printStdout();
            return null;
        }
        Map<String, Long> names = new TreeMap<>();
        spanNames.forEach((k, v) -> names.put(k, v.get()));
        List<Double> repeats = new ArrayList<>();
        for (long n : c.repeats) {
            repeats.add((double) n);
        }
        return new Run(c.workloadNanos, c.cpuNanos, c.wallNanos, c.phases, spans.get(), traceRequests.get(),
                otherRequests.get(), names, c.check, repeats.isEmpty() ? Double.NaN : WorkloadChild.median(repeats));
    }

    private int report(String agentJar, int rounds, int warmup, double target, int commits, int repeat, Path dir,
                       List<String> extraArgs, double loadBefore, List<Run> plain, List<Run> agent) {
        List<Double> workloadRatios = new ArrayList<>();
        List<Double> wallRatios = new ArrayList<>();
        List<Double> cpuRatios = new ArrayList<>();
        for (int i = 0; i < plain.size(); i++) {
            workloadRatios.add(agent.get(i).workloadNanos / (double) plain.get(i).workloadNanos);
            cpuRatios.add(agent.get(i).cpuNanos / (double) plain.get(i).cpuNanos);
            wallRatios.add(agent.get(i).wallNanos / (double) plain.get(i).wallNanos);
        }
        double ratio = WorkloadChild.median(workloadRatios);
        StringBuilder b = new StringBuilder();
        b.append("\n== JGitOverheadBenchmark (JGit workload in child JVMs, alternating, no agent vs obs)\n");
        b.append(String.format(Locale.ROOT, "settings: rounds=%d warm-up pairs=%d commits=%d runs per JVM=%d dir=%s"
                + " exporter=otlp (local receiver) agent=%s extra=%s%n", rounds, warmup, commits, repeat, dir, agentJar,
                extraArgs));
        b.append(String.format(Locale.ROOT, "workload: %s%n", plain.get(0).check));
        b.append(String.format(Locale.ROOT, "%-36s %12s %12s %9s %12s%n", "median", "no agent", "obs", "ratio",
                "+ obs"));
        b.append(line("workload ms (WORKLOAD_NANOS)", median(plain, Run::workloadNanos),
                median(agent, Run::workloadNanos)));
        for (String phase : plain.get(0).phases.keySet()) {
            b.append(line("  " + phase + " ms", median(plain, r -> r.phases.getOrDefault(phase, 0L)),
                    median(agent, r -> r.phases.getOrDefault(phase, 0L))));
        }
        b.append(line("workload CPU ms (all threads)", median(plain, Run::cpuNanos), median(agent, Run::cpuNanos)));
        b.append(line("child JVM wall ms (incl. start-up/exit)", median(plain, Run::wallNanos),
                median(agent, Run::wallNanos)));
        b.append(String.format(Locale.ROOT, "%-36s %s%n", "per-round workload ratios",
                WorkloadChild.fmt(workloadRatios)));
        b.append(String.format(Locale.ROOT, "%-36s %12.3f  (min %.3f, max %.3f)%n",
                "median per-round workload ratio", ratio, Collections.min(workloadRatios),
                Collections.max(workloadRatios)));
        b.append(String.format(Locale.ROOT, "%-36s %12.3f  (informational)%n", "median per-round workload CPU ratio",
                WorkloadChild.median(cpuRatios)));
        b.append(String.format(Locale.ROOT, "%-36s %12.3f  (informational)%n", "median per-round JVM wall ratio",
                WorkloadChild.median(wallRatios)));
        if (repeat > 1) {
            List<Double> repeatRatios = new ArrayList<>();
            List<Double> plainRepeats = new ArrayList<>();
            List<Double> agentRepeats = new ArrayList<>();
            for (int i = 0; i < plain.size(); i++) {
                repeatRatios.add(agent.get(i).repeatNanos / plain.get(i).repeatNanos);
                plainRepeats.add(plain.get(i).repeatNanos);
                agentRepeats.add(agent.get(i).repeatNanos);
            }
            b.append(String.format(Locale.ROOT, "runs 2..%d in the same JVM (JIT warm, obs started; median per JVM):%n",
                    repeat));
            b.append(line("  repeat workload ms", WorkloadChild.median(plainRepeats),
                    WorkloadChild.median(agentRepeats)));
            b.append(String.format(Locale.ROOT, "%-36s %s%n", "  per-round repeat ratios", WorkloadChild.fmt(repeatRatios)));
            b.append(String.format(Locale.ROOT, "%-36s %12.3f  (informational)%n", "  median per-round repeat ratio",
                    WorkloadChild.median(repeatRatios)));
        }
        List<Double> spanCounts = new ArrayList<>();
        for (Run r : agent) {
            spanCounts.add((double) r.spans);
        }
        Run last = agent.get(agent.size() - 1);
        b.append(String.format(Locale.ROOT, "%-36s %12.0f  (min %.0f, max %.0f; last run: %d trace / %d other"
                + " requests)%n", "spans received per obs run (median)", WorkloadChild.median(spanCounts),
                Collections.min(spanCounts), Collections.max(spanCounts), last.traceRequests, last.otherRequests));
        if (!last.spanNames.isEmpty()) {
            StringBuilder names = new StringBuilder();
            last.spanNames.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
                    .forEach(e -> names.append(names.length() == 0 ? "" : ", ").append('"').append(e.getKey())
                            .append("\" ").append(e.getValue()));
            b.append("  span names (last run): ").append(names).append('\n');
        } else {
            b.append("  no spans received: no JGit instrumentation in this obs.jar, the git family switched off, or an"
                    + " exporter other than otlp in the extra args\n");
        }
        if (last.traceRequests + last.otherRequests == 0) {
            b.append("  WARNING: the obs child sent nothing to the receiver: did the agent start?\n");
        }
        if (badRequests.get() > 0) {
            b.append("  WARNING: ").append(badRequests.get()).append(" undecodable trace requests\n");
        }
        double loadAfter = Bench.loadAverage();
        int cores = Runtime.getRuntime().availableProcessors();
        b.append(String.format(Locale.ROOT, "load average before / after: %.2f / %.2f on %d cores%s%n", loadBefore,
                loadAfter, cores, Math.max(loadBefore, loadAfter) > cores ? "  (WARNING: machine busy, numbers are noisy)"
                        : ""));
        boolean ok = ratio <= target;
        b.append(String.format(Locale.ROOT, "  [%s] obs adds <= %.0f %% workload time (median per-round ratio %.3f <= %.2f)%n",
                ok ? "PASS" : "FAIL", (target - 1) * 100, ratio, target));
        System.out.print(b);
        return ok ? 0 : 1;
    }

    private static String line(String name, double plainNanos, double agentNanos) {
        return String.format(Locale.ROOT, "%-36s %12.1f %12.1f %8.3fx %12.1f%n", name, plainNanos / 1e6,
                agentNanos / 1e6, agentNanos / plainNanos, (agentNanos - plainNanos) / 1e6);
    }


    private static double median(List<Run> runs, java.util.function.ToLongFunction<Run> f) {
        List<Double> values = new ArrayList<>();
        for (Run r : runs) {
            values.add((double) f.applyAsLong(r));
        }
        return WorkloadChild.median(values);
    }



    private void handle(HttpExchange ex) throws IOException {
        inFlight.incrementAndGet();
        try {
            InputStream in = ex.getRequestBody();
            String enc = ex.getRequestHeaders().getFirst("Content-Encoding");
            if (enc != null && enc.equalsIgnoreCase("gzip")) {
                in = new GZIPInputStream(in);
            }
            byte[] body = in.readAllBytes();
            byte[] response = new byte[0];
            if (ex.getRequestURI().getPath().endsWith("/v1/traces")) {
                try {
                    ExportTraceServiceRequest req = ExportTraceServiceRequest.parseFrom(body);
                    for (ResourceSpans rs : req.getResourceSpansList()) {
                        for (ScopeSpans ss : rs.getScopeSpansList()) {
                            spans.addAndGet(ss.getSpansCount());
                            for (Span s : ss.getSpansList()) {
                                spanNames.computeIfAbsent(s.getName(), k -> new AtomicLong()).incrementAndGet();
                            }
                        }
                    }
                    traceRequests.incrementAndGet();
                    response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                } catch (IOException e) {
                    badRequests.incrementAndGet();
                }
            } else {
                // metrics (and anything else): an empty Export*ServiceResponse is zero bytes
                otherRequests.incrementAndGet();
            }
            ex.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            ex.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(response);
            }
        } finally {
            ex.close();
            inFlight.decrementAndGet();
        }
    }
}
