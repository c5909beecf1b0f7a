package dev.obs.it;

import com.acme.MethodsApp;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpHttpReceiver;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A backed-up span queue sheds whole traces instead of blocking the application, and the self-metrics
 * account for every span: whatever was not accepted was counted as shed or dropped, and whatever was
 * accepted arrived.
 */
class QueueOverflowTest {

    @Test
    void tinyQueueDropsSpansAndTheSelfMetricsAccountForEachOne() {
        int syncCalls = 3000;
        // N x (sync + push), plus the failing push, Job.run, 2 x (step, sync, push), checksum and label.
        long produced = 2L * syncCalls + 10;
        try (OtlpHttpReceiver receiver = new OtlpHttpReceiver()) {
            JvmResult run = ObsRuns.exportingTo(MethodsApp.class, receiver.endpoint())
                    .property("obs.queue.capacity", "16")
                    // only the app's method spans are counted as produced: no slow-file-operation spans
                    // (a JDK read of /proc on a loaded machine can take 10 ms)
                    .property("obs.instrumentation.fs.enabled", "false")
                    .args("--sync=" + syncCalls)
                    .run();
            assertEquals(0, run.exitCode(), run.describe());

            Map<String, String> spans = Map.of("signal", "spans");
            long received = receiver.spans().size();
            double accepted = receiver.latestValue("obs.records.accepted", spans);
            double dropped = receiver.latestValue("obs.records.dropped", spans);
            double exported = receiver.latestValue("obs.records.exported", spans);
            String account = "produced " + produced + ", received " + received + "\n"
                    + receiver.describeSeries("obs.records.accepted") + "\n"
                    + receiver.describeSeries("obs.records.dropped") + "\n"
                    + receiver.describeSeries("obs.records.exported");

            double shed = receiver.latestValue("obs.records.dropped", Map.of("signal", "spans", "reason", "shed"));
            double queueFull = receiver.latestValue("obs.records.dropped", Map.of("signal", "spans", "reason", "queue_full"));
            assertTrue(shed > 0, "a 16-slot queue cannot hold " + produced + " spans made in a burst: whole traces"
                    + " are shed; " + account);
            assertEquals(produced, accepted + shed + queueFull, "accepted + shed + queue_full = produced; " + account);
            assertEquals(produced, exported + dropped, "exported + dropped = produced; " + account);
            assertEquals(accepted, received, "every accepted span reaches a healthy collector; " + account);
            assertEquals(received, exported, "exported counts what arrived; " + account);
        }
    }
}
