package dev.obs.bench;

import java.io.File;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs a benchmark suite and prints a summary table: ns/op, B/op ({@code gc.alloc.rate.norm}), the ratio
 * and the difference against the suite's baseline measured in the same run, and the targets.
 *
 * <pre>
 *   java -cp integration-tests/target/benchmarks.jar dev.obs.bench.Bench recorder [JMH options]
 *   java -Dobs.jar=agent/target/obs.jar -cp ... dev.obs.bench.Bench agent [JMH options]
 *   java -cp ... dev.obs.bench.Bench churn [JMH options]
 *   java -Dobs.jar=agent/target/obs.jar -cp ... dev.obs.bench.Bench throughput [see ExportThroughputBenchmark]
 * </pre>
 *
 * JMH options (e.g. {@code -f 1 -wi 3 -w 1s -i 5 -r 1s}) override the annotations; {@code -prof gc} is always
 * added. For {@code agent}, {@code OBS_ARGS} (environment, space separated) adds JVM flags to the
 * agent-attached forks. Exit status 1 when a target is missed, 2 on usage or run errors.
 */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: Bench recorder|agent|churn|throughput [options]");
            System.exit(2);
        }
        String suite = args[0];
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        int status;
        switch (suite) {
            case "recorder":
                status = recorder(rest);
                break;
            case "agent":
                status = agent(rest);
                break;
            case "churn":
                status = churn(rest);
                break;
            case "otel":
                status = otel(rest);
                break;
            case "throughput":
                status = ExportThroughputBenchmark.run(rest);
                break;
            default:
                System.err.println("unknown suite " + suite);
                status = 2;
        }
        System.exit(status);
    }

    // ------------------------------------------------------------------------------------------ recorder

    static int recorder(String[] jmhArgs) throws Exception {
        CommandLineOptions cli = new CommandLineOptions(jmhArgs);
        ChainedOptionsBuilder opts = new OptionsBuilder().parent(cli)
                .include(RecorderBenchmark.class.getName() + "\\.");
        addGc(cli, opts);
        Collection<RunResult> results = new Runner(opts.build()).run();
        Map<String, Row> rows = rows(results);
        Row base = find(rows, "baseline");
        if (base == null) {
            System.err.println("no baseline result (was it excluded?)");
            return 2;
        }
        List<Check> checks = new ArrayList<>();
        for (Row r : rows.values()) {
            // Targets hold for the default configuration: with sink=spsc a second busy thread shares the cores.
            if (!r.params.contains("sink=count")) {
                continue;
            }
            if (r.method.endsWith(RecorderBenchmark.WITHOUT_METRIC_PATH)) {
                String with = r.method.substring(0, r.method.length() - RecorderBenchmark.WITHOUT_METRIC_PATH.length());
                Row withMetrics = baseFor(rows, r, with, null);
                if (withMetrics != null) {
                    // a whole span's score errs by more than 25 ns on a busy machine: judged is the difference
                    // beyond the two scores' errors (the prepared span's end, without clock or allocation, is tight)
                    double added = withMetrics.ns - r.ns;
                    double error = withMetrics.nsError + r.nsError;
                    checks.add(new Check(String.format("%s: metric path adds %.1f ± %.1f ns/op, <= 25 beyond the error",
                            with, added, error), added - error <= 25));
                    checks.add(new Check(String.format("%s: metric path adds %.2f B/op (< 0.5)", with,
                            withMetrics.bytes - r.bytes), withMetrics.bytes - r.bytes < 0.5));
                }
            } else if (r.method.equals("spanStartEndTwoAttributes")) {
                checks.add(new Check(r.label + " ns/op <= 300", r.ns <= 300));
                checks.add(new Check(r.label + " B/op <= 128", r.bytes <= 128.5));
            } else if (r.method.equals("fsReadRecord")) {
                checks.add(new Check(r.label + " ns/op <= 25", r.ns <= 25));
                checks.add(new Check(r.label + " B/op == 0 (< 0.5)", r.bytes < 0.5));
            } else if (r.method.equals("fsClassifyOpenedPath")) {
                checks.add(new Check(r.label + " B/op == 0 (< 0.5)", r.bytes < 0.5));
            }
        }
        return print("RecorderBenchmark (no agent)", rows, base, checks);
    }

    // ---------------------------------------------------------------------------------------------- otel

    /**
     * An obs root span with no OpenTelemetry in the JVM, with an OpenTelemetry API in use but no span current,
     * and under a current OpenTelemetry span. Judged: the idle bridge adds <= 25 ns beyond the two scores'
     * errors and no allocation; under a span, informational (it joins the trace: seven handle calls, a hex
     * parse and a 40-byte parent record); under a span with a non-empty TraceState, judged against the span
     * without one: <= 25 ns beyond the errors and the same B/op (the tracestate is kept once per trace).
     */
    static int otel(String[] jmhArgs) throws Exception {
        CommandLineOptions cli = new CommandLineOptions(jmhArgs);
        ChainedOptionsBuilder opts = new OptionsBuilder().parent(cli)
                .include(OtelBridgeBenchmark.class.getName() + "\\.");
        addGc(cli, opts);
        Map<String, Row> rows = rows(new Runner(opts.build()).run());
        Row none = null;
        Row idle = null;
        Row span = null;
        Row state = null;
        for (Row r : rows.values()) {
            none = r.params.contains("otel=none") ? r : none;
            idle = r.params.contains("otel=idle") ? r : idle;
            span = r.params.contains("otel=span") ? r : span;
            state = r.params.contains("otel=state") ? r : state;
        }
        if (none == null || idle == null) {
            System.err.println("no otel=none or otel=idle result");
            return 2;
        }
        double added = idle.ns - none.ns;
        double error = idle.nsError + none.nsError;
        List<Check> checks = new java.util.ArrayList<>(List.of(
                new Check(String.format(Locale.ROOT, "idle bridge adds %.1f ± %.1f ns/op, <= 25 beyond the error",
                        added, error), added - error <= 25),
                new Check(String.format(Locale.ROOT, "idle bridge adds %.2f B/op (< 0.5)", idle.bytes - none.bytes),
                        idle.bytes - none.bytes < 0.5)));
        if (span != null && state != null) {
            double stateAdded = state.ns - span.ns;
            double stateError = state.nsError + span.nsError;
            checks.add(new Check(String.format(Locale.ROOT,
                    "a tracestate adds %.1f ± %.1f ns/op to a joined span, <= 25 beyond the error", stateAdded,
                    stateError), stateAdded - stateError <= 25));
            checks.add(new Check(String.format(Locale.ROOT, "a tracestate adds %.2f B/op to a joined span (< 0.5)",
                    state.bytes - span.bytes), Math.abs(state.bytes - span.bytes) < 0.5));
        }
        return print("OtelBridgeBenchmark (obs root span; baseline = no OpenTelemetry in the JVM)", rows, none, checks);
    }

    // --------------------------------------------------------------------------------------------- churn

    /** Per-thread cost of the fs path and of the first metric value (informational: no target). */
    static int churn(String[] jmhArgs) throws Exception {
        CommandLineOptions cli = new CommandLineOptions(jmhArgs);
        ChainedOptionsBuilder opts = new OptionsBuilder().parent(cli)
                .include(ThreadChurnBenchmark.class.getName() + "\\.");
        if (Runtime.version().feature() >= 21 && !cli.getParameter("kind").hasValue()) {
            opts.param("kind", "platform", "virtual");
        }
        addGc(cli, opts);
        Map<String, Row> rows = rows(new Runner(opts.build()).run());
        Row base = find(rows, "newThreadBaseline");
        if (base == null) {
            System.err.println("no newThreadBaseline result");
            return 2;
        }
        return print("ThreadChurnBenchmark (a new thread's fs open + read record; baseline = same thread, no record)",
                rows, base, List.of());
    }

    // --------------------------------------------------------------------------------------------- agent

    static int agent(String[] jmhArgs) throws Exception {
        String jar = agentJar();
        if (jar == null) {
            return 2;
        }
        List<String> prepend = new ArrayList<>();
        prepend.add("-javaagent:" + jar);
        prepend.addAll(obsArgs());
        CommandLineOptions cli = new CommandLineOptions(jmhArgs);
        String cls = AgentAttachedBenchmark.class.getName();
        ChainedOptionsBuilder withAgent = new OptionsBuilder().parent(cli)
                .include(cls + "\\.(instrumented|uninstrumented|disabled)$")
                .jvmArgsPrepend(prepend.toArray(new String[0]));
        addGc(cli, withAgent);
        List<RunResult> all = new ArrayList<>(new Runner(withAgent.build()).run());
        ChainedOptionsBuilder noAgent = new OptionsBuilder().parent(cli)
                .include(cls + "\\.noAgent$")
                .jvmArgsPrepend();
        addGc(cli, noAgent);
        all.addAll(new Runner(noAgent.build()).run());

        Map<String, Row> rows = rows(all);
        Row base = find(rows, "disabled");
        if (base == null) {
            System.err.println("no 'disabled' (baseline) result");
            return 2;
        }
        List<Check> checks = new ArrayList<>();
        Row inst = find(rows, "instrumented");
        if (inst != null) {
            // A woven method span allocates at least its ObsSpan; ~0 B/op means work() was not woven.
            checks.add(new Check("instrumented allocates a span (B/op >= 48, i.e. work() is woven)",
                    inst.bytes >= 48));
        }
        Row plain = find(rows, "uninstrumented");
        if (plain != null) {
            checks.add(new Check("uninstrumented B/op == 0 (< 0.5)", plain.bytes < 0.5));
        }
        String notes = "agent jar: " + jar + (prepend.size() > 1 ? "  extra: " + prepend.subList(1, prepend.size())
                : "") + "\n" + dropProbe(prepend);
        return print("AgentAttachedBenchmark (baseline = agent attached, -Dobs.enabled=false)", rows, base, checks,
                notes);
    }

    /**
     * Runs {@link DropProbe} with the agent (summary on) and prints which share of spans the agent dropped
     * when work() is called flat out, as the {@code instrumented} benchmark does.
     */
    static String dropProbe(List<String> agentArgs) {
        try {
            String cp = benchmarksClasspath();
            List<String> cmd = new ArrayList<>();
            cmd.add(javaLauncher());
            cmd.addAll(agentArgs);
            cmd.addAll(List.of("-Xms512m", "-Xmx512m", "-Dobs.methods.include=dev.obs.bench.Target[work]",
                    "-Dobs.exporter=none", "-Dobs.summary=true", "-cp", cp, DropProbe.class.getName(), "3"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            java.util.regex.Matcher calls = java.util.regex.Pattern.compile("DROP_PROBE (\\d+) (\\d+)").matcher(out);
            java.util.regex.Matcher sum = java.util.regex.Pattern
                    .compile("obs summary: (\\d+) spans: \\d+ exported, (\\d+) dropped spans").matcher(out);
            if (calls.find() && sum.find()) {
                long n = Long.parseLong(calls.group(1));
                double secs = Long.parseLong(calls.group(2)) / 1e9;
                long dropped = Long.parseLong(sum.group(2));
                long accepted = Long.parseLong(sum.group(1)) - dropped;
                return String.format(Locale.ROOT, "drop probe (work() flat out for %.1f s in a child JVM, exporter=none):"
                        + " %d calls (%.0f/s), exporter accepted %d (%.0f/s), queue dropped %d (%.1f%%)%n"
                        + "  (a high drop share means 'instrumented' partly measures the cheaper drop path)", secs, n,
                        n / secs, accepted, accepted / secs, dropped, 100.0 * dropped / Math.max(1, n));
            }
            return "drop probe: no summary found; output:\n" + out;
        } catch (Exception e) {
            return "drop probe failed: " + e;
        }
    }

    /** The {@code java} launcher of this JVM, for child JVMs. */
    static String javaLauncher() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }

    /** The benchmarks jar (or classes directory) these classes come from, as a child's class path. */
    static String benchmarksClasspath() throws java.net.URISyntaxException {
        return new File(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
    }

    /** {@code OBS_ARGS} (environment, space separated): extra JVM flags for the agent-attached children. */
    static List<String> obsArgs() {
        String env = System.getenv("OBS_ARGS");
        return env == null || env.isBlank() ? List.of() : List.of(env.trim().split("\\s+"));
    }

    /**
     * {@code -javaagent:<jar>} exporting over OTLP/HTTP (protobuf) to {@code endpoint} as service
     * {@code serviceName}: how the workload benchmarks attach the agent to their children.
     */
    static List<String> otlpAgentArgs(String agentJar, String endpoint, String serviceName) {
        return List.of("-javaagent:" + agentJar, "-Dobs.exporter=otlp", "-Dotel.exporter.otlp.endpoint=" + endpoint,
                "-Dotel.exporter.otlp.protocol=http/protobuf", "-Dotel.service.name=" + serviceName);
    }

    static String agentJar() {
        String jar = System.getProperty("obs.jar");
        if (jar == null || jar.isEmpty()) {
            jar = "agent/target/obs.jar";
        }
        File f = new File(jar);
        if (!f.isFile()) {
            System.err.println("agent jar not found: " + f.getAbsolutePath() + " (pass -Dobs.jar=/path/obs.jar)");
            return null;
        }
        return f.getAbsolutePath();
    }

    // ----------------------------------------------------------------------------------------- reporting

    static void addGc(CommandLineOptions cli, ChainedOptionsBuilder opts) {
        boolean has = cli.getProfilers().stream().anyMatch(p -> p.getKlass().equals(GCProfiler.class.getName())
                || p.getKlass().equals("gc"));
        if (!has) {
            opts.addProfiler(GCProfiler.class);
        }
    }

    /** One result; {@code params} is " k=v k=v" (empty without @Params), so rows pair with their baseline. */
    record Row(String label, String method, String params, double ns, double nsError, String unit, double bytes) {
    }

    record Check(String what, boolean ok) {
    }

    static Map<String, Row> rows(Collection<RunResult> results) {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (RunResult rr : results) {
            BenchmarkParams p = rr.getParams();
            String method = p.getBenchmark().substring(p.getBenchmark().lastIndexOf('.') + 1);
            StringBuilder params = new StringBuilder();
            for (String k : p.getParamsKeys()) {
                params.append(' ').append(k).append('=').append(p.getParam(k));
            }
            String label = method + params;
            Result<?> primary = rr.getPrimaryResult();
            double bytes = Double.NaN;
            for (Map.Entry<String, Result> e : rr.getSecondaryResults().entrySet()) {
                if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                    bytes = e.getValue().getScore();
                }
            }
            rows.put(label, new Row(label, method, params.toString(), primary.getScore(), primary.getScoreError(),
                    primary.getScoreUnit(), bytes));
        }
        return rows;
    }

    /** The first result of {@code method} (with any params). */
    static Row find(Map<String, Row> rows, String method) {
        for (Row r : rows.values()) {
            if (r.method.equals(method)) {
                return r;
            }
        }
        return null;
    }

    /** The baseline measured with the same params as {@code r}, else {@code fallback}. */
    static Row baseFor(Map<String, Row> rows, Row r, String baseMethod, Row fallback) {
        for (Row b : rows.values()) {
            if (b.method.equals(baseMethod) && b.params.equals(r.params)) {
                return b;
            }
        }
        return fallback;
    }

    /** The 1-minute system load average (-1 when unknown). */
    static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** "load average before / after: ..." with a warning when the machine was busy, and a newline. */
    static String loadBeforeAndAfter(double loadBefore) {
        double loadAfter = loadAverage();
        int cores = Runtime.getRuntime().availableProcessors();
        return String.format(Locale.ROOT, "load average before / after: %.2f / %.2f on %d cores%s%n", loadBefore,
                loadAfter, cores, Math.max(loadBefore, loadAfter) > cores ? "  (WARNING: machine busy, numbers are noisy)"
                        : "");
    }

    static int print(String title, Map<String, Row> rows, Row base, List<Check> checks) {
        return print(title, rows, base, checks, null);
    }

    static int print(String title, Map<String, Row> rows, Row base, List<Check> checks, String notes) {
        StringBuilder out = new StringBuilder();
        out.append('\n').append("== ").append(title).append('\n');
        double load = loadAverage();
        int cores = Runtime.getRuntime().availableProcessors();
        out.append(String.format(Locale.ROOT, "load average %.2f on %d cores%s%n", load, cores,
                load > cores ? "  (WARNING: machine busy, numbers are noisy)" : ""));
        out.append(String.format(Locale.ROOT, "%-58s %12s %9s %-6s %10s %9s %12s%n", "benchmark", "score", "±err",
                "unit", "B/op", "ratio", "+ vs base"));
        for (Row r : rows.values()) {
            Row b = baseFor(rows, r, base.method, base);
            out.append(String.format(Locale.ROOT, "%-58s %12.2f %9.2f %-6s %10.1f %8.2fx %12.2f%n", r.label, r.ns,
                    r.nsError, r.unit, r.bytes, r.ns / b.ns, r.ns - b.ns));
        }
        out.append("  ratio and +ns are against '").append(base.method)
                .append("' measured in the same run (same params); B/op = gc.alloc.rate.norm\n");
        boolean ok = true;
        for (Check c : checks) {
            out.append(String.format(Locale.ROOT, "  [%s] %s%n", c.ok ? "PASS" : "FAIL", c.what));
            ok &= c.ok;
        }
        if (notes != null) {
            out.append(notes).append('\n');
        }
        System.out.print(out);
        return ok ? 0 : 1;
    }

    /**
     * The body of a receiver's request, inflated as its {@code Content-Encoding} says ({@code gzip} from
     * OTLP exporters with compression, {@code deflate} from the Elastic agent's intake).
     */
    static byte[] requestBody(com.sun.net.httpserver.HttpExchange ex) throws java.io.IOException {
        java.io.InputStream in = ex.getRequestBody();
        String encoding = String.valueOf(ex.getRequestHeaders().getFirst("Content-Encoding")).toLowerCase(Locale.ROOT);
        if (encoding.equals("gzip")) {
            in = new java.util.zip.GZIPInputStream(in);
        } else if (encoding.equals("deflate")) {
            in = new java.util.zip.InflaterInputStream(in);
        }
        return in.readAllBytes();
    }
}
