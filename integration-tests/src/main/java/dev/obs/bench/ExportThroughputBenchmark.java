package dev.obs.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end export throughput: a child JVM with the agent attached generates method spans at a paced
 * rate ({@link SpanLoad}); this process runs an OTLP/HTTP receiver (JDK {@link HttpServer} on 127.0.0.1)
 * that decodes every request with {@code ExportTraceServiceRequest.parseFrom} and counts spans, and
 * decodes metric requests to read the agent's self-metrics {@code obs.records.dropped} /
 * {@code obs.records.accepted} (signal=spans). The {@code obs summary:} stderr lines are echoed and parsed
 * too.
 *
 * <pre>
 *   java -Dobs.jar=agent/target/obs.jar -cp integration-tests/target/benchmarks.jar \
 *        dev.obs.bench.ExportThroughputBenchmark [--rate 220000] [--seconds 10] [--warmup 6] \
 *        [--queue 65536] [--shutdown-timeout 10s] [--target 200000] [--receiver parse|scan] \
 *        [-- extra child JVM args]
 * </pre>
 *
 * {@code --receiver parse} (default) decodes every request with {@code ExportTraceServiceRequest.parseFrom};
 * {@code --receiver scan} only walks the protobuf wire format to count spans, so on a small machine the
 * receiver takes less CPU away from the child. The table shows the CPU both JVMs used.
 *
 * Reported: the receive rate while the child generated (spans received between its GEN_START and GEN_END
 * markers / that wall time), the overall rate (all measured spans / time until the last one arrived),
 * received vs generated, and drops. Target: receive rate >= --target and zero drops. OBS_ARGS (env,
 * space separated) adds JVM flags to the child.
 */
public final class ExportThroughputBenchmark {
    private final AtomicLong spansReceived = new AtomicLong();
    private final AtomicLong traceRequests = new AtomicLong();
    private final AtomicLong metricRequests = new AtomicLong();
    private final AtomicLong badRequests = new AtomicLong();
    private final AtomicLong lastSpanNanos = new AtomicLong();
    private final AtomicLong handlerNanos = new AtomicLong();
    private final AtomicLong handlerMaxNanos = new AtomicLong();
    private final AtomicLong parseNanos = new AtomicLong();
    private final ConcurrentHashMap<String, Long> selfMetrics = new ConcurrentHashMap<>();
    private final boolean scan;

    ExportThroughputBenchmark(boolean scan) {
        this.scan = scan;
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    static int run(String[] args) throws Exception {
        BenchOptions o = BenchOptions.parse(args, "--rate", "--seconds", "--warmup", "--queue", "--target",
                "--shutdown-timeout", "--receiver");
        if (o == null) {
            return 2;
        }
        long rate = o.longInteger("--rate", 220_000);
        double seconds = o.decimal("--seconds", 10);
        double warmup = o.decimal("--warmup", 6);
        int queue = o.integer("--queue", 65_536);
        String shutdownTimeout = o.text("--shutdown-timeout", "10s");
        String receiver = o.text("--receiver", "parse");
        double target = o.decimal("--target", 200_000);
        List<String> extra = o.extra;
        String agentJar = Bench.agentJar();
        if (agentJar == null) {
            return 2;
        }
        if (!receiver.equals("parse") && !receiver.equals("scan")) {
            System.err.println("--receiver must be parse or scan");
            return 2;
        }
        return new ExportThroughputBenchmark(receiver.equals("scan")).measure(agentJar, rate, seconds, warmup, queue, shutdownTimeout, target,
                extra);
    }

    private int measure(String agentJar, long rate, double seconds, double warmup, int queue, String shutdownTimeout,
                        double target,
                        List<String> extra) throws Exception {
        double loadBefore = Bench.loadAverage();
        // Without TCP_NODELAY the JDK server's separate header and body writes can wait for a delayed ACK.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = LocalHttpServer.create(2);
        server.createContext("/v1/traces", this::traces);
        server.createContext("/v1/metrics", this::metrics);
        server.start();
        String endpoint = LocalHttpServer.endpoint(server);
        warmUpReceiver(endpoint);

        String classpath = Bench.benchmarksClasspath();
        List<String> cmd = new ArrayList<>();
        cmd.add(Bench.javaLauncher());
        cmd.addAll(Bench.otlpAgentArgs(agentJar, endpoint, "obs-throughput-bench"));
        cmd.add("-Dobs.methods.include=dev.obs.bench.Target[work]");
        cmd.add("-Dobs.queue.capacity=" + queue);
        cmd.add("-Dobs.summary=true");
        // room for the exit-time flush of a full queue (default 2s)
        cmd.add("-Dobs.shutdown.timeout=" + shutdownTimeout);
        // Self-metrics every 500 ms, so the drop count at the start of the measured phase is known.
        cmd.add("-Dotel.metric.export.interval=500ms");
        int extraStart = cmd.size();
        cmd.addAll(Bench.obsArgs());
        cmd.addAll(extra);
        List<String> extraArgs = new ArrayList<>(cmd.subList(extraStart, cmd.size()));
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(SpanLoad.class.getName());
        cmd.add(Long.toString(rate));
        cmd.add(Double.toString(seconds));
        cmd.add(Double.toString(warmup));
        System.out.println("receiver: " + endpoint + "  child: " + String.join(" ", cmd));

        Process child = new ProcessBuilder(cmd).start();
        List<String> summaryLines = new ArrayList<>();
        Thread errPump = new Thread(() -> pump(child.getErrorStream(), summaryLines), "child-stderr");
        errPump.start();

        long warmupGenerated = -1;
        long droppedAtStart = 0;
        long generated = -1;
        long childNanos = -1;
        long receivedAtStart = -1;
        long receivedAtEnd = -1;
        long startNanos = 0;
        long endNanos = 0;
        long receiverCpuAtStart = 0;
        long receiverCpuAtEnd = 0;
        long childCpuAtStart = 0;
        long childCpuAtEnd = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("WARMUP_END ")) {
                    warmupGenerated = Long.parseLong(line.substring(11).trim());
                } else if (line.startsWith("GEN_START")) {
                    startNanos = System.nanoTime();
                    receivedAtStart = spansReceived.get();
                    // The last export before the measured phase: drops after it count against the phase.
                    droppedAtStart = selfMetrics.getOrDefault("obs.records.dropped", 0L);
                    receiverCpuAtStart = SpanLoad.processCpuNanos();
                    childCpuAtStart = Long.parseLong(line.substring(9).trim());
                } else if (line.startsWith("GEN_END ")) {
                    endNanos = System.nanoTime();
                    receivedAtEnd = spansReceived.get();
                    String[] f = line.split(" ");
                    generated = Long.parseLong(f[1]);
                    childNanos = Long.parseLong(f[2]);
                    receiverCpuAtEnd = SpanLoad.processCpuNanos();
                } else if (line.startsWith("CHILD_CPU_NANOS ")) {
                    childCpuAtEnd = Long.parseLong(line.substring(16).trim());
                } else {
                    System.out.println("child: " + line);
                }
            }
        }
        boolean exited = child.waitFor(120, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly();
        }
        errPump.join(5_000);
        // The final span and metric exports happen in the child's shutdown hook, before it exits.
        Thread.sleep(200);
        LocalHttpServer.stop(server);

        if (generated < 0) {
            System.err.println("child did not report GEN_END (exit " + (exited ? child.exitValue() : "timeout") + ")");
            return 2;
        }
        long total = spansReceived.get();
        long expected = warmupGenerated + generated;
        double genRate = generated / (childNanos / 1e9);
        double windowRate = (receivedAtEnd - receivedAtStart) / ((endNanos - startNanos) / 1e9);
        double overallRate = (total - receivedAtStart) / ((lastSpanNanos.get() - startNanos) / 1e9);
        Long droppedMetric = selfMetrics.get("obs.records.dropped");
        Long acceptedMetric = selfMetrics.get("obs.records.accepted");
        Long summaryDropped = null;
        Pattern p = Pattern.compile("(\\d+) dropped spans");
        for (String s : summaryLines) {
            Matcher m = p.matcher(s);
            if (m.find()) {
                summaryDropped = Long.parseLong(m.group(1));
            }
        }
        long drops = droppedMetric != null ? droppedMetric : summaryDropped != null ? summaryDropped : -1;

        StringBuilder b = new StringBuilder();
        b.append("\n== ExportThroughputBenchmark (child JVM + agent -> OTLP/HTTP receiver in this JVM)\n");
        b.append(String.format(Locale.ROOT, "settings: rate=%d/s seconds=%.1f warmup=%.1f obs.queue.capacity=%d"
                + " obs.shutdown.timeout=%s receiver=%s extra=%s child exit=%s%n", rate, seconds, warmup, queue,
                shutdownTimeout, scan ? "scan" : "parse",
                extraArgs, exited ? Integer.toString(child.exitValue()) : "timeout"));
        b.append(String.format(Locale.ROOT, "%-44s %14s%n", "metric", "value"));
        b.append(row("spans generated (measured phase)", generated));
        b.append(row("spans generated (warm-up)", warmupGenerated));
        b.append(row("spans received before GEN_START (warm-up)", receivedAtStart));
        b.append(row("spans received (total)", total));
        b.append(row("spans missing (generated - received)", expected - total));
        b.append(String.format(Locale.ROOT, "%-44s %14.0f%n", "generation rate (child) spans/s", genRate));
        b.append(String.format(Locale.ROOT, "%-44s %14.0f%n", "receive rate during generation spans/s", windowRate));
        b.append(String.format(Locale.ROOT, "%-44s %14.0f%n", "receive rate until last span spans/s", overallRate));
        b.append(String.format(Locale.ROOT, "%-44s %14.3f%n", "ratio received/generated rate", windowRate / genRate));
        double window = (endNanos - startNanos) / 1e9;
        b.append(String.format(Locale.ROOT, "%-44s %14.2f%n", "child JVM CPU cores during generation",
                (childCpuAtEnd - childCpuAtStart) / 1e9 / window));
        b.append(String.format(Locale.ROOT, "%-44s %14.2f%n", "receiver JVM CPU cores during generation",
                (receiverCpuAtEnd - receiverCpuAtStart) / 1e9 / window));
        b.append(String.format(Locale.ROOT, "%-44s %14d%n", "machine cores", Runtime.getRuntime().availableProcessors()));
        b.append(row("obs.records.dropped{signal=spans} (metric)", droppedMetric == null ? -1 : droppedMetric));
        b.append(row("obs.records.accepted{signal=spans} (metric)", acceptedMetric == null ? -1 : acceptedMetric));
        b.append(row("dropped spans (obs summary line)", summaryDropped == null ? -1 : summaryDropped));
        long measuredDrops = droppedMetric == null ? -1 : droppedMetric - droppedAtStart;
        b.append(row("  dropped during warm-up (JIT, exporter start)", droppedAtStart));
        b.append(row("  dropped during the measured phase", measuredDrops));
        if (acceptedMetric != null && droppedMetric != null) {
            long queueDrops = expected - acceptedMetric;
            b.append(row("  of which: shed or queue full (generated - accepted)", queueDrops));
            b.append(row("  of which: export backlog (batches dropped)", droppedMetric - queueDrops));
        }
        long requests = traceRequests.get();
        b.append(String.format(Locale.ROOT, "%-44s %14s%n", "trace / metric / bad requests",
                requests + " / " + metricRequests.get() + " / " + badRequests.get()));
        if (requests > 0) {
            b.append(String.format(Locale.ROOT, "%-44s %14.1f%n", "spans per trace request", total / (double) requests));
            b.append(String.format(Locale.ROOT, "%-44s %14s%n", "receiver handler ms mean / max",
                    String.format(Locale.ROOT, "%.2f / %.1f", handlerNanos.get() / 1e6 / requests,
                            handlerMaxNanos.get() / 1e6)));
            b.append(String.format(Locale.ROOT, "%-44s %14.2f%n", "  of which decoding, ms mean",
                    parseNanos.get() / 1e6 / requests));
        }
        b.append(String.format(Locale.ROOT, "%-44s %14s%n", "load average before / after",
                String.format(Locale.ROOT, "%.2f / %.2f", loadBefore, Bench.loadAverage())));
        boolean rateOk = windowRate >= target;
        // Sustained throughput: the measured phase follows the warm-up (JIT compilation, exporter start-up,
        // whose drops are reported above but not judged). Every span of the phase must be accepted and exported.
        boolean dropOk = measuredDrops == 0 && generated + warmupGenerated - droppedAtStart - total <= 0;
        b.append(String.format(Locale.ROOT, "  [%s] receive rate during generation >= %.0f spans/s%n",
                rateOk ? "PASS" : "FAIL", target));
        b.append(String.format(Locale.ROOT, "  [%s] zero drops in the measured phase, every span not dropped in warm-up received%n",
                dropOk ? "PASS" : "FAIL"));
        if (drops < 0) {
            b.append("  note: no drop count seen (no obs.records.dropped metric and no 'obs summary:' line)\n");
        }
        System.out.print(b);
        return rateOk && dropOk ? 0 : 1;
    }

    /**
     * Posts synthetic 512-span requests to the receiver for about a second, so its HTTP and decoding paths
     * are compiled before the child starts; then resets the counters.
     */
    private void warmUpReceiver(String endpoint) throws Exception {
        io.opentelemetry.proto.trace.v1.ScopeSpans.Builder scope = io.opentelemetry.proto.trace.v1.ScopeSpans
                .newBuilder();
        for (int i = 0; i < 512; i++) {
            scope.addSpans(io.opentelemetry.proto.trace.v1.Span.newBuilder()
                    .setTraceId(com.google.protobuf.ByteString.copyFrom(new byte[16]))
                    .setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[8]))
                    .setName("Target.work").setStartTimeUnixNano(i).setEndTimeUnixNano(i + 1)
                    .addAttributes(KeyValue.newBuilder().setKey("code.function").setValue(
                            io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue("work"))));
        }
        byte[] body = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .addScopeSpans(scope)).build().toByteArray();
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(endpoint
                + "/v1/traces")).header("Content-Type", "application/x-protobuf")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build();
        long end = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < end) {
            client.send(req, java.net.http.HttpResponse.BodyHandlers.discarding());
        }
        spansReceived.set(0);
        traceRequests.set(0);
        handlerNanos.set(0);
        handlerMaxNanos.set(0);
        parseNanos.set(0);
        lastSpanNanos.set(0);
    }

    /**
     * Counts spans by walking the wire format (resource_spans = 1, scope_spans = 2, spans = 2, all
     * length-delimited) without building messages: the cheap receiver of {@code --receiver scan}.
     */
    static long scanSpans(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        return countNested(in, new int[] {1, 2, 2}, 0);
    }

    private static long countNested(CodedInputStream in, int[] path, int depth) throws IOException {
        long n = 0;
        int wanted = (path[depth] << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            if (tag != wanted) {
                in.skipField(tag);
            } else if (depth == path.length - 1) {
                in.skipRawBytes(in.readRawVarint32());
                n++;
            } else {
                int limit = in.pushLimit(in.readRawVarint32());
                n += countNested(in, path, depth + 1);
                in.popLimit(limit);
            }
        }
        return n;
    }

    private static String row(String name, long v) {
        return String.format(Locale.ROOT, "%-44s %14d%n", name, v);
    }

    private static void pump(InputStream in, List<String> summary) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                System.out.println("child(err): " + line);
                if (line.contains("obs summary")) {
                    synchronized (summary) {
                        summary.add(line);
                    }
                }
            }
        } catch (IOException e) {
            // child gone
        }
    }

    private void traces(HttpExchange ex) throws IOException {
        long t0 = System.nanoTime();
        try {
            byte[] bytes = Bench.requestBody(ex);
            long tp = System.nanoTime();
            long n = 0;
            if (scan) {
                n = scanSpans(bytes);
            } else {
                ExportTraceServiceRequest req = ExportTraceServiceRequest.parseFrom(bytes);
                for (ResourceSpans rs : req.getResourceSpansList()) {
                    for (ScopeSpans ss : rs.getScopeSpansList()) {
                        n += ss.getSpansCount();
                    }
                }
            }
            long done = System.nanoTime();
            parseNanos.addAndGet(done - tp);
            spansReceived.addAndGet(n);
            lastSpanNanos.set(done);
            long took = done - t0;
            handlerNanos.addAndGet(took);
            handlerMaxNanos.accumulateAndGet(took, Math::max);
            traceRequests.incrementAndGet();
            respond(ex, 200, ExportTraceServiceResponse.getDefaultInstance().toByteArray());
        } catch (Exception e) {
            badRequests.incrementAndGet();
            respond(ex, 400, new byte[0]);
        }
    }

    private void metrics(HttpExchange ex) throws IOException {
        try {
            ExportMetricsServiceRequest req = ExportMetricsServiceRequest.parseFrom(Bench.requestBody(ex));
            // one request's points of a metric added up (obs.records.dropped has a series per reason)
            java.util.Map<String, Long> sums = new java.util.HashMap<>();
            for (ResourceMetrics rm : req.getResourceMetricsList()) {
                for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                    for (Metric m : sm.getMetricsList()) {
                        if (m.getName().startsWith("obs.records.") && m.hasSum()) {
                            for (NumberDataPoint dp : m.getSum().getDataPointsList()) {
                                if (isSpans(dp.getAttributesList())) {
                                    sums.merge(m.getName(), dp.getAsInt(), Long::sum);
                                }
                            }
                        }
                    }
                }
            }
            // cumulative: keep the largest seen
            sums.forEach((name, value) -> selfMetrics.merge(name, value, Math::max));
            metricRequests.incrementAndGet();
            respond(ex, 200, ExportMetricsServiceResponse.getDefaultInstance().toByteArray());
        } catch (Exception e) {
            badRequests.incrementAndGet();
            respond(ex, 400, new byte[0]);
        }
    }

    private static boolean isSpans(List<KeyValue> attributes) {
        boolean spans = false;
        for (KeyValue kv : attributes) {
            if (kv.getKey().equals("signal") && kv.getValue().getStringValue().equals("spans")) {
                spans = true;
            } else if (kv.getKey().equals("exporter")) {
                return false; // obs.records.exported per exporter: not what we sum here
            }
        }
        return spans;
    }

    private static void respond(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/x-protobuf");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream os = ex.getResponseBody()) {
            if (body.length > 0) {
                os.write(body);
            }
        }
        ex.close();
    }
}
