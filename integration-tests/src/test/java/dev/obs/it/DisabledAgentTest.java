package dev.obs.it;

import com.acme.ThreadsApp;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpHttpReceiver;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code -Dobs.enabled=false}: the agent is on the command line but does nothing at all. */
class DisabledAgentTest {

    @Test
    void disabledAgentStartsNoThreadExportsNothingAndChangesNoOutput() {
        try (OtlpHttpReceiver receiver = new OtlpHttpReceiver()) {
            AgentJvm app = ObsRuns.exportingTo(ThreadsApp.class, receiver.endpoint())
                    .property("obs.methods.include", "com.acme.Repo[sync,push]");

            // Positive control: enabled, the exporter thread exists under the name the check looks for.
            JvmResult enabled = app.run();
            assertTrue(enabled.stdout().contains("obs-exporter"), "enabled agent has an obs-exporter thread" + enabled.describe());
            receiver.clear();

            JvmResult disabled = app.copy().property("obs.enabled", "false").run();
            JvmResult plain = app.withoutAgent().run();
            assertEquals(plain.stdout(), disabled.stdout(), "no obs threads when disabled" + disabled.describe());
            assertEquals(plain.exitCode(), disabled.exitCode(), disabled.describe());
            assertTrue(receiver.rawRequests().isEmpty(), "disabled agent exported: " + receiver.describe());
            assertFalse(disabled.stderr().contains("obs summary"), disabled.describe());
            assertFalse(disabled.workDir().resolve("obs-data").toFile().exists(), "disabled agent created a store");
        }
    }
}
