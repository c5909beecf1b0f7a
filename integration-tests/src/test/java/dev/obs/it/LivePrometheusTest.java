package dev.obs.it;

import static dev.obs.it.ObsRuns.ARRIVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.LiveApp;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.JGitJars;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.OtlpJson;
import dev.obs.it.harness.PrometheusServer;
import dev.obs.it.harness.RunningJvm;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real Prometheus scrapes {@code /metrics} of an agent-attached child that did JGit and file work (and
 * also exports OTLP to a receiver): what Prometheus stores equals what the child did and what OTLP says.
 * One child and one Prometheus serve every test method; each method checks one thing.
 */
class LivePrometheusTest {
    static final int COMMITS = 4;
    static final int FILES = 7;
    static final int BYTES = 3000;
    static final Pattern LISTENING = Pattern.compile("live endpoints on http://127\\.0\\.0\\.1:(\\d+)/");

    @RegisterExtension
    static final OtlpHttpReceiver receiver = new OtlpHttpReceiver();

    static Path dir;
    static RunningJvm child;
    static int port;
    static PrometheusServer prometheus;
    static int gitOperations;
    static long written;
    static long read;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startChildAndPrometheus() throws Exception {
        dir = Files.createTempDirectory("obs-live-prom");
        Path work = Files.createDirectories(dir.resolve("work"));
        child = JGitJars.withJGit(AgentJvm.withAgent(LiveApp.class), null, dir.resolve("home"))
                .property("obs.http.port", "0")
                .property("otel.exporter.otlp.endpoint", receiver.endpoint())
                .property("otel.metric.export.interval", "1s")
                .property("obs.fs.groups", "data=" + work.resolve("data") + "/**")
                .property("obs.fs.slow.threshold", "1d")
                .timeout(Duration.ofMinutes(5))
                .args(work.toString(), String.valueOf(COMMITS), String.valueOf(FILES), String.valueOf(BYTES))
                .start();
        child.awaitStdout("done git", Duration.ofSeconds(90));
        Matcher done = Pattern.compile("done git (\\d+) written (\\d+) read (\\d+)").matcher(child.stdoutSoFar());
        assertTrue(done.find(), child.stdoutSoFar());
        gitOperations = Integer.parseInt(done.group(1));
        written = Long.parseLong(done.group(2));
        read = Long.parseLong(done.group(3));
        port = listeningPort(child);
        prometheus = PrometheusServer.start(Files.createDirectories(dir.resolve("prometheus")), "127.0.0.1:" + port);
    }

    static int listeningPort(RunningJvm jvm) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(jvm.stderrSoFar());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the agent did not say where it listens:\n" + jvm.stderrSoFar());
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (child != null) {
            child.kill();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Polls {@code promql} until it equals {@code expected}; fails with the last value and the targets. */
    static void awaitQuery(String promql, double expected) throws Exception {
        long deadline = System.nanoTime() + ARRIVAL.toNanos();
        double value = Double.NaN;
        while (System.nanoTime() < deadline) {
            value = prometheus.query(promql);
            if (value == expected) {
                return;
            }
            Thread.sleep(200);
        }
        assertEquals(expected, value, promql + "\n" + prometheus.targets());
    }

    static HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void prometheusScrapesTheAgent() throws Exception {
        awaitQuery("up{job=\"obs\"}", 1);
    }

    @Test
    void gitOperationsInPrometheusEqualTheSpansAndWhatTheChildDid() throws Exception {
        assertEquals(2 * COMMITS, gitOperations);
        int spans = receiver.awaitSpans(s -> s.name().startsWith("git "), gitOperations, ARRIVAL).size();
        assertEquals(gitOperations, spans, receiver.describe());
        awaitQuery("sum(git_operation_duration_seconds_count)", gitOperations);
        // the +Inf bucket of every series holds its count: the histogram Prometheus built is whole
        awaitQuery("sum(git_operation_duration_seconds_bucket{le=\"+Inf\"})", gitOperations);
    }

    @Test
    void fileTotalsInPrometheusEqualWhatTheChildDidAndWhatOtlpSays() throws Exception {
        assertEquals((long) FILES * BYTES, written);
        assertEquals(written, read);
        awaitQuery("sum(fs_io_bytes_total{file_group=\"data\",fs_io_direction=\"write\"})", written);
        awaitQuery("sum(fs_io_bytes_total{file_group=\"data\",fs_io_direction=\"read\"})", read);
        receiver.awaitCondition(() -> receiver.latestValue("fs.io.bytes",
                        Map.of("file.group", "data", "fs.io.direction", "write")) == written,
                ARRIVAL, () -> receiver.describeSeries("fs.io.bytes"));
        receiver.awaitCondition(() -> receiver.latestValue("fs.io.bytes",
                        Map.of("file.group", "data", "fs.io.direction", "read")) == read,
                ARRIVAL, () -> receiver.describeSeries("fs.io.bytes"));
        // every write and open of the data files, counted the same on both paths
        double opsOverOtlp = receiver.latestValue("fs.operations", Map.of("file.group", "data"));
        awaitQuery("sum(fs_operations_total{file_group=\"data\"})", opsOverOtlp);
    }

    @Test
    void exemplarsInPrometheusPointAtSpansThatWereExported() throws Exception {
        java.util.Set<String> spans = new java.util.HashSet<>();
        for (var s : receiver.awaitSpans(s -> s.name().startsWith("git "), gitOperations, ARRIVAL)) {
            spans.add(s.traceId() + "/" + s.spanId());
        }
        long deadline = System.nanoTime() + ARRIVAL.toNanos();
        List<String> exemplars = prometheus.exemplarIds("git_operation_duration_seconds_bucket");
        while (exemplars.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            exemplars = prometheus.exemplarIds("git_operation_duration_seconds_bucket");
        }
        assertTrue(!exemplars.isEmpty(), "Prometheus stored exemplars\n" + prometheus.targets());
        for (String id : exemplars) {
            assertTrue(spans.contains(id), id + " is one of the git spans received: " + spans);
        }
    }

    @Test
    void promtoolFindsNoProblemInTheScrape() throws Exception {
        HttpResponse<String> r = get("/metrics", null);
        assertEquals(200, r.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        promtool.getOutputStream().write(r.body().getBytes(StandardCharsets.UTF_8));
        promtool.getOutputStream().close();
        String report = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(promtool.waitFor(30, TimeUnit.SECONDS));
        // OpenTelemetry's semantic conventions name two gauges *.count (jvm.thread.count,
        // jvm.file_descriptor.count); promtool's style rule flags that suffix on a gauge. Nothing else may appear.
        List<String> problems = report.lines().filter(l -> !l.isBlank())
                .filter(l -> !l.matches("jvm_(thread|file_descriptor)_count non-histogram and non-summary metrics"
                        + " should not have \"_count\" suffix"))
                .toList();
        assertEquals(List.of(), problems, report + "\n" + r.body());
        assertTrue(r.body().contains("git_operation_duration_seconds_bucket{"), r.body());
    }

    @Test
    void openMetricsWhenTheClientAsksForIt() throws Exception {
        HttpResponse<String> r = get("/metrics", "application/openmetrics-text; version=1.0.0,text/plain;q=0.5");
        assertEquals(200, r.statusCode());
        assertEquals("application/openmetrics-text; version=1.0.0; charset=utf-8",
                r.headers().firstValue("Content-Type").orElse(""));
        assertTrue(r.body().endsWith("# EOF\n"), r.body());
        assertTrue(r.body().contains("# TYPE fs_io_bytes counter\n# UNIT fs_io_bytes bytes\n"), r.body());
        assertTrue(r.body().contains("# TYPE git_operation_duration_seconds histogram\n"), r.body());
        assertTrue(Pattern.compile("\ngit_operation_duration_seconds_bucket\\{[^}]*\\} \\d+ # \\{trace_id=\"[0-9a-f]{32}\","
                + "span_id=\"[0-9a-f]{16}\"\\} [0-9.E-]+ \\d+\\.\\d{3}\n").matcher(r.body()).find(), "an exemplar:\n" + r.body());
    }

    @Test
    void metricsJsonIsOneStoreLineWithTheSameValuesAsOtlp() throws Exception {
        HttpResponse<String> r = get("/metrics/json", null);
        assertEquals(200, r.statusCode());
        assertEquals(-1, r.body().indexOf('\n'), "one line");
        ExportMetricsServiceRequest request = OtlpJson.parseMetrics(r.body());
        long jsonWritten = request.getResourceMetricsList().stream()
                .flatMap(rm -> rm.getScopeMetricsList().stream()).flatMap(sm -> sm.getMetricsList().stream())
                .filter(m -> m.getName().equals("fs.io.bytes")).map(Metric::getSum)
                .flatMap(s -> s.getDataPointsList().stream())
                .filter(p -> attribute(p, "file.group").equals("data")
                        && attribute(p, "fs.io.direction").equals("write"))
                .mapToLong(NumberDataPoint::getAsInt).sum();
        assertEquals(written, jsonWritten, r.body());
        receiver.awaitCondition(() -> receiver.latestValue("fs.io.bytes",
                        Map.of("file.group", "data", "fs.io.direction", "write")) == written,
                ARRIVAL, () -> receiver.describeSeries("fs.io.bytes"));
    }

    private static String attribute(NumberDataPoint p, String key) {
        return p.getAttributesList().stream().filter(kv -> kv.getKey().equals(key))
                .map(kv -> kv.getValue().getStringValue()).findFirst().orElse("");
    }
}
