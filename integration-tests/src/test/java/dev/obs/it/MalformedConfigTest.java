package dev.obs.it;

import com.acme.MethodsApp;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpHttpReceiver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.stream.Collectors;

import static dev.obs.it.ObsRuns.ARRIVAL;
import static dev.obs.it.ObsRuns.METHODS_APP_SPAN_TOTAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A bad setting costs one warning line and falls back to its default; the application never notices. */
class MalformedConfigTest {
    @RegisterExtension
    static final OtlpHttpReceiver receiver = OtlpHttpReceiver.forgettingBeforeEachTest();
    private static JvmResult plain;

    @BeforeAll
    static void runWithoutAgent() {
        plain = AgentJvm.withoutAgent(MethodsApp.class).args("--sync=3").run();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "obs.queue.capacity          | abc                | true",
            "otel.exporter.otlp.protocol | carrier-pigeon     | true",
            "obs.shutdown.timeout        | soon               | true",
            "obs.http.port               | 99999              | true",
            "otel.metrics.exporter       | prometheus2        | true",
            "obs.health.failure.window   | soon               | true",
            // The only pointcut is unusable, so nothing is instrumented: no spans expected.
            "obs.methods.include         | com.acme.Repo[sync | false",
    })
    void malformedPropertyWarnsOnceAndTheAppRunsNormally(String property, String value, boolean spansExpected) {
        JvmResult run = ObsRuns.exportingTo(MethodsApp.class, receiver.endpoint())
                .property("obs.summary", "false")
                .property(property, value)
                .args("--sync=3")
                .run();

        assertEquals(plain.exitCode(), run.exitCode(), run.describe());
        assertEquals(plain.stdout(), run.stdout(), run.describe());
        List<String> warnings = run.stderrLines().stream().filter(l -> l.contains(property)).collect(Collectors.toList());
        assertEquals(1, warnings.size(), "exactly one stderr line names " + property + run.describe());
        String warning = warnings.get(0);
        assertTrue(warning.contains(value), "warning shows the bad value: " + warning);
        assertTrue(warning.contains("default"), "warning says the default is used: " + warning);

        if (spansExpected) {
            assertEquals(METHODS_APP_SPAN_TOTAL, receiver.awaitSpans(METHODS_APP_SPAN_TOTAL, ARRIVAL).size(),
                    "the agent keeps working with the default" + run.describe());
        }
    }
}
