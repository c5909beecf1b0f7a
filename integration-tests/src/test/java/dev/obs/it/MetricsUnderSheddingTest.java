package dev.obs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.DeepCallsApp;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.JGitJars;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpHttpReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metrics stay exact while the span queue sheds: the count of a duration metric is the number of calls,
 * whatever share of their spans arrived. Each test's positive control is in the same run: spans of that
 * very operation were shed (fewer arrived than were made, and drops were counted).
 */
class MetricsUnderSheddingTest {
    private static final Map<String, String> SPANS = Map.of("signal", "spans");

    private static AgentJvm sheddingRun(String pointcut, OtlpHttpReceiver receiver) {
        return AgentJvm.withAgent(DeepCallsApp.class)
                .property("obs.methods.include", pointcut)
                .property("otel.exporter.otlp.endpoint", receiver.endpoint())
                .property("obs.queue.capacity", "1024")
                // the app's spans only: no slow-file-operation spans
                .property("obs.instrumentation.fs.enabled", "false")
                .timeout(Duration.ofSeconds(120));
    }

    @Test
    void methodDurationCountsEveryCallOfABurstWhoseSpansAreMostlyDropped() {
        int calls = 200_000;
        int depth = 10;
        long produced = (long) calls * depth;
        try (OtlpHttpReceiver receiver = new OtlpHttpReceiver()) {
            JvmResult run = sheddingRun("com.acme.DeepCallsApp[descend]", receiver)
                    .args("--calls=" + calls, "--depth=" + depth).run();
            assertEquals(0, run.exitCode(), run.describe());

            long received = receiver.spansNamed("DeepCallsApp.descend").size();
            double dropped = receiver.latestValue("obs.records.dropped", SPANS);
            assertTrue(received < produced && dropped > 0, "the burst must shed spans for this test to mean"
                    + " anything: received " + received + " of " + produced + ", dropped " + dropped);

            Map<String, String> descend = Map.of("code.namespace", "com.acme.DeepCallsApp", "code.function", "descend");
            assertEquals(produced, receiver.latestHistogramCount("obs.method.duration", descend),
                    receiver.describeSeries("obs.method.duration"));
            assertTrue(run.stderrLines().stream().anyMatch(l -> l.contains("DeepCallsApp.descend")
                            && l.matches(".*\\s" + produced + "\\s.*")),
                    "the summary counts every call too" + run.describe());
        }
    }

    @Test
    void gitOperationDurationCountsEveryCommandWhoseSpanWasShed(@TempDir Path tmp) throws Exception {
        int statuses = 300;
        try (OtlpHttpReceiver receiver = new OtlpHttpReceiver()) {
            JvmResult run = JGitJars.withJGit(sheddingRun("com.acme.DeepCallsApp[descend]", receiver), null,
                            tmp.resolve("home"))
                    .args("--calls=0", "--depth=10", "--git=" + statuses, "--between=2000",
                            "--dir=" + tmp.resolve("repo")).run();
            assertEquals(0, run.exitCode(), run.describe());

            long received = receiver.spansNamed("git status").size();
            assertTrue(received < statuses, "git status spans must be shed for this test to mean anything:"
                    + " received " + received + " of " + statuses);

            assertEquals(statuses, receiver.latestHistogramCount("git.operation.duration",
                    Map.of("git.operation", "status", "git.client", "jgit")),
                    receiver.describeSeries("git.operation.duration"));
        }
    }
}
