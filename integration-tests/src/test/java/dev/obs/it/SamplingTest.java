package dev.obs.it;

import com.acme.MethodsApp;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.ReceivedSpan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.obs.it.ObsRuns.ARRIVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sampling decides which traces are exported; the duration histogram still counts every call. */
class SamplingTest {
    private static final Map<String, String> REPO_SYNC = Map.of("code.namespace", "com.acme.Repo", "code.function", "sync");

    @RegisterExtension
    static final OtlpHttpReceiver receiver = OtlpHttpReceiver.forgettingBeforeEachTest();

    @Test
    void alwaysOffExportsNoSpansButStillCountsCalls() {
        JvmResult run = ObsRuns.exportingTo(MethodsApp.class, receiver.endpoint())
                .property("otel.traces.sampler", "always_off")
                .args("--sync=3")
                .run();
        assertEquals(0, run.exitCode(), run.describe());

        // Metrics arriving proves the export path works, so the absence of spans means something.
        receiver.awaitCondition(() -> receiver.latestHistogramCount("obs.method.duration", REPO_SYNC) == 5, ARRIVAL,
                () -> "obs.method.duration{Repo.sync} == 5 with always_off");
        assertEquals(List.of(), receiver.spans(), "no spans with always_off");
    }

    @Test
    void traceIdRatioKeepsRoughlyHalfOfTheRootsAndChildrenFollowTheirRoot() {
        int roots = 400;
        JvmResult run = ObsRuns.exportingTo(MethodsApp.class, receiver.endpoint())
                .property("otel.traces.sampler", "traceidratio")
                .property("otel.traces.sampler.arg", "0.5")
                .args("--sync=" + roots)
                .run();
        assertEquals(0, run.exitCode(), run.describe());
        // Job.step's two nested Repo.sync calls are counted too.
        receiver.awaitCondition(() -> receiver.latestHistogramCount("obs.method.duration", REPO_SYNC) == roots + 2,
                ARRIVAL, () -> "every Repo.sync call counted despite sampling");

        List<ReceivedSpan> spans = receiver.spans();
        long sampledSyncRoots = spans.stream().filter(s -> s.isRoot() && s.name().equals("Repo.sync")).count();
        // Binomial(400, 0.5): mean 200, sd 10; 130..270 is a 7-sigma band.
        assertTrue(sampledSyncRoots >= 130 && sampledSyncRoots <= 270,
                "sampled Repo.sync roots out of " + roots + ": " + sampledSyncRoots);

        Set<String> sampledSpanIds = spans.stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
        Map<String, Long> spansPerTrace = spans.stream()
                .collect(Collectors.groupingBy(ReceivedSpan::traceId, Collectors.counting()));
        for (ReceivedSpan span : spans) {
            if (span.isRoot() && span.name().equals("Repo.sync")) {
                assertEquals(2L, spansPerTrace.get(span.traceId()), "sampled root without its child push: " + span);
            } else if (!span.isRoot()) {
                assertTrue(sampledSpanIds.contains(span.parentSpanId()), "child exported without its parent: " + span);
            }
        }
    }
}
