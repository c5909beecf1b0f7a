package dev.obs.agent.internal;

import dev.obs.bootstrap.fs.FsGroups;
import dev.obs.bootstrap.fs.FsRecorder;
import dev.obs.bootstrap.HelperDispatch;
import dev.obs.bootstrap.BootstrapSettings;
import dev.obs.bootstrap.Recorder;
import dev.obs.exporter.ExportPipeline;
import dev.obs.exporter.MetricSource;
import dev.obs.exporter.http.LiveEndpoints;
import dev.obs.exporter.http.LiveSettings;
import dev.obs.instrumentation.InstrumentationFamily;
import dev.obs.instrumentation.JavaBaseHook;
import dev.obs.instrumentation.TypeInstrumentation;
import dev.obs.agent.sync.SyncSetup;
import dev.obs.instrumentation.fs.FsFamily;
import dev.obs.instrumentation.concurrent.ConcurrentFamily;
import dev.obs.instrumentation.docker.DockerFamily;
import dev.obs.instrumentation.git.GitFamily;
import dev.obs.instrumentation.maven.MavenFamily;
import dev.obs.instrumentation.methods.MethodsFamily;
import dev.obs.instrumentation.otel.OtelFamily;
import dev.obs.instrumentation.process.ProcessFamily;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs inside the agent class loader: reads the configuration, starts the exporter, installs the
 * recorder and weaves the enabled instrumentation families. Anything that would leave obs half-started
 * throws before the recorder is installed, so the application then runs uninstrumented.
 */
public final class AgentInstaller {
    private AgentInstaller() {
    }

    /** Called reflectively by {@code dev.obs.agent.ObsAgent}. */
    public static void install(Instrumentation inst, String agentArgs) throws Exception {
        // premain runs on the thread that then runs main: what obs reads here (/proc, cgroup files) is obs's
        // I/O, not the application's, and must not be counted (nor start the exporter on its own)
        boolean wasSuppressed = Recorder.beginObsWork();
        try {
            installOnThisThread(inst);
        } finally {
            Recorder.endObsWork(wasSuppressed);
        }
    }

    private static void installOnThisThread(Instrumentation inst) throws Exception {
        // obs-weaver starts at once: it loads what its set-up needs while this thread reads the configuration,
        // then sets up the bootstrap and the families that weave java.base and weaves those classes, on the
        // other core, while this thread builds the other families and the exporter
        JavaBaseSetUp javaBase = new JavaBaseSetUp(inst);
        Weaver weaver = Weaver.start(inst, javaBase);
        AgentConfig config = null;
        try {
            AgentConfig read = new AgentConfig(new ConfigReader(new SystemSources(true), new SystemSources(false),
                    new SystemSources(false)));
            if (read.exporter.exporters().contains("file")) {
                checkStoreDir(read.exporter.storeDir());
            }
            config = read; // only a configuration obs starts with: an unusable store leaves it null
        } finally {
            javaBase.configure(config); // null: obs does not start, nor does obs-weaver's set-up
        }
        // what the bootstrap's span path hands on, in this loader (no span starts before Recorder.install)
        Recorder.measureSpansWith(dev.obs.exporter.SpanMetrics.INSTANCE);
        dev.obs.exporter.otel.W3cTraceContext.configure(config.propagation);
        MethodsFamily methods = new MethodsFamily(config.pointcuts);
        InstrumentationFamily sync = SyncSetup.family(config.sync, config.familyEnabled("sync"),
                config.familyEnabled("git"), new SystemSources(false), inst);
        GitFamily git = new GitFamily(config.gitCapturePaths);
        DockerFamily docker = new DockerFamily(config.containerStatsInterval, config.containerSelf);
        OtelFamily otel = new OtelFamily();
        MavenFamily maven = new MavenFamily();
        List<InstrumentationFamily> setUp = new ArrayList<>(); // recorders installed, to be woven
        for (InstrumentationFamily family : List.of(methods, sync, git, docker, otel, maven)) {
            if (config.familyEnabled(family.name())) {
                // what its woven code calls goes in before any of it can be woven
                family.installRecorder();
                setUp.add(family);
                if (!family.javaBaseHooks().isEmpty()) {
                    throw new IllegalStateException("family " + family.name() + " weaves java.base but is not set"
                            + " up by AgentInstaller.JavaBaseSetUp");
                }
            }
        }
        // library families' advice links to helper classes defined next to the library on its first call
        HelperDispatch.install(new HelperLoaders(AgentInstaller.class.getClassLoader()));
        weaver.awaitSetUp();
        setUp.addAll(javaBase.setUp);
        // every family, in the order their instrumentations are tried and their names listed
        List<InstrumentationFamily> families = List.of(methods, sync, javaBase.process, git, javaBase.fs, docker,
                javaBase.concurrent, otel, maven);
        List<TypeInstrumentation> instrumentations = new ArrayList<>();
        List<InstrumentationFamily> wovenFamilies = new ArrayList<>();
        List<String> woven = new ArrayList<>();
        List<MetricSource.Factory> metricSources = new ArrayList<>();
        for (InstrumentationFamily family : families) {
            boolean weave = setUp.contains(family);
            if (weave) {
                wovenFamilies.add(family);
                woven.add(family.name());
                instrumentations.addAll(family.typeInstrumentations());
            }
            metricSources.add(family.metricSources(weave));
        }
        weaver.instrument(instrumentations);
        if (config.exporter.exporters().contains("otlp") && !"grpc".equals(config.exporter.protocol())) {
            openHttpConnectionToExporter(inst);
        }
        openManagementToExporter(inst);
        // live endpoints: created only when asked for (obs.http.port); the server starts on the exporter thread
        LiveEndpoints live = config.httpHost == null ? null : new LiveEndpoints(new LiveSettings(config.httpHost,
                config.httpPort, config.healthFailureWindow, version(), woven, config.effectiveConfiguration()));
        ExportPipeline pipeline = ExportPipeline.start(config.exporter, version(),
                MetricSource.Factory.all(metricSources), live);
        Recorder.install(pipeline.spanSink());
        for (InstrumentationFamily family : wovenFamilies) {
            family.exporterStarted();
        }
        Runtime.getRuntime().addShutdownHook(new Thread("obs-shutdown") {
            @Override
            public void run() {
                Recorder.suppressCurrentThread();
                for (InstrumentationFamily family : wovenFamilies) {
                    family.beforeLastExport();
                }
                pipeline.shutdown();
                weaver.persistCache();
            }
        });
        weaver.awaitJavaBase();
    }

    /**
     * Opens {@code java.io} to the bootstrap classes' module (only there: FsRecorder reads a
     * {@code FileDescriptor}'s number through a VarHandle) and returns the file-system groups; null when that
     * is not possible: the fs family is then not woven.
     */
    private static FsGroups openJavaIo(Instrumentation inst, AgentConfig config) {
        try {
            Module bootstrap = FsRecorder.class.getModule();
            inst.redefineModule(Object.class.getModule(), java.util.Set.of(), java.util.Map.of(),
                    java.util.Map.of("java.io", java.util.Set.of(bootstrap)), java.util.Set.of(), java.util.Map.of());
            return new FsGroups(config.fsGroupNames, config.fsGroupGlobs,
                    System.getProperty("java.home"), obsJarPath(), System.getProperty("user.dir"));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Opens the JDK's HttpURLConnection packages to the exporter (only there): the JDK's connection takes the
     * program's {@code CookieHandler} when it is created, with no setting to refuse it, and obs's OTLP/HTTP
     * sender clears it so that the program's cookies never go to the collector (UrlConnectionSender). When the
     * packages cannot be opened the sender leaves the connection as the JDK made it.
     */
    private static void openHttpConnectionToExporter(Instrumentation inst) {
        try {
            java.util.Set<Module> exporter = java.util.Set.of(ExportPipeline.class.getModule());
            inst.redefineModule(Object.class.getModule(), java.util.Set.of(), java.util.Map.of(),
                    java.util.Map.of("sun.net.www.protocol.http", exporter, "sun.net.www.protocol.https", exporter),
                    java.util.Set.of(), java.util.Map.of());
        } catch (RuntimeException e) {
            // UrlConnectionSender finds the packages closed
        }
    }

    /**
     * Exports java.management's {@code sun.management} to the exporter (only there), whose JVM metrics then
     * take the memory and thread beans from the JDK's helper instead of ManagementFactory's platform bean
     * finder (JvmBeans, JvmResources). Without java.management, or when it cannot be exported, nothing changes.
     */
    private static void openManagementToExporter(Instrumentation inst) {
        try {
            java.util.Optional<Module> management = ModuleLayer.boot().findModule("java.management");
            if (management.isPresent()) {
                inst.redefineModule(management.get(), java.util.Set.of(),
                        java.util.Map.of("sun.management", java.util.Set.of(ExportPipeline.class.getModule())),
                        java.util.Map.of(), java.util.Set.of(), java.util.Map.of());
            }
        } catch (RuntimeException e) {
            // the exporter uses ManagementFactory
        }
    }

    /** obs.jar's absolute path, so obs's own class loading is never counted as the application's I/O. */
    private static String obsJarPath() {
        try {
            return new java.io.File(AgentInstaller.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .getPath();
        } catch (Exception | LinkageError e) {
            return null;
        }
    }

    /**
     * System properties or environment variables, and warnings to stderr. A class rather than method
     * references: the first lambda of a JVM costs milliseconds of bootstrap, and this runs in premain.
     */
    private static final class SystemSources implements Function<String, String>, Consumer<String> {
        private final boolean properties;

        SystemSources(boolean properties) {
            this.properties = properties;
        }

        @Override
        public String apply(String name) {
            return properties ? System.getProperty(name) : System.getenv(name);
        }

        @Override
        public void accept(String warning) {
            System.err.println(warning);
        }
    }

    /**
     * obs-weaver's first work ({@link Weaver#start}): hands the bootstrap its configuration and sets up the
     * families whose {@link InstrumentationFamily#javaBaseHooks} are not empty; returns the hooks of those
     * enabled. Premain reads the fields after {@link Weaver#awaitSetUp}.
     */
    private static final class JavaBaseSetUp implements Weaver.SetUp {
        private final Instrumentation inst;
        private final java.util.concurrent.CountDownLatch configured = new java.util.concurrent.CountDownLatch(1);
        private volatile AgentConfig config;
        ProcessFamily process;
        FsFamily fs;
        ConcurrentFamily concurrent;
        /** Those of the three enabled: recorders installed, to be woven. */
        final List<InstrumentationFamily> setUp = new ArrayList<>();

        JavaBaseSetUp(Instrumentation inst) {
            this.inst = inst;
        }

        /** Premain's thread, once: the configuration, or null when obs does not start. */
        void configure(AgentConfig read) {
            config = read;
            configured.countDown();
        }

        @Override
        public Path cacheRoot() {
            return config.weaveCacheDir;
        }

        @Override
        public List<JavaBaseHook> hooks() {
            // what needs no configuration, while premain's thread reads it
            fs = new FsFamily();
            concurrent = new ConcurrentFamily();
            List<JavaBaseHook> fsHooks = fs.javaBaseHooks();
            List<JavaBaseHook> concurrentHooks = concurrent.javaBaseHooks();
            Class<?> loadedMeanwhile = ProcessFamily.class; // built once the configuration is read
            try {
                configured.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            AgentConfig config = this.config;
            if (config == null) {
                throw new IllegalStateException("obs did not start");
            }
            if (config.familyEnabled("fs") || config.familyEnabled("process") || config.familyEnabled("concurrent")) {
                // a first run weaves those of their classes already loaded with ASM: loaded meanwhile
                JavaBaseWarmUp.startUnlessCached(config.weaveCacheDir);
            }
            FsGroups fsGroups = config.familyEnabled("fs") ? openJavaIo(inst, config) : null;
            // what the bootstrap's file-system path hands on, in this loader
            FsRecorder.recordDetailsWith(new dev.obs.exporter.fs.FsDetailRecorder(config.fsSlowMaxPerSecond));
            // the bootstrap's whole configuration, handed over once, before anything is woven
            boolean fsReady = BootstrapSettings.install(new BootstrapSettings(config.sampleRatio, fsGroups,
                    config.fsSlowThresholdNanos));
            boolean fsAvailable = true;
            if (config.familyEnabled("fs") && !fsReady) {
                System.err.println(
                        "obs: file-system instrumentation not installed: java.io.FileDescriptor is not readable");
                fsAvailable = false;
            }
            process = new ProcessFamily(config.tracedExecutables, config.gitTrace2);
            List<JavaBaseHook> hooks = new ArrayList<>();
            for (InstrumentationFamily family : List.of(process, fs, concurrent)) {
                if (config.familyEnabled(family.name()) && (family != fs || fsAvailable)) {
                    // what its woven code calls goes in before any of it can be woven
                    family.installRecorder();
                    setUp.add(family);
                    hooks.addAll(family == fs ? fsHooks : family == concurrent ? concurrentHooks
                            : family.javaBaseHooks());
                }
            }
            return hooks;
        }
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
