package dev.obs.bench;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MooBench's shape ({@link MooBenchWorkload}: 200 000 calls of a method that recurses to depth 10, so
 * 2 000 000 method spans in 200 000 traces of 10) run in child JVMs with no agent, with obs, with the
 * OpenTelemetry Java agent and with the Elastic APM agent, each tracing the same method and sending to a
 * receiver in this JVM on 127.0.0.1: OTLP/HTTP ({@code /v1/traces}, {@code /v1/metrics}) for obs and
 * OpenTelemetry, the APM server intake ({@code /intake/v2/events}, ndjson) for Elastic. The receiver walks
 * the protobuf wire format (or the ndjson lines) for each span's trace, span and parent id only, and counts
 * spans, traces and complete traces (all {@code depth} spans, every parent present). The receiver is warmed
 * up for two seconds first, so the agent measured first does not meet a receiver still running interpreted.
 *
 * <p>Reported per agent: the application thread's CPU time per traced method call, minus the same without
 * an agent (the main thread's CPU time over the calls: what tracing costs the application, not the agent's
 * own threads), spans and traces delivered, and the share of delivered traces that are complete. For obs,
 * also what its own metrics said: {@code obs.records.dropped} by reason and {@code obs.method.duration}'s
 * count. Checks: obs delivers at least 10 times the spans OpenTelemetry delivers, and at least 99 % of the
 * traces obs delivers are complete.
 *
 * <pre>
 *   java -Dobs.jar=agent/target/obs.jar -cp integration-tests/target/benchmarks.jar dev.obs.bench.MooBenchmark \
 *        --otel-agent opentelemetry-javaagent.jar --elastic-agent elastic-apm-agent.jar \
 *        [--calls 200000] [--depth 10] [--agents none,obs,otel,elastic] [-- extra obs JVM args]
 * </pre>
 * {@code scripts/bench.sh moobench} fetches both agent jars from Maven Central first.
 */
public final class MooBenchmark {
    private static final String MONITORED = MooBenchWorkload.MonitoredClass.class.getName();
    private static final long CHILD_TIMEOUT_SECONDS = 300;

    /** What one child delivered; reset between children. */
    private final TraceCounter traces = new TraceCounter();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, Long> obsMetrics = new TreeMap<>();

    public static void main(String[] args) throws Exception {
        System.exit(new MooBenchmark().run(args));
    }

    private int run(String[] args) throws Exception {
        BenchOptions o = BenchOptions.parse(args, "--calls", "--depth", "--otel-agent", "--elastic-agent", "--agents");
        if (o == null) {
            return 2;
        }
        int calls = o.integer("--calls", MooBenchWorkload.DEFAULT_CALLS);
        int depth = o.integer("--depth", MooBenchWorkload.DEFAULT_DEPTH);
        String otelAgent = o.text("--otel-agent", null);
        String elasticAgent = o.text("--elastic-agent", null);
        List<String> agents = List.of(o.text("--agents", "none,obs,otel,elastic").split(","));
        List<String> extra = o.extra;
        String obsJar = agents.contains("obs") ? Bench.agentJar() : "";
        if (obsJar == null || agents.contains("otel") && !isFile(otelAgent)
                || agents.contains("elastic") && !isFile(elasticAgent)) {
            System.err.println("need -Dobs.jar, --otel-agent and --elastic-agent jars for agents " + agents);
            return 2;
        }
        double loadBefore = Bench.loadAverage();
        HttpServer server = LocalHttpServer.create(4);
        server.createContext("/", this::handle);
        server.start();
        String endpoint = LocalHttpServer.endpoint(server);
        warmUpReceiver(endpoint, depth);

        Map<String, Result> results = new LinkedHashMap<>();
        for (String agent : agents) {
            List<String> cmd = new ArrayList<>();
            cmd.add(Bench.javaLauncher());
            switch (agent) {
                case "none" -> { }
                case "obs" -> {
                    cmd.addAll(Bench.otlpAgentArgs(obsJar, endpoint, "moobench-obs"));
                    cmd.add("-Dobs.methods.include=" + MONITORED + "[monitoredMethod]");
                    cmd.add("-Dobs.summary=true");
                    cmd.addAll(Bench.obsArgs());
                    cmd.addAll(extra);
                }
                case "otel" -> cmd.addAll(List.of("-javaagent:" + otelAgent,
                        "-Dotel.service.name=moobench-otel", "-Dotel.exporter.otlp.protocol=http/protobuf",
                        "-Dotel.exporter.otlp.endpoint=" + endpoint, "-Dotel.traces.exporter=otlp",
                        "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none",
                        "-Dotel.instrumentation.methods.include=" + MONITORED + "[monitoredMethod]"));
                case "elastic" -> cmd.addAll(List.of("-javaagent:" + elasticAgent,
                        "-Delastic.apm.service_name=moobench-elastic", "-Delastic.apm.server_url=" + endpoint,
                        "-Delastic.apm.trace_methods=" + MONITORED + "#monitoredMethod",
                        "-Delastic.apm.application_packages=dev.obs.bench", "-Delastic.apm.central_config=false",
                        "-Delastic.apm.cloud_provider=none", "-Delastic.apm.metrics_interval=0s",
                        "-Delastic.apm.log_level=ERROR"));
                default -> {
                    System.err.println("unknown agent " + agent);
                    return 2;
                }
            }
            cmd.addAll(List.of("-cp", Bench.benchmarksClasspath(), MooBenchWorkload.class.getName(),
                    Integer.toString(calls), Integer.toString(depth)));
            synchronized (this) {
                traces.clear();
                obsMetrics.clear();
            }
            System.out.println("moobench: " + agent + ": " + String.join(" ", cmd));
            WorkloadChild child = WorkloadChild.run(new ProcessBuilder(cmd), CHILD_TIMEOUT_SECONDS, inFlight);
            if (!child.ok() || !child.check.equals("ok")) {
                child.printStdout();
                child.printStderr();
                System.err.println("moobench: " + agent + " failed: " + child.exitDescription() + " " + child.check);
                return 2;
            }
            for (String line : child.err) {
                if (line.startsWith("obs")) {
                    System.out.println("child(err): " + line);
                }
            }
            synchronized (this) {
                results.put(agent, new Result(child, traces.spans, traces.count(), traces.complete(depth),
                        new TreeMap<>(obsMetrics)));
            }
        }
        LocalHttpServer.stop(server);
        return report(results, calls, depth, loadBefore);
    }

    /**
     * Posts OTLP requests of 2048 spans (traces of {@code depth}) and an intake body to the receiver for
     * about two seconds, so its HTTP and decoding paths are compiled before the first child: otherwise the
     * agent run first would meet a receiver that answers its first requests at interpreter speed.
     */
    private void warmUpReceiver(String endpoint, int depth) throws Exception {
        io.opentelemetry.proto.trace.v1.ScopeSpans.Builder scope = io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder();
        for (int i = 0; i < 2048; i++) {
            byte[] trace = new byte[16];
            trace[0] = (byte) (i / depth + 1);
            byte[] id = new byte[8];
            id[7] = (byte) (i % depth + 1);
            byte[] parent = new byte[8];
            parent[7] = (byte) (i % depth);
            scope.addSpans(io.opentelemetry.proto.trace.v1.Span.newBuilder()
                    .setTraceId(com.google.protobuf.ByteString.copyFrom(trace))
                    .setSpanId(com.google.protobuf.ByteString.copyFrom(id))
                    .setParentSpanId(com.google.protobuf.ByteString.copyFrom(i % depth == 0 ? new byte[0] : parent))
                    .setName("MonitoredClass.monitoredMethod"));
        }
        byte[] otlp = io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder().addScopeSpans(scope))
                .build().toByteArray();
        StringBuilder ndjson = new StringBuilder("{\"metadata\":{}}\n");
        for (int i = 0; i < 200; i++) {
            ndjson.append(String.format(Locale.ROOT, "{\"span\":{\"id\":\"%016x\",\"trace_id\":\"%032x\","
                    + "\"parent_id\":\"%016x\"}}%n", i + 1, i / depth + 1, i));
        }
        byte[] intake = ndjson.toString().getBytes(StandardCharsets.UTF_8);
        long end = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < end) {
            post(endpoint + "/v1/traces", "application/x-protobuf", otlp);
            post(endpoint + "/intake/v2/events", "application/x-ndjson", intake);
        }
        synchronized (this) {
            traces.clear();
        }
    }

    private static void post(String url, String type, byte[] body) throws IOException {
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) java.net.URI.create(url).toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", type);
        c.setFixedLengthStreamingMode(body.length);
        try (OutputStream out = c.getOutputStream()) {
            out.write(body);
        }
        try (InputStream in = c.getResponseCode() >= 400 ? c.getErrorStream() : c.getInputStream()) {
            if (in != null) {
                in.readAllBytes();
            }
        }
    }

    private static boolean isFile(String path) {
        return path != null && Files.isRegularFile(Path.of(path));
    }

    private record Result(WorkloadChild child, long spans, long traces, long completeTraces,
                          Map<String, Long> obsMetrics) {
    }

    private static int report(Map<String, Result> results, int calls, int depth, double loadBefore) {
        long methodCalls = (long) calls * depth;
        Result none = results.get("none");
        StringBuilder b = new StringBuilder();
        b.append("\n== MooBenchmark (").append(calls).append(" calls x depth ").append(depth).append(" = ")
                .append(methodCalls).append(" traced method calls, one child JVM per agent, receiver on 127.0.0.1)\n");
        b.append(String.format(Locale.ROOT, "%-8s %12s %12s %12s %12s %10s %10s %10s%n", "agent", "cpu ns/call",
                "+ vs none", "spans", "traces", "complete", "complete%", "exit ms"));
        for (Map.Entry<String, Result> e : results.entrySet()) {
            Result r = e.getValue();
            double perCall = r.child.cpuNanos / (double) methodCalls;
            double base = none == null ? Double.NaN : none.child.cpuNanos / (double) methodCalls;
            b.append(String.format(Locale.ROOT, "%-8s %12.1f %12.1f %12d %12d %10d %10.2f %10d%n", e.getKey(), perCall,
                    perCall - base, r.spans, r.traces, r.completeTraces, percent(r.completeTraces, r.traces),
                    (r.child.wallNanos - r.child.workloadNanos) / 1_000_000));
        }
        b.append("  cpu ns/call: the main thread's CPU time over the calls / traced method calls; + vs none: minus the"
                + " same without an agent, this run; exit ms: child wall time minus the calls (start-up + exit)\n");
        Result obs = results.get("obs");
        Result otel = results.get("otel");
        List<Bench.Check> checks = new ArrayList<>();
        if (obs != null) {
            b.append("  obs's own metrics (last export): ").append(obs.obsMetrics).append('\n');
            checks.add(new Bench.Check(String.format(Locale.ROOT, "obs: %.2f %% of delivered traces complete >= 99 %%",
                    percent(obs.completeTraces, obs.traces)), percent(obs.completeTraces, obs.traces) >= 99.0));
            if (otel != null) {
                double ratio = obs.spans / (double) Math.max(1, otel.spans);
                checks.add(new Bench.Check(String.format(Locale.ROOT,
                        "obs delivers %.1fx the spans the OpenTelemetry agent delivers (>= 10x)", ratio), ratio >= 10));
            }
        }
        b.append(String.format(Locale.ROOT, "load average before / after: %.2f / %.2f on %d cores%n", loadBefore,
                Bench.loadAverage(), Runtime.getRuntime().availableProcessors()));
        boolean ok = true;
        for (Bench.Check c : checks) {
            b.append(String.format(Locale.ROOT, "  [%s] %s%n", c.ok() ? "PASS" : "FAIL", c.what()));
            ok &= c.ok();
        }
        System.out.print(b);
        return ok ? 0 : 1;
    }

    private static double percent(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }

    // ------------------------------------------------------------------------------------------ receiver

    private void handle(HttpExchange ex) throws IOException {
        inFlight.incrementAndGet();
        try (ex) {
            String path = ex.getRequestURI().getPath();
            byte[] body = Bench.requestBody(ex);
            switch (path) {
                case "/v1/traces" -> {
                    scanOtlpSpans(body);
                    respond(ex, 200, "application/x-protobuf", ExportTraceServiceResponse.getDefaultInstance()
                            .toByteArray());
                }
                case "/v1/metrics" -> {
                    readObsMetrics(ExportMetricsServiceRequest.parseFrom(body));
                    respond(ex, 200, "application/x-protobuf", ExportMetricsServiceResponse.getDefaultInstance()
                            .toByteArray());
                }
                case "/intake/v2/events" -> {
                    countElasticEvents(body);
                    respond(ex, 202, "application/json", new byte[0]);
                }
                // the APM server's version ("/") and anything else an agent asks for
                default -> respond(ex, 200, "application/json",
                        "{\"version\":\"8.15.0\"}".getBytes(StandardCharsets.UTF_8));
            }
        } catch (RuntimeException e) {
            System.err.println("moobench receiver: " + e);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static void respond(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** resource_spans (1) / scope_spans (2) / spans (2); in a span trace_id 1, span_id 2, parent_span_id 4. */
    private void scanOtlpSpans(byte[] request) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(request);
        SpanIds ids = new SpanIds();
        forEachField(in, 1, rs -> forEachField(rs, 2, ss -> forEachField(ss, 2, span -> readOtlpSpan(span, ids))));
        ids.addTo(this);
    }

    /** The ids of one request's spans, added to the counter under one lock. */
    private static final class SpanIds {
        private long[] ids = new long[4 * 2048];
        private int n;

        void add(long traceHigh, long traceLow, long spanId, long parentId) {
            if (n + 4 > ids.length) {
                ids = java.util.Arrays.copyOf(ids, ids.length * 2);
            }
            ids[n++] = traceHigh;
            ids[n++] = traceLow;
            ids[n++] = spanId;
            ids[n++] = parentId;
        }

        void addTo(MooBenchmark bench) {
            synchronized (bench) {
                for (int i = 0; i < n; i += 4) {
                    bench.traces.add(ids[i], ids[i + 1], ids[i + 2], ids[i + 3]);
                }
            }
        }
    }

    private interface FieldReader {
        void read(CodedInputStream message) throws IOException;
    }

    /** Calls {@code reader} on each length-delimited field {@code field} of the message, skipping the rest. */
    private static void forEachField(CodedInputStream in, int field, FieldReader reader) throws IOException {
        int wanted = (field << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            if (tag == 0) {
                return;
            }
            if (tag != wanted) {
                in.skipField(tag);
                continue;
            }
            int limit = in.pushLimit(in.readRawVarint32());
            reader.read(in);
            in.skipRawBytes(in.getBytesUntilLimit());
            in.popLimit(limit);
        }
    }

    private static void readOtlpSpan(CodedInputStream in, SpanIds ids) throws IOException {
        long traceHigh = 0;
        long traceLow = 0;
        long spanId = 0;
        long parentId = 0;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> {
                    byte[] id = in.readByteArray();
                    traceHigh = id.length == 16 ? longAt(id, 0) : 0;
                    traceLow = id.length == 16 ? longAt(id, 8) : 0;
                }
                case 2 -> spanId = longOf(in.readByteArray());
                case 4 -> parentId = longOf(in.readByteArray());
                default -> in.skipField(tag);
            }
        }
        ids.add(traceHigh, traceLow, spanId, parentId);
    }

    private static long longOf(byte[] id) {
        return id.length == 8 ? longAt(id, 0) : 0;
    }

    private static long longAt(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    private static final Pattern TRACE_ID = Pattern.compile("\"trace_id\":\"([0-9a-f]{32})\"");
    private static final Pattern OWN_ID = Pattern.compile("[{,]\"id\":\"([0-9a-f]{16})\"");
    private static final Pattern PARENT_ID = Pattern.compile("\"parent_id\":\"([0-9a-f]{16})\"");

    /** Counts the {@code transaction} and {@code span} lines of an APM intake ndjson body. */
    private void countElasticEvents(byte[] ndjson) throws IOException {
        SpanIds ids = new SpanIds();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(ndjson),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.startsWith("{\"transaction\":") && !line.startsWith("{\"span\":")) {
                    continue;
                }
                Matcher trace = TRACE_ID.matcher(line);
                Matcher id = OWN_ID.matcher(line);
                Matcher parent = PARENT_ID.matcher(line);
                if (!trace.find() || !id.find()) {
                    continue;
                }
                String t = trace.group(1);
                long parentId = parent.find() ? Long.parseUnsignedLong(parent.group(1), 16) : 0;
                ids.add(Long.parseUnsignedLong(t.substring(0, 16), 16), Long.parseUnsignedLong(t.substring(16), 16),
                        Long.parseUnsignedLong(id.group(1), 16), parentId);
            }
        }
        ids.addTo(this);
    }

    /** obs's self-metrics and method-duration count; cumulative, so the largest value seen is the last. */
    private synchronized void readObsMetrics(ExportMetricsServiceRequest request) {
        for (ResourceMetrics rm : request.getResourceMetricsList()) {
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                for (Metric m : sm.getMetricsList()) {
                    if (m.getName().equals("obs.method.duration") && m.hasHistogram()) {
                        long count = 0;
                        for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
                            count += p.getCount();
                        }
                        obsMetrics.merge("obs.method.duration.count", count, Math::max);
                    } else if ((m.getName().startsWith("obs.records.") || m.getName().equals("obs.traces.shed"))
                            && m.hasSum()) {
                        for (NumberDataPoint p : m.getSum().getDataPointsList()) {
                            obsMetrics.merge(m.getName() + attributes(p.getAttributesList()), p.getAsInt(), Math::max);
                        }
                    }
                }
            }
        }
    }

    private static String attributes(List<KeyValue> attributes) {
        StringBuilder s = new StringBuilder("{");
        for (KeyValue kv : attributes) {
            s.append(s.length() > 1 ? "," : "").append(kv.getKey()).append('=').append(kv.getValue().getStringValue());
        }
        return s.append('}').toString();
    }

    /** Spans by trace: a trace is complete when it has exactly {@code depth} spans, one root, every parent present. */
    private static final class TraceCounter {
        long spans;
        /** Per trace: span id and parent id pairs. */
        private final Map<TraceKey, long[]> byTrace = new HashMap<>();

        record TraceKey(long high, long low) {
        }

        void add(long traceHigh, long traceLow, long spanId, long parentId) {
            spans++;
            TraceKey key = new TraceKey(traceHigh, traceLow);
            long[] ids = byTrace.get(key);
            if (ids == null) {
                ids = new long[21];
            } else if (ids[0] * 2 + 2 >= ids.length) {
                ids = java.util.Arrays.copyOf(ids, ids.length * 2 + 1);
            }
            int n = (int) ids[0];
            ids[1 + 2 * n] = spanId;
            ids[2 + 2 * n] = parentId;
            ids[0] = n + 1;
            byTrace.put(key, ids);
        }

        long count() {
            return byTrace.size();
        }

        long complete(int depth) {
            long complete = 0;
            for (long[] ids : byTrace.values()) {
                int n = (int) ids[0];
                if (n != depth) {
                    continue;
                }
                java.util.Set<Long> own = new java.util.HashSet<>();
                for (int i = 0; i < n; i++) {
                    own.add(ids[1 + 2 * i]);
                }
                int roots = 0;
                boolean parentsPresent = true;
                for (int i = 0; i < n; i++) {
                    long parent = ids[2 + 2 * i];
                    if (parent == 0) {
                        roots++;
                    } else if (!own.contains(parent)) {
                        parentsPresent = false;
                    }
                }
                if (roots == 1 && parentsPresent) {
                    complete++;
                }
            }
            return complete;
        }

        void clear() {
            spans = 0;
            byTrace.clear();
        }
    }
}
