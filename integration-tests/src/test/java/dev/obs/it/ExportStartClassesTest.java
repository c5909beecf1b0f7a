package dev.obs.it;

import com.acme.MethodsApp;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.OtlpJsonStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static dev.obs.it.ObsRuns.ARRIVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What exporting loads in a short program, read from the JVM's own class-loading log: the JVM metrics are read
 * without the platform bean finder (which loads every platform bean's provider), and the OTLP exporters' own
 * metrics are built without the SDK's no-op meter (a class for every kind of instrument). Each absence is
 * checked next to the class that shows the same code ran in the same run. And with no destination that writes
 * OTLP/JSON, the SDK serializes obs's resource and scope to protobuf only; with none, it never builds one.
 */
class ExportStartClassesTest {
    @RegisterExtension
    static final OtlpHttpReceiver receiver = OtlpHttpReceiver.forgettingBeforeEachTest();

    @Test
    void jvmMetricsAndExporterCountersLoadNeitherTheBeanFinderNorTheNoopMeter(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("classes.log");
        JvmResult run = ObsRuns.exportingTo(MethodsApp.class, receiver.endpoint())
                .jvmArg("-Xlog:class+load=info:file=" + log)
                .args("--sync=3")
                .run();
        assertEquals(0, run.exitCode(), run.describe());
        assertNotNull(receiver.awaitMetric("jvm.memory.used", ARRIVAL), receiver.describe());
        List<String> loaded = Files.readAllLines(log);

        // the JVM metrics were read in this run, through the JDK's helper ...
        assertTrue(loaded(loaded, "sun.management.ManagementFactoryHelper"), "JVM metrics not read?\n" + run.describe());
        // ... and not through ManagementFactory's platform bean finder
        assertFalse(loaded(loaded, "java.lang.management.DefaultPlatformMBeanProvider"),
                "the platform bean finder was loaded");
        // the exporters built their counters in this run ...
        assertTrue(loaded(loaded, "dev.obs.shaded.io.opentelemetry.api.metrics.LongCounter"),
                "exporter counters not built?\n" + run.describe());
        // ... and not from the SDK's no-op meter
        assertFalse(loaded(loaded, "dev.obs.shaded.io.opentelemetry.api.metrics.DefaultMeter"),
                "the SDK's no-op meter was loaded");
    }

    @Test
    void otlpOnlyExportSerializesNoJson(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("classes.log");
        JvmResult run = ObsRuns.exportingTo(MethodsApp.class, receiver.endpoint())
                .property("obs.exporter", "otlp")
                .property("otel.service.name", "protobuf-only")
                .jvmArg("-Xlog:class+load=info:file=" + log)
                .args("--sync=3")
                .run();
        assertEquals(0, run.exitCode(), run.describe());
        // the resource arrived whole, marshalled to protobuf ...
        assertEquals("protobuf-only", receiver.awaitMetric("jvm.memory.used", ARRIVAL).resourceAttribute("service.name"),
                receiver.describe());
        List<String> loaded = Files.readAllLines(log);
        // ... by the SDK, which asked whether JSON is available in this run (it does before marshalling anything) ...
        assertTrue(loaded(loaded, "dev.obs.exporter.JsonAvailable"),
                "the SDK's marshalling did not run?\n" + run.describe());
        // ... and wrote no JSON: no generator was ever opened, and not even Jackson's factory was loaded
        assertFalse(loaded(loaded, "dev.obs.shaded.com.fasterxml.jackson.core.json.JsonWriteContext"),
                "the resource or scope was serialized as JSON");
        assertFalse(loaded(loaded, "dev.obs.shaded.com.fasterxml.jackson.core.JsonFactory"),
                "Jackson was loaded though nothing wrote JSON");
    }

    @Test
    void theStoreStillWritesJsonWithTheSdksMarshalers(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("classes.log");
        Path store = dir.resolve("store");
        JvmResult run = ObsRuns.exportingTo(MethodsApp.class, receiver.endpoint())
                .property("obs.exporter", "otlp,file")
                .property("obs.store.dir", store.toString())
                .property("otel.service.name", "json-too")
                .jvmArg("-Xlog:class+load=info:file=" + log)
                .args("--sync=3")
                .run();
        assertEquals(0, run.exitCode(), run.describe());
        assertEquals("json-too", receiver.awaitMetric("jvm.memory.used", ARRIVAL).resourceAttribute("service.name"),
                receiver.describe());
        List<String> loaded = Files.readAllLines(log);
        // the SDK's check found JSON available (the check's class), and the store's JSON came from Jackson
        assertTrue(loaded(loaded, "dev.obs.exporter.JsonAvailable"), "the SDK's marshalling did not run?");
        assertTrue(loaded(loaded, "dev.obs.shaded.com.fasterxml.jackson.core.json.JsonWriteContext"),
                "no JSON generator was opened for the store");
        // ... with the resource the SDK serialized once as JSON for it
        String stored = new OtlpJsonStore(store).read().metricRequests().get(0).getResourceMetrics(0).getResource()
                .getAttributesList().stream().filter(a -> a.getKey().equals("service.name"))
                .map(a -> a.getValue().getStringValue()).findFirst().orElse(null);
        assertEquals("json-too", stored, "the store's metrics lack the resource");
    }

    @Test
    void noExporterNeverInitializesTheSdksResourceOrScope(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("init.log");
        JvmResult run = ObsRuns.instrumented(MethodsApp.class)
                .property("obs.exporter", "none")
                .jvmArg("-Xlog:class+init=info:file=" + log)
                .args("--sync=3")
                .run();
        assertEquals(0, run.exitCode(), run.describe());
        List<String> initialized = Files.readAllLines(log);
        // the export session opened in this run (spans were recorded: the summary counts them, none exported) ...
        assertTrue(initialized(initialized, "dev/obs/exporter/ExportSession"), "no export session?\n" + run.describe());
        assertTrue(run.stderr().contains("no_exporter "), "no span recorded?\n" + run.describe());
        // ... and nothing in it initialized the SDK's Resource or scope, which nothing carries with obs.exporter=none
        assertFalse(initialized(initialized, "dev/obs/shaded/io/opentelemetry/sdk/resources/Resource"),
                "the SDK's Resource was initialized though nothing is exported");
        assertFalse(initialized(initialized, "dev/obs/shaded/io/opentelemetry/sdk/common/InstrumentationScopeInfo"),
                "the SDK's InstrumentationScopeInfo was initialized though nothing is exported");
    }

    /** Whether {@code -Xlog:class+init} says the class (internal name) was initialized. */
    private static boolean initialized(List<String> log, String internalName) {
        return anyLineContains(log, " Initializing '" + internalName + "'");
    }

    private static boolean loaded(List<String> log, String className) {
        return anyLineContains(log, " " + className + " ");
    }

    private static boolean anyLineContains(List<String> log, String token) {
        for (String line : log) {
            if (line.contains(token)) {
                return true;
            }
        }
        return false;
    }
}
