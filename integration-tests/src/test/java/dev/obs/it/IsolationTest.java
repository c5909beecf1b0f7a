package dev.obs.it;

import com.acme.IsolationApp;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.ReceivedSpan;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static dev.obs.it.ObsRuns.ARRIVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An application with its own (older) Byte Buddy and OpenTelemetry API must keep getting exactly those
 * classes: the agent's copies are shaded and hidden, and the agent does not take over the app's
 * GlobalOpenTelemetry.
 */
class IsolationTest {
    private static final List<String> APP_LIBS =
            List.of("byte-buddy-1.14.12.jar", "opentelemetry-api-1.40.0.jar", "opentelemetry-context-1.40.0.jar");

    @Test
    void appWithItsOwnByteBuddyAndOpenTelemetryRunsUnchangedAndIsStillTraced() {
        try (OtlpHttpReceiver receiver = new OtlpHttpReceiver()) {
            AgentJvm app = ObsRuns.exportingTo(IsolationApp.class, receiver.endpoint())
                    .property("obs.methods.include", "com.acme.Repo[sync,push]");
            for (String jar : APP_LIBS) {
                Path lib = AgentJvm.appLibs().resolve(jar);
                assertTrue(lib.toFile().isFile(), lib + " missing: run the build's process-test-resources phase");
                app.classpath(lib);
            }

            JvmResult plain = app.withoutAgent().run();
            assertEquals(0, plain.exitCode(), plain.describe());
            assertTrue(plain.stdout().contains("byte-buddy from: byte-buddy-1.14.12.jar"), plain.describe());
            assertTrue(plain.stdout().contains("opentelemetry-api from: opentelemetry-api-1.40.0.jar"), plain.describe());
            assertTrue(plain.stdout().contains("app span valid: false"), "the app's API is a no-op" + plain.describe());

            JvmResult instrumented = app.run();
            assertEquals(plain.stdout(), instrumented.stdout(), instrumented.describe());
            assertEquals(plain.exitCode(), instrumented.exitCode(), instrumented.describe());

            List<ReceivedSpan> spans = receiver.awaitSpans(2, ARRIVAL);
            assertEquals(List.of("Repo.push", "Repo.sync"), spans.stream().map(ReceivedSpan::name).sorted().toList(),
                    "obs spans of the app's Repo.sync, and no 'app-span' from the app's own API");
        }
    }
}
