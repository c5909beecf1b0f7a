package dev.obs.it;

import com.acme.MethodsApp;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpGrpcReceiver;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.OtlpJsonStore;
import dev.obs.it.harness.RawRequest;
import dev.obs.it.harness.ReceivedSpan;
import dev.obs.it.harness.TelemetryStore;
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
    static final OtlpHttpReceiver receiver = OtlpHttpReceiver.forgettingBeforeEachTest();

    @Test
    void grpcProtocolExportsSpansMetricsHeadersAndCompressionToAGrpcCollector() {
        try (OtlpGrpcReceiver grpc = new OtlpGrpcReceiver()) {
            JvmResult run = exportingTo(grpc.endpoint())
                    .property("otel.exporter.otlp.protocol", "grpc")
                    .property("otel.exporter.otlp.headers", "x-tenant=acme,x-team=obs")
                    .property("otel.exporter.otlp.compression", "gzip")
                    .args("--sync=3")
                    .run();
            assertEquals(0, run.exitCode(), run.describe());

            assertEquals(METHODS_APP_SPAN_TOTAL, awaitAllSpans(grpc, run).size(), run.describe());
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
        JvmResult run = exportingTo(receiver.endpoint())
                .property("otel.exporter.otlp.headers", "x-tenant=acme,x-team=obs")
                .property("otel.exporter.otlp.compression", "gzip")
                .args("--sync=3")
                .run();
        assertEquals(0, run.exitCode(), run.describe());
        awaitAllSpans(receiver, run);
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
            JvmResult run = instrumented()
                    .property("otel.exporter.otlp.traces.endpoint", receiver.tracesUrl())
                    .property("otel.exporter.otlp.metrics.endpoint", metricsReceiver.metricsUrl())
                    .args("--sync=3")
                    .run();
            assertEquals(0, run.exitCode(), run.describe());

            awaitAllSpans(receiver, run);
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
        JvmResult run = instrumented().args("--sync=3").run();
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
        JvmResult run = instrumented()
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
        JvmResult run = exportingTo(receiver.endpoint())
                .property("obs.exporter", "otlp,file")
                .property("obs.store.dir", storeDir.toString())
                .args("--sync=3")
                .run();
        assertEquals(0, run.exitCode(), run.describe());

        List<ReceivedSpan> overOtlp = awaitAllSpans(receiver, run);
        List<ReceivedSpan> inFiles = new OtlpJsonStore(storeDir).read().spans();
        assertSpansOfMethodsApp(overOtlp);
        assertSpansOfMethodsApp(inFiles);
        assertEquals(overOtlp.stream().map(ReceivedSpan::spanId).sorted().collect(Collectors.toList()),
                inFiles.stream().map(ReceivedSpan::spanId).sorted().collect(Collectors.toList()),
                "both destinations carry the very same spans");
    }

    @Test
    void exporterNoneSendsAndStoresNothing() {
        JvmResult run = exportingTo(receiver.endpoint())
                .property("obs.exporter", "none")
                .args("--sync=3")
                .run();
        JvmResult plain = exportingTo(receiver.endpoint()).withoutAgent().args("--sync=3").run();
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
        JvmResult control = exportingTo(receiver.endpoint())
                .property("obs.exporter", "otlp,file")
                .args("--sync=3")
                .run();
        assertEquals(0, control.exitCode(), control.describe());
        assertSpansOfMethodsApp(awaitAllSpans(receiver, control));
        OtlpJsonStore controlStore = new OtlpJsonStore(control.workDir().resolve("obs-data"));
        assertSpansOfMethodsApp(controlStore.read().spans());
    }

    /**
     * MethodsApp with the standard agent settings and time enough at exit: its only export is the one at
     * exit, which a machine busy with other builds can hold up past the default 2 s (the summary then counts
     * every span dropped at shutdown). These tests are about where records go, not how long exit takes.
     */
    private static AgentJvm instrumented() {
        return ObsRuns.instrumented(MethodsApp.class).property("obs.shutdown.timeout", "15s");
    }

    private static AgentJvm exportingTo(String endpoint) {
        return instrumented().property("otel.exporter.otlp.endpoint", endpoint);
    }

    /** The spans of MethodsApp as they arrive; a failure says what the child printed (its exit summary). */
    private static List<ReceivedSpan> awaitAllSpans(TelemetryStore store, JvmResult run) {
        try {
            return store.awaitSpans(METHODS_APP_SPAN_TOTAL, ARRIVAL);
        } catch (AssertionError notAll) {
            throw new AssertionError(notAll.getMessage() + run.describe(), notAll);
        }
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
