package dev.obs.it;

import com.acme.MethodsApp;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpGrpcReceiver;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.OtlpJsonStore;
import dev.obs.it.harness.RawRequest;
import dev.obs.it.harness.ReceivedSpan;
import dev.obs.it.harness.TelemetryStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static dev.obs.it.ObsRuns.ARRIVAL;
import static dev.obs.it.ObsRuns.METHODS_APP_SPANS;
import static dev.obs.it.ObsRuns.METHODS_APP_SPAN_TOTAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where telemetry goes: OTLP over HTTP or gRPC, headers, compression, per-signal URLs, and the local store. */
class ExportConfigurationTest {
    @RegisterExtension
    static final OtlpHttpReceiver receiver = new OtlpHttpReceiver();

    @BeforeEach
    void forgetEarlierRuns() {
        receiver.clear();
    }

    @Test
    void grpcProtocolExportsSpansMetricsHeadersAndCompressionToAGrpcCollector() {
        try (OtlpGrpcReceiver grpc = new OtlpGrpcReceiver()) {
            JvmResult run = ObsRuns.exportingTo(MethodsApp.class, grpc.endpoint())
                    .property("otel.exporter.otlp.protocol", "grpc")
                    .property("otel.exporter.otlp.headers", "x-tenant=acme,x-team=obs")
                    .property("otel.exporter.otlp.compression", "gzip")
                    .args("--sync=3")
                    .run();
            assertEquals(0, run.exitCode(), run.describe());

            assertEquals(METHODS_APP_SPAN_TOTAL, grpc.awaitSpans(METHODS_APP_SPAN_TOTAL, ARRIVAL).size(), run.describe());
            grpc.awaitCondition(() -> grpc.latestHistogramCount("obs.method.duration",
                            Map.of("code.namespace", "com.acme.Repo", "code.function", "sync")) == 5, ARRIVAL,
                    () -> "obs.method.duration{Repo.sync} count 5 over gRPC");
            for (RawRequest request : grpc.rawRequests()) {
                assertEquals("acme", request.header("x-tenant"), request.toString());
                assertEquals("obs", request.header("x-team"), request.toString());
                assertEquals("gzip", request.header("grpc-encoding"), request.toString());
            }
            assertTrue(receiver.rawRequests().isEmpty(), "nothing may go to the HTTP receiver");
        }
    }

    @Test
    void httpExportSendsConfiguredHeadersAndGzipsWhenAsked() {
        JvmResult run = ObsRuns.exportingTo(MethodsApp.class, receiver.endpoint())
                .property("otel.exporter.otlp.headers", "x-tenant=acme,x-team=obs")
                .property("otel.exporter.otlp.compression", "gzip")
                .args("--sync=3")
                .run();
        assertEquals(0, run.exitCode(), run.describe());
        receiver.awaitSpans(METHODS_APP_SPAN_TOTAL, ARRIVAL);
        receiver.awaitMetric("obs.method.duration", ARRIVAL);

        List<RawRequest> requests = receiver.rawRequests();
        assertTrue(requests.stream().anyMatch(r -> r.path().equals(OtlpHttpReceiver.TRACES_PATH)), requests.toString());
        assertTrue(requests.stream().anyMatch(r -> r.path().equals(OtlpHttpReceiver.METRICS_PATH)), requests.toString());
        for (RawRequest request : requests) {
            assertEquals(200, request.status(), request.toString());
            assertEquals("acme", request.header("x-tenant"), request.toString());
            assertEquals("obs", request.header("x-team"), request.toString());
            assertEquals("gzip", request.header("content-encoding"), request.toString());
            assertTrue(String.valueOf(request.header("content-type")).startsWith("application/x-protobuf"),
                    request.toString() + " content-type " + request.header("content-type"));
        }
    }

    @Test
    void signalSpecificEndpointsAreUsedAsFullUrls() {
        try (OtlpHttpReceiver metricsReceiver = new OtlpHttpReceiver()) {
            JvmResult run = ObsRuns.instrumented(MethodsApp.class)
                    .property("otel.exporter.otlp.traces.endpoint", receiver.tracesUrl())
                    .property("otel.exporter.otlp.metrics.endpoint", metricsReceiver.metricsUrl())
                    .args("--sync=3")
                    .run();
            assertEquals(0, run.exitCode(), run.describe());

            receiver.awaitSpans(METHODS_APP_SPAN_TOTAL, ARRIVAL);
            metricsReceiver.awaitMetric("obs.method.duration", ARRIVAL);
            assertTrue(receiver.metricRequests().isEmpty(), "metrics went to the traces URL: " + receiver.describe());
            assertTrue(metricsReceiver.traceRequests().isEmpty(),
                    "spans went to the metrics URL: " + metricsReceiver.describe());
            // A 404 would mean /v1/traces or /v1/metrics was appended to the full URL.
            assertTrue(receiver.rawRequests().stream().allMatch(r -> r.status() == 200), receiver.describe());
            assertTrue(metricsReceiver.rawRequests().stream().allMatch(r -> r.status() == 200),
                    metricsReceiver.describe());
        }
    }

    @Test
    void withoutAnEndpointTheLocalStoreInTheWorkingDirectoryGetsOtlpJsonLines() {
        JvmResult run = ObsRuns.instrumented(MethodsApp.class).args("--sync=3").run();
        assertEquals(0, run.exitCode(), run.describe());

        OtlpJsonStore files = new OtlpJsonStore(run.workDir().resolve("obs-data"));
        assertFalse(files.traceFiles().isEmpty(), "traces-*.jsonl in " + files.allFiles() + run.describe());
        assertFalse(files.metricFiles().isEmpty(), "metrics-*.jsonl in " + files.allFiles() + run.describe());
        TelemetryStore stored = files.read();
        assertSpansOfMethodsApp(stored.spans());
        assertEquals(5, stored.latestHistogramCount("obs.method.duration",
                Map.of("code.namespace", "com.acme.Repo", "code.function", "sync")), stored.describe());
    }

    @Test
    void storeDirectoryIsConfigurable(@TempDir Path storeDir) {
        JvmResult run = ObsRuns.instrumented(MethodsApp.class)
                .property("obs.store.dir", storeDir.toString())
                .args("--sync=3")
                .run();
        assertEquals(0, run.exitCode(), run.describe());
        assertSpansOfMethodsApp(new OtlpJsonStore(storeDir).read().spans());
        assertTrue(new OtlpJsonStore(run.workDir().resolve("obs-data")).allFiles().isEmpty(),
                "nothing in the default ./obs-data when obs.store.dir is set");
    }

    @Test
    void otlpAndFileTogetherDeliverTheSameSpansToBoth(@TempDir Path storeDir) {
        JvmResult run = ObsRuns.exportingTo(MethodsApp.class, receiver.endpoint())
                .property("obs.exporter", "otlp,file")
                .property("obs.store.dir", storeDir.toString())
                .args("--sync=3")
                .run();
        assertEquals(0, run.exitCode(), run.describe());

        List<ReceivedSpan> overOtlp = receiver.awaitSpans(METHODS_APP_SPAN_TOTAL, ARRIVAL);
        List<ReceivedSpan> inFiles = new OtlpJsonStore(storeDir).read().spans();
        assertSpansOfMethodsApp(overOtlp);
        assertSpansOfMethodsApp(inFiles);
        assertEquals(overOtlp.stream().map(ReceivedSpan::spanId).sorted().collect(Collectors.toList()),
                inFiles.stream().map(ReceivedSpan::spanId).sorted().collect(Collectors.toList()),
                "both destinations carry the very same spans");
    }

    @Test
    void exporterNoneSendsAndStoresNothing() {
        JvmResult run = ObsRuns.exportingTo(MethodsApp.class, receiver.endpoint())
                .property("obs.exporter", "none")
                .args("--sync=3")
                .run();
        JvmResult plain = ObsRuns.exportingTo(MethodsApp.class, receiver.endpoint()).withoutAgent().args("--sync=3").run();
        assertEquals(plain.exitCode(), run.exitCode(), run.describe());
        assertEquals(plain.stdout(), run.stdout(), run.describe());
        assertTrue(receiver.rawRequests().isEmpty(), receiver.describe());
        assertTrue(new OtlpJsonStore(run.workDir().resolve("obs-data")).allFiles().isEmpty(), "no local store files");
        // the positive control: the agent was recording all along, and accounts for every span it did not send
        String summary = run.stderrLines().stream().filter(l -> l.startsWith("obs summary:")).findFirst().orElse("");
        assertTrue(summary.startsWith("obs summary: " + METHODS_APP_SPAN_TOTAL + " spans: 0 exported, "
                + METHODS_APP_SPAN_TOTAL + " dropped spans ("), run.describe());
        assertTrue(summary.contains("no_exporter " + METHODS_APP_SPAN_TOTAL + ")"), summary);

        // The positive control: the same program, agent settings and receiver with the exporters on deliver
        // every span to both destinations, so the silence above is obs.exporter=none's doing and not a dead
        // agent, receiver or program.
        JvmResult control = ObsRuns.exportingTo(MethodsApp.class, receiver.endpoint())
                .property("obs.exporter", "otlp,file")
                .args("--sync=3")
                .run();
        assertEquals(0, control.exitCode(), control.describe());
        assertSpansOfMethodsApp(receiver.awaitSpans(METHODS_APP_SPAN_TOTAL, ARRIVAL));
        OtlpJsonStore controlStore = new OtlpJsonStore(control.workDir().resolve("obs-data"));
        assertSpansOfMethodsApp(controlStore.read().spans());
    }

    private static void assertSpansOfMethodsApp(List<ReceivedSpan> spans) {
        Map<String, Integer> byName = spans.stream()
                .collect(Collectors.groupingBy(ReceivedSpan::name, TreeMap::new, Collectors.summingInt(s -> 1)));
        assertEquals(new TreeMap<>(METHODS_APP_SPANS), byName, "spans by name");
        for (ReceivedSpan span : spans) {
            assertTrue(span.traceId().matches("[0-9a-f]{32}") && !span.traceId().matches("0+"), span.toString());
            assertTrue(span.spanId().matches("[0-9a-f]{16}") && !span.spanId().matches("0+"), span.toString());
        }
    }
}
