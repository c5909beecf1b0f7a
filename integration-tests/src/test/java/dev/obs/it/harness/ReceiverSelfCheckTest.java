package dev.obs.it.harness;

import com.acme.LoopApp;
import com.acme.MethodsApp;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks the harness itself, independently of the agent: the stock OpenTelemetry SDK exporters talk to
 * the receivers in-process, the JSON store reader parses Collector-format lines, and AgentJvm runs and
 * times out child JVMs. If these fail, agent test failures say nothing about the agent.
 */
class ReceiverSelfCheckTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Resource RESOURCE = Resource.getDefault().merge(
            Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "self-check")));

    /** Held strongly: the failure-mode test provokes export errors on purpose, and their stack traces are noise. */
    private static final Logger SDK_LOGGER = Logger.getLogger("io.opentelemetry");

    private static OtlpHttpReceiver http;

    @BeforeAll
    static void startReceiver() {
        SDK_LOGGER.setLevel(Level.OFF);
        http = new OtlpHttpReceiver();
    }

    @AfterAll
    static void stopReceiver() {
        http.close();
    }

    @BeforeEach
    void reset() {
        http.behaveNormally();
        http.restart();
        http.clear();
    }

    @Test
    void httpReceiverDecodesGzippedSpansAndKeepsHeadersAndBody() {
        SpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(http.tracesUrl())
                .setCompression("gzip").addHeader("x-check", "yes").build();
        emitSpans(exporter, "parent-op", "child-op");

        List<ReceivedSpan> spans = http.awaitSpans(2, WAIT);
        ReceivedSpan parent = spans.stream().filter(s -> s.name().equals("parent-op")).findFirst().orElseThrow();
        ReceivedSpan child = spans.stream().filter(s -> s.name().equals("child-op")).findFirst().orElseThrow();
        assertEquals(parent.spanId(), child.parentSpanId());
        assertEquals(parent.traceId(), child.traceId());
        assertEquals(32, parent.traceId().length());
        assertTrue(parent.isRoot());
        assertEquals("self-check", parent.resourceAttribute("service.name"));
        assertEquals("v", child.attribute("k"));

        // SimpleSpanProcessor exports each span on its own, in whichever order the requests land.
        List<RawRequest> requests = http.rawRequests();
        assertEquals(2, requests.size(), requests.toString());
        for (RawRequest raw : requests) {
            assertEquals(OtlpHttpReceiver.TRACES_PATH, raw.path());
            assertEquals("gzip", raw.header("Content-Encoding"));
            assertEquals("yes", raw.header("x-check"));
        }
        RawRequest parentRequest = requests.stream().filter(r -> r.decodedBodyAsText().contains("parent-op"))
                .findFirst().orElseThrow(() -> new AssertionError("no decoded body holds parent-op"));
        assertFalse(new String(parentRequest.wireBody(), StandardCharsets.ISO_8859_1).contains("parent-op"),
                "wire body should be compressed");
    }

    @Test
    void httpReceiverAggregatesCumulativeMetricsPerSeries() {
        MetricExporter exporter = OtlpHttpMetricExporter.builder().setEndpoint(http.metricsUrl()).build();
        emitMetrics(exporter);

        http.awaitMetric("calls", WAIT);
        http.awaitCondition(() -> http.latestHistogramCount("latency", Map.of("op", "a")) == 3, WAIT,
                () -> "3 latency recordings for op=a");
        assertEquals(5, http.latestValue("calls", Map.of("op", "a")));
        assertEquals(7, http.latestValue("calls", Map.of()));
        assertEquals(4, http.latestHistogramCount("latency", Map.of()));
        assertEquals(0.6, http.latestHistogramSum("latency", Map.of("op", "a")), 1e-9);
        assertTrue(Double.isNaN(http.latestValue("calls", Map.of("op", "nope"))));
        assertEquals(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
                http.awaitMetric("latency", WAIT).metric().getHistogram().getAggregationTemporality());
    }

    @Test
    void grpcReceiverAcceptsSpansMetricsAndHeaders() {
        try (OtlpGrpcReceiver grpc = new OtlpGrpcReceiver()) {
            emitSpans(OtlpGrpcSpanExporter.builder().setEndpoint(grpc.endpoint()).setCompression("gzip")
                    .addHeader("x-check", "grpc").build(), "grpc-parent", "grpc-child");
            emitMetrics(OtlpGrpcMetricExporter.builder().setEndpoint(grpc.endpoint()).build());

            assertEquals(2, grpc.awaitSpans(2, WAIT).size());
            grpc.awaitCondition(() -> grpc.latestValue("calls", Map.of()) == 7, WAIT, () -> "calls = 7");
            assertTrue(grpc.rawRequests().stream().anyMatch(r -> "grpc".equals(r.header("x-check"))),
                    () -> "headers: " + grpc.rawRequests());
            assertTrue(grpc.rawRequests().stream().anyMatch(r -> "gzip".equals(r.header("grpc-encoding"))),
                    () -> "the compressed span export shows as grpc-encoding: " + grpc.rawRequests());
        }
    }

    @Test
    void failureModesMakeExportsFailAndRestartServesTheSamePort() {
        assertTrue(exportOneSpan(), "the healthy receiver must accept the export, or the failures below prove nothing");

        http.respondWith(500);
        assertFalse(exportOneSpan(), "500 must fail the export");
        http.behaveNormally();

        http.resetConnections();
        assertFalse(exportOneSpan(), "a dropped connection must fail the export");
        http.behaveNormally();

        http.delay(Duration.ofSeconds(3));
        long start = System.nanoTime();
        assertFalse(exportOneSpan(Duration.ofMillis(500)), "a slow answer must time the export out");
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(3).toNanos());
        http.behaveNormally();

        int port = http.port();
        http.stop();
        assertFalse(exportOneSpan(), "a stopped receiver must refuse the export");
        http.restart();
        assertEquals(port, http.port());
        http.clear();
        assertTrue(exportOneSpan(), "after restart the export must succeed on the same port");
        assertEquals(1, http.spans().size());
    }

    private static final String TRACE_LINE = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
            + "\"value\":{\"stringValue\":\"svc\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"dev.obs\"},"
            + "\"spans\":[{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\","
            + "\"parentSpanId\":\"\",\"name\":\"Repo.sync\",\"kind\":1,\"startTimeUnixNano\":\"1544712660000000000\","
            + "\"endTimeUnixNano\":\"1544712661000000000\",\"attributes\":[{\"key\":\"code.function\","
            + "\"value\":{\"stringValue\":\"sync\"}}],\"status\":{}}]}]}]}";
    private static final String METRIC_LINE = "{\"resourceMetrics\":[{\"resource\":{},\"scopeMetrics\":[{\"scope\":{\"name\":\"dev.obs\"},"
            + "\"metrics\":[{\"name\":\"obs.method.duration\",\"unit\":\"s\",\"histogram\":{\"dataPoints\":[{"
            + "\"startTimeUnixNano\":\"1\",\"timeUnixNano\":\"2\",\"count\":\"4\",\"sum\":0.5,"
            + "\"attributes\":[{\"key\":\"code.function\",\"value\":{\"stringValue\":\"sync\"}}]}],"
            + "\"aggregationTemporality\":2}}]}]}]}";

    @Test
    void jsonStoreReaderConvertsHexIdsAndParsesBothSignals(@TempDir Path dir) throws Exception {
        OtlpJsonStore files = storeOfOneTraceFileAndOneMetricFile(dir);
        assertEquals(1, files.traceFiles().size());
        assertEquals(3, files.allFiles().size());
        TelemetryStore store = files.read();
        ReceivedSpan span = store.spans().get(0);
        assertEquals(2, store.spans().size());
        assertEquals("5b8efff798038103d269b633813fc60c", span.traceId());
        assertEquals("eee19b7ec3c1b174", span.spanId());
        assertTrue(span.isRoot());
        assertEquals("svc", span.resourceAttribute("service.name"));
        assertEquals("dev.obs", span.scope().getName());
        assertEquals(4, store.latestHistogramCount("obs.method.duration", Map.of("code.function", "sync")));
    }

    @Test
    void jsonStoreReaderFailsOnABrokenLine(@TempDir Path dir) throws Exception {
        OtlpJsonStore files = storeOfOneTraceFileAndOneMetricFile(dir);
        assertEquals(2, files.read().spans().size(), "control: the store reads before the broken file is added");

        Files.writeString(dir.resolve("traces-0002.jsonl"), "{\"resourceSpans\": [ broken\n");

        assertThrows(AssertionError.class, files::read);
    }

    @Test
    void storedTraceLineParsesBackToItsRequest() throws Exception {
        ExportTraceServiceRequest reparsed = OtlpJson.parseTraces(TRACE_LINE);
        assertEquals("Repo.sync", reparsed.getResourceSpans(0).getScopeSpans(0).getSpans(0).getName());
    }

    private static OtlpJsonStore storeOfOneTraceFileAndOneMetricFile(Path dir) throws Exception {
        Files.writeString(dir.resolve("traces-0001.jsonl"), TRACE_LINE + "\n" + TRACE_LINE + "\n");
        Files.writeString(dir.resolve("metrics-0001.jsonl"), METRIC_LINE + "\n");
        Files.writeString(dir.resolve("unrelated.txt"), "not otlp");
        return new OtlpJsonStore(dir);
    }

    @Test
    void agentJvmReportsExitCodeOutputAndKillsOnTimeout() {
        JvmResult result = AgentJvm.withoutAgent(MethodsApp.class).args("--sync=2", "--exit=3").run();
        assertEquals(3, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("sync(1) = "), result.describe());
        assertTrue(result.stdout().contains("same exception instance: true"), result.describe());

        long start = System.nanoTime();
        AssertionError timeout = assertThrows(AssertionError.class, () ->
                AgentJvm.withoutAgent(LoopApp.class).args("--seconds=60").timeout(Duration.ofSeconds(3)).run());
        assertTrue(timeout.getMessage().contains("killed"), timeout.getMessage());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20));
    }

    // ---------------------------------------------------------------- helpers

    private static void emitSpans(SpanExporter exporter, String parentName, String childName) {
        SdkTracerProvider provider = SdkTracerProvider.builder().setResource(RESOURCE)
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
        Tracer tracer = provider.get("self-check");
        Span parent = tracer.spanBuilder(parentName).startSpan();
        try (var scope = parent.makeCurrent()) {
            tracer.spanBuilder(childName).setAttribute("k", "v").startSpan().end();
        } finally {
            parent.end();
        }
        provider.forceFlush().join(10, TimeUnit.SECONDS);
        provider.shutdown().join(10, TimeUnit.SECONDS);
    }

    private static void emitMetrics(MetricExporter exporter) {
        SdkMeterProvider provider = SdkMeterProvider.builder().setResource(RESOURCE)
                .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(Duration.ofMinutes(5)).build())
                .build();
        Meter meter = provider.get("self-check");
        var calls = meter.counterBuilder("calls").build();
        var latency = meter.histogramBuilder("latency").setUnit("s").build();
        Attributes a = Attributes.of(AttributeKey.stringKey("op"), "a");
        Attributes b = Attributes.of(AttributeKey.stringKey("op"), "b");
        calls.add(2, a);
        latency.record(0.1, a);
        latency.record(0.2, a);
        provider.forceFlush().join(10, TimeUnit.SECONDS);
        // A second export of the same cumulative series must replace, not add to, the first.
        calls.add(3, a);
        calls.add(2, b);
        latency.record(0.3, a);
        latency.record(0.4, b);
        provider.forceFlush().join(10, TimeUnit.SECONDS);
        provider.shutdown().join(10, TimeUnit.SECONDS);
    }

    private static boolean exportOneSpan() {
        return exportOneSpan(Duration.ofSeconds(5));
    }

    private static boolean exportOneSpan(Duration timeout) {
        SpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(http.tracesUrl())
                .setTimeout(timeout).setRetryPolicy(null).build();
        CollectingProcessor processor = new CollectingProcessor(exporter);
        SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(processor).build();
        provider.get("self-check").spanBuilder("one").startSpan().end();
        CompletableResultCode result = processor.lastResult;
        result.join(timeout.toMillis() + 2000, TimeUnit.MILLISECONDS);
        provider.shutdown().join(5, TimeUnit.SECONDS);
        return result.isSuccess();
    }

    /** Exports each span as it ends and remembers the export's result, which SimpleSpanProcessor hides. */
    private static final class CollectingProcessor implements SpanProcessor {
        private final SpanExporter exporter;
        private volatile CompletableResultCode lastResult = CompletableResultCode.ofFailure();

        CollectingProcessor(SpanExporter exporter) {
            this.exporter = exporter;
        }

        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {
        }

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {
            lastResult = exporter.export(List.of(span.toSpanData()));
        }

        @Override
        public boolean isEndRequired() {
            return true;
        }

        @Override
        public CompletableResultCode shutdown() {
            return exporter.shutdown();
        }
    }
}
