package dev.obs.it;

import com.acme.MethodsApp;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.ReceivedMetric;
import dev.obs.it.harness.ReceivedSpan;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static dev.obs.it.ObsRuns.ARRIVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The resource every span and metric is exported under: service name, extra attributes, command line. */
class ResourceTest {
    @RegisterExtension
    static final OtlpHttpReceiver receiver = OtlpHttpReceiver.forgettingBeforeEachTest();

    /** The run configured by system properties, shared by the three scenarios after it. */
    @RegisterExtension
    static final OtlpHttpReceiver configured = new OtlpHttpReceiver();
    static JvmResult configuredRun;

    @BeforeAll
    static void runWithResourceProperties() {
        configuredRun = ObsRuns.exportingTo(MethodsApp.class, configured.endpoint())
                .property("otel.service.name", "orders")
                .property("otel.resource.attributes", "deployment.environment=it,team=payments")
                .property("db.password", "hunter2")
                .args("--sync=1")
                .run();
    }

    @Test
    void serviceNameAndResourceAttributesComeFromSystemProperties() {
        assertEquals(0, configuredRun.exitCode(), configuredRun.describe());
        ReceivedSpan span = configured.awaitSpans(1, ARRIVAL).get(0);
        assertEquals("orders", span.resourceAttribute("service.name"));
        assertEquals("it", span.resourceAttribute("deployment.environment"));
        assertEquals("payments", span.resourceAttribute("team"));
    }

    @Test
    void theCommandLineIsAResourceAttributeWithItsSecretsMasked() {
        List<String> commandArgs = configured.awaitSpans(1, ARRIVAL).get(0).resourceAttributeList("process.command_args");
        assertTrue(commandArgs.contains("com.acme.MethodsApp"), "process.command_args: " + commandArgs);
        assertTrue(commandArgs.contains("--sync=1"), "process.command_args: " + commandArgs);
        assertTrue(commandArgs.contains("-Ddb.password=****"), "process.command_args: " + commandArgs);
        assertFalse(commandArgs.toString().contains("hunter2"), "process.command_args: " + commandArgs);
    }

    @Test
    void metricsShareTheSpansResource() {
        ReceivedMetric metric = configured.awaitMetric("obs.method.duration", ARRIVAL);
        assertEquals("orders", metric.resourceAttribute("service.name"), "metrics share the resource");
    }

    @Test
    void serviceNameAndEndpointComeFromTheEnvironment() {
        JvmResult run = ObsRuns.instrumented(MethodsApp.class)
                .env("OTEL_SERVICE_NAME", "billing")
                .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())
                .args("--sync=1")
                .run();
        assertEquals(0, run.exitCode(), run.describe());
        assertEquals("billing", receiver.awaitSpans(1, ARRIVAL).get(0).resourceAttribute("service.name"),
                run.describe());
    }

    @Test
    void serviceNameDefaultsToUnknownServiceJava() {
        JvmResult run = ObsRuns.exportingTo(MethodsApp.class, receiver.endpoint()).args("--sync=1").run();
        assertEquals(0, run.exitCode(), run.describe());
        assertEquals("unknown_service:java", receiver.awaitSpans(1, ARRIVAL).get(0).resourceAttribute("service.name"));
    }
}
