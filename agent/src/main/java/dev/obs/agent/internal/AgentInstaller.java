package dev.obs.agent.internal;

import dev.obs.bootstrap.MetricRegistry;
import dev.obs.bootstrap.Recorder;
import dev.obs.exporter.ExportPipeline;
import dev.obs.instrumentation.InstrumentationFamily;
import dev.obs.instrumentation.TypeInstrumentation;
import dev.obs.instrumentation.methods.MethodsFamily;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs inside the agent class loader: reads the configuration, starts the exporter, installs the
 * recorder and weaves the enabled instrumentation families. Anything that would leave obs half-started
 * throws before the recorder is installed, so the application then runs uninstrumented.
 */
public final class AgentInstaller {
    private AgentInstaller() {
    }

    /** Called reflectively by {@code dev.obs.agent.ObsAgent}. */
    public static void install(Instrumentation inst, String agentArgs) throws IOException {
        AgentConfig config = new AgentConfig(new ConfigReader(System::getProperty, System::getenv,
                System.err::println));
        if (config.exporter.exporters().contains("file")) {
            checkStoreDir(config.exporter.storeDir());
        }
        List<TypeInstrumentation> instrumentations = new ArrayList<>();
        for (InstrumentationFamily family : families(config)) {
            if (config.familyEnabled(family.name())) {
                instrumentations.addAll(family.typeInstrumentations());
            }
        }
        MetricRegistry.setRingCapacity(config.ringCapacity);
        ExportPipeline pipeline = ExportPipeline.start(config.exporter, version());
        Recorder.install(pipeline.spanSink(), config.sampleRatio);
        Runtime.getRuntime().addShutdownHook(new Thread(pipeline::shutdown, "obs-shutdown"));
        if (!instrumentations.isEmpty()) {
            Weaver.install(inst, instrumentations);
        }
    }

    private static List<InstrumentationFamily> families(AgentConfig config) {
        return List.of(new MethodsFamily(config.pointcuts));
    }

    /** The store must be a writable directory, or the agent does not start. */
    private static void checkStoreDir(Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("obs.store.dir '" + dir + "' cannot be created (" + e + ")", e);
        }
        if (!Files.isWritable(dir)) {
            throw new IOException("obs.store.dir '" + dir + "' is not writable");
        }
    }

    static String version() {
        String v = AgentInstaller.class.getPackage() == null ? null
                : AgentInstaller.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}
