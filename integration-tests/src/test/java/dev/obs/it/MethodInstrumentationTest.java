package dev.obs.it;

import com.acme.MethodsApp;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.Otlp;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.ReceivedMetric;
import dev.obs.it.harness.ReceivedSpan;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import static dev.obs.it.ObsRuns.ARRIVAL;
import static dev.obs.it.ObsRuns.METHODS_APP_SPANS;
import static dev.obs.it.ObsRuns.METHODS_APP_SPAN_TOTAL;
import static dev.obs.it.ObsRuns.METHODS_APP_TRACES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One run of {@link MethodsApp} under the agent, exporting OTLP/HTTP: the spans and metrics it produces, and
 * that the application cannot tell the agent is there.
 */
class MethodInstrumentationTest {
    private static final String NAMESPACE_REPO = "com.acme.Repo";
    private static final String NAMESPACE_JOB = "com.acme.Job";

    @RegisterExtension
    static final OtlpHttpReceiver receiver = new OtlpHttpReceiver();
    private static JvmResult plain;
    private static JvmResult instrumented;
    private static int spansAtExit;
    private static List<ReceivedSpan> spans;

    @BeforeAll
    static void runAppWithAndWithoutAgent() {
        // Time enough at exit: the accounting tests below read the last metric export, which a machine busy
        // with other builds can push past the default 2 s (its spans are then counted as dropped at shutdown).
        AgentJvm app = ObsRuns.exportingTo(MethodsApp.class, receiver.endpoint()).args("--sync=3")
                .property("obs.shutdown.timeout", "15s");
        plain = app.withoutAgent().run();
        instrumented = app.run();
        spansAtExit = receiver.spans().size();
        spans = receiver.awaitSpans(METHODS_APP_SPAN_TOTAL, ARRIVAL);
    }

    @Test
    void applicationSeesTheSameOutputExitCodeAndExceptionInstance() {
        assertEquals(0, plain.exitCode(), plain.describe());
        assertTrue(plain.stdout().contains("same exception instance: true"), plain.describe());
        assertEquals(plain.stdout(), instrumented.stdout(), "stdout differs with the agent" + instrumented.describe());
        assertEquals(plain.exitCode(), instrumented.exitCode(), instrumented.describe());
    }

    @Test
    void shutdownFlushDeliversEverySpanBeforeTheProcessEnds() {
        assertEquals(METHODS_APP_SPAN_TOTAL, spansAtExit,
                "spans received by the time the child had exited" + instrumented.describe());
    }

    @Test
    void eachMatchedCallIsOneSpanAndUnmatchedMethodsAreNotTraced() {
        Map<String, Long> byName = spans.stream()
                .collect(Collectors.groupingBy(ReceivedSpan::name, TreeMap::new, Collectors.counting()));
        Map<String, Long> expected = new TreeMap<>();
        METHODS_APP_SPANS.forEach((name, count) -> expected.put(name, (long) count));
        // Absent on purpose: Repo.status/lastFailure (not listed), Job.<init>, Job.<clinit> and the lambda in Job.run.
        assertEquals(expected, byName);
    }

    @Test
    void spansAreInternalNamedAfterTheMethodWithCodeAttributesAndTheObsScope() {
        for (ReceivedSpan span : spans) {
            String function = span.name().substring(span.name().indexOf('.') + 1);
            String namespace = span.name().startsWith("Repo.") ? NAMESPACE_REPO : NAMESPACE_JOB;
            assertEquals(Span.SpanKind.SPAN_KIND_INTERNAL, span.span().getKind(), span.toString());
            assertEquals(namespace, span.attribute("code.namespace"), span.toString());
            assertEquals(function, span.attribute("code.function"), span.toString());
            assertEquals("dev.obs", span.scope().getName(), span.toString());
        }
    }

    @Test
    void nestedCallsFormParentChildChainsWithinOneTrace() {
        Map<String, ReceivedSpan> bySpanId = spans.stream()
                .collect(Collectors.toMap(ReceivedSpan::spanId, Function.identity()));
        Map<String, Long> rootsByName = spans.stream().filter(ReceivedSpan::isRoot)
                .collect(Collectors.groupingBy(ReceivedSpan::name, TreeMap::new, Collectors.counting()));
        // 3 top-level Repo.sync, the failing Repo.push, Job.run and the static Job.label.
        assertEquals(Map.of("Repo.sync", 3L, "Repo.push", 1L, "Job.run", 1L, "Job.label", 1L), rootsByName);

        Map<String, String> expectedParent = Map.of(
                "Repo.push", "Repo.sync", "Job.step", "Job.run", "Job.checksum", "Job.run");
        for (ReceivedSpan child : spans) {
            if (child.isRoot()) {
                continue;
            }
            ReceivedSpan parent = bySpanId.get(child.parentSpanId());
            assertTrue(parent != null, "parent of " + child + " was not received");
            assertEquals(parent.traceId(), child.traceId(), "child and parent in different traces: " + child);
            String wantedParent = child.name().equals("Repo.sync") ? "Job.step" : expectedParent.get(child.name());
            assertEquals(wantedParent, parent.name(), "wrong parent for " + child);
        }
        assertEquals(METHODS_APP_TRACES, spans.stream().map(ReceivedSpan::traceId).distinct().count());
    }

    @Test
    void traceAndSpanIdsAreW3cValidAndTimestampsOrdered() {
        Set<String> spanIds = new HashSet<>();
        for (ReceivedSpan span : spans) {
            assertTrue(span.traceId().matches("[0-9a-f]{32}") && !span.traceId().matches("0+"), span.toString());
            assertTrue(span.spanId().matches("[0-9a-f]{16}") && !span.spanId().matches("0+"), span.toString());
            assertTrue(span.isRoot() || span.parentSpanId().matches("[0-9a-f]{16}"), span.toString());
            assertTrue(spanIds.add(span.spanId()), "duplicate span id " + span);
            Span proto = span.span();
            assertTrue(proto.getStartTimeUnixNano() > 0, span.toString());
            assertTrue(proto.getEndTimeUnixNano() >= proto.getStartTimeUnixNano(), span.toString());
        }
    }

    @Test
    void thrownExceptionMakesAnErrorSpanWithOneExceptionEvent() {
        List<ReceivedSpan> failed = spans.stream()
                .filter(s -> s.span().getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR)
                .collect(Collectors.toList());
        assertEquals(1, failed.size(), "exactly the rejected push fails: " + spans);
        Span push = failed.get(0).span();
        assertEquals("Repo.push", push.getName());
        assertEquals("remote rejected rejected-branch", push.getStatus().getMessage());
        assertEquals(1, push.getEventsCount(), failed.get(0).toString());
        Span.Event event = push.getEvents(0);
        assertEquals("exception", event.getName());
        Map<String, String> attrs = Otlp.attributes(event.getAttributesList());
        assertEquals("java.lang.IllegalStateException", attrs.get("exception.type"));
        assertEquals("remote rejected rejected-branch", attrs.get("exception.message"));

        for (ReceivedSpan ok : spans) {
            if (ok.span() != push) {
                assertEquals(0, ok.span().getEventsCount(), ok.toString());
            }
        }
    }

    @Test
    void durationHistogramCountsEveryCallCumulativelyInSeconds() {
        Map<String, String> repoSync = Map.of("code.namespace", NAMESPACE_REPO, "code.function", "sync");
        receiver.awaitCondition(() -> receiver.latestHistogramCount("obs.method.duration", repoSync) == 5, ARRIVAL,
                () -> "obs.method.duration count for Repo.sync == 5, got "
                        + receiver.latestHistogramCount("obs.method.duration", repoSync));

        ReceivedMetric duration = receiver.awaitMetric("obs.method.duration", ARRIVAL);
        Metric metric = duration.metric();
        assertEquals("s", metric.getUnit());
        assertEquals(Metric.DataCase.HISTOGRAM, metric.getDataCase());
        assertEquals(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
                metric.getHistogram().getAggregationTemporality());
        assertEquals("dev.obs", duration.scope().getName());

        METHODS_APP_SPANS.forEach((name, calls) -> {
            String[] parts = name.split("\\.");
            Map<String, String> series = Map.of("code.namespace", "com.acme." + parts[0], "code.function", parts[1]);
            assertEquals((long) calls, receiver.latestHistogramCount("obs.method.duration", series), name);
        });
        Map<String, String> failedPush = Map.of("code.namespace", NAMESPACE_REPO, "code.function", "push",
                "error.type", "java.lang.IllegalStateException");
        assertEquals(1, receiver.latestHistogramCount("obs.method.duration", failedPush),
                "failed calls carry error.type; series: " + receiver.seriesAttributes("obs.method.duration"));
        long successfulPushSeries = receiver.seriesAttributes("obs.method.duration").stream()
                .filter(a -> "push".equals(a.get("code.function")) && !a.containsKey("error.type")).count();
        assertEquals(1, successfulPushSeries, "one series of successful pushes, without error.type");
        assertTrue(receiver.latestHistogramSum("obs.method.duration", repoSync) > 0);
    }

    @Test
    void selfMetricsAreMonotonicSumsPerSignalAndTheQueueDepthAGauge() {
        Map<String, String> spansSignal = Map.of("signal", "spans");
        receiver.awaitMetric("obs.records.accepted", ARRIVAL);
        for (String name : List.of("obs.records.accepted", "obs.records.dropped", "obs.records.exported",
                "obs.export.failures")) {
            Metric metric = receiver.awaitMetric(name, ARRIVAL).metric();
            assertEquals(Metric.DataCase.SUM, metric.getDataCase(), name);
            assertTrue(metric.getSum().getIsMonotonic(), name + " is monotonic");
            for (Map<String, String> series : receiver.seriesAttributes(name)) {
                assertTrue(Set.of("spans", "metrics").contains(series.get("signal")), name + " series " + series);
            }
        }
        assertEquals(Metric.DataCase.GAUGE, receiver.awaitMetric("obs.queue.depth.max", ARRIVAL).metric().getDataCase());
        assertFalse(Double.isNaN(receiver.latestValue("obs.queue.depth.max", spansSignal)),
                "obs.queue.depth.max{signal=spans}; series " + receiver.seriesAttributes("obs.queue.depth.max"));
    }

    @Test
    void theLastMetricExportAccountsForEverySpanWithoutDropsOrFailures() {
        Map<String, String> spansSignal = Map.of("signal", "spans");
        receiver.awaitMetric("obs.records.accepted", ARRIVAL);
        // The last metric export comes after the last span export, so it accounts for every span.
        assertEquals(METHODS_APP_SPAN_TOTAL, receiver.latestValue("obs.records.accepted", spansSignal),
                () -> receiver.describeSeries("obs.records.accepted"));
        assertEquals(METHODS_APP_SPAN_TOTAL, receiver.latestValue("obs.records.exported", spansSignal),
                () -> receiver.describeSeries("obs.records.exported"));
        assertEquals(0.0, receiver.latestValue("obs.records.dropped", spansSignal), "dropped spans");
        double failures = receiver.latestValue("obs.export.failures", spansSignal);
        assertTrue(Double.isNaN(failures) || failures == 0.0, "export failures against a healthy collector: " + failures);
    }

    @Test
    void exitCodeAndOutputSurviveSystemExitWithAllSpansDelivered() {
        try (OtlpHttpReceiver exitReceiver = new OtlpHttpReceiver()) {
            AgentJvm app = ObsRuns.exportingTo(MethodsApp.class, exitReceiver.endpoint()).args("--sync=3", "--exit=3");
            JvmResult withoutAgent = app.withoutAgent().run();
            JvmResult withAgent = app.run();
            int atExit = exitReceiver.spans().size();
            assertEquals(3, withoutAgent.exitCode(), withoutAgent.describe());
            assertEquals(3, withAgent.exitCode(), withAgent.describe());
            assertEquals(withoutAgent.stdout(), withAgent.stdout(), withAgent.describe());
            assertEquals(METHODS_APP_SPAN_TOTAL, atExit,
                    "spans received when System.exit(3) had finished" + withAgent.describe());
            assertNotEquals(0, exitReceiver.metricRequests().size(), "metrics flushed at exit too");
        }
    }
}
