package dev.obs.it;

import static dev.obs.it.ObsRuns.ARRIVAL;
import static dev.obs.it.ObsRuns.METHODS_APP_SPAN_TOTAL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.MethodsApp;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.ObsCli;
import dev.obs.it.harness.OtlpGrpcReceiver;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.RunningJvm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The libraries obs.jar carries as inner jars ({@code inst/lib/}): Byte Buddy (weaving), OkHttp with Okio and
 * Kotlin (the gRPC protocol) and picocli (the command line). A run that needs none of them loads none of their
 * classes, read from the JVM's class-loading log; each absence is checked next to a run in the same class that
 * does load them from there, and records arrive either way.
 */
class LibraryJarsTest {
    private static final List<String> INNER_PACKAGES = List.of("dev.obs.shaded.net.bytebuddy.",
            "dev.obs.shaded.okhttp3.", "dev.obs.shaded.okio.", "dev.obs.shaded.kotlin.", "dev.obs.shaded.picocli.");
    private static final String BYTE_BUDDY = "dev.obs.shaded.net.bytebuddy.";
    /** Loaded only when Byte Buddy weaves (the engine describes advice). */
    private static final String ADVICE_CLASS = "dev.obs.shaded.net.bytebuddy.asm.Advice";

    @RegisterExtension
    static final OtlpHttpReceiver receiver = new OtlpHttpReceiver();

    @Test
    void aWarmRunLoadsNoClassOfTheInnerJarsAndItsSpansArrive(@TempDir Path tmp) throws IOException {
        Path cache = tmp.resolve("cache");
        List<String> cold = run(ObsRuns.exportingTo(MethodsApp.class, receiver.endpoint()), tmp.resolve("cold.log"), cache);
        assertTrue(loaded(cold, ADVICE_CLASS), "the first run weaves");

        List<String> warm = run(ObsRuns.exportingTo(MethodsApp.class, receiver.endpoint()), tmp.resolve("warm.log"), cache);
        assertEquals(List.of(), classesOf(warm, INNER_PACKAGES), "a warm run loaded classes of the inner jars");
        // the log covers obs's classes: this run read its woven classes from the weave cache
        assertTrue(loaded(warm, "dev.obs.agent.internal.WeaveCache"), "no class of obs in the log?");
    }

    @Test
    void aColdRunLoadsByteBuddyFromItsCopyUnderTheCacheRootAndItsSpansArrive(@TempDir Path tmp) throws IOException {
        Path cache = tmp.resolve("cache");
        List<String> cold = run(ObsRuns.exportingTo(MethodsApp.class, receiver.endpoint()), tmp.resolve("cold.log"), cache);
        assertTrue(loaded(cold, ADVICE_CLASS), "Byte Buddy wove: " + classesOf(cold, List.of(BYTE_BUDDY)));
        // OTLP/HTTP and no command line: neither of the other two inner jars
        assertEquals(List.of(), classesOf(cold, List.of("dev.obs.shaded.okhttp3.", "dev.obs.shaded.okio.",
                "dev.obs.shaded.kotlin.", "dev.obs.shaded.picocli.")));
        List<Path> copies = files(cache.resolve("lib"));
        assertEquals(1, copies.size(), "one copy, Byte Buddy's: " + copies);
        assertTrue(copies.get(0).getFileName().toString().startsWith("bytebuddy-"), copies.toString());
        assertArrayEquals(innerJar("bytebuddy"), Files.readAllBytes(copies.get(0)), "the copy is the inner jar");
    }

    @Test
    void jvmsStartingTogetherOnAnEmptyCacheEachWeaveAndLeaveOneCompleteCopy(@TempDir Path tmp) throws IOException {
        Path cache = tmp.resolve("cache");
        List<RunningJvm> running = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            running.add(ObsRuns.instrumented(MethodsApp.class)
                    .property("obs.exporter", "none")
                    .property("obs.weave.cache.dir", cache.toString())
                    .jvmArg("-Xlog:class+load=info:file=" + tmp.resolve("run" + i + ".log"))
                    .args("--sync=3")
                    .start());
        }
        for (int i = 0; i < running.size(); i++) {
            JvmResult run = running.get(i).awaitExit();
            assertEquals(0, run.exitCode(), run.describe());
            assertTrue(run.stdout().contains("job.run(2) = "), run.describe());
            assertTrue(loaded(Files.readAllLines(tmp.resolve("run" + i + ".log")), ADVICE_CLASS), "run " + i + " wove");
        }
        List<Path> copies = files(cache.resolve("lib"));
        assertEquals(1, copies.size(), "one copy, no temporary file left: " + copies);
        assertArrayEquals(innerJar("bytebuddy"), Files.readAllBytes(copies.get(0)), "the copy is the inner jar");
    }

    @Test
    void withTheWeaveCacheOffTheCopyIsATemporaryFileDeletedAtExit(@TempDir Path tmp) throws IOException {
        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        AgentJvm jvm = ObsRuns.exportingTo(MethodsApp.class, receiver.endpoint())
                .property("java.io.tmpdir", javaTmp.toString());
        List<String> loaded = run(jvm, tmp.resolve("off.log"), null);
        assertTrue(loaded(loaded, ADVICE_CLASS), "Byte Buddy wove");
        assertEquals(List.of(), files(javaTmp), "left in java.io.tmpdir after exit");
    }

    @Test
    void theGrpcProtocolLoadsOkHttpFromItsInnerJar(@TempDir Path tmp) throws IOException {
        try (OtlpGrpcReceiver grpc = new OtlpGrpcReceiver()) {
            Path log = tmp.resolve("grpc.log");
            JvmResult run = ObsRuns.exportingTo(MethodsApp.class, grpc.endpoint())
                    .property("otel.exporter.otlp.protocol", "grpc")
                    .property("obs.weave.cache.dir", tmp.resolve("cache").toString())
                    .jvmArg("-Xlog:class+load=info:file=" + log)
                    .args("--sync=3")
                    .run();
            assertEquals(0, run.exitCode(), run.describe());
            assertEquals(METHODS_APP_SPAN_TOTAL, grpc.awaitSpans(METHODS_APP_SPAN_TOTAL, ARRIVAL).size(), run.describe());
            assertTrue(loaded(Files.readAllLines(log), "dev.obs.shaded.okhttp3.OkHttpClient"), run.describe());
            assertTrue(files(tmp.resolve("cache").resolve("lib")).stream()
                    .anyMatch(f -> f.getFileName().toString().startsWith("okhttp-")), "OkHttp's copy");
        }
    }

    @Test
    void theCommandLineLoadsPicocliFromItsInnerJar(@TempDir Path tmp) throws IOException {
        Path log = tmp.resolve("cli.log");
        ObsCli.Result help = ObsCli.create()
                .env("JDK_JAVA_OPTIONS", "-Xlog:class+load=info:file=" + log)
                .env("OBS_WEAVE_CACHE_DIR", tmp.resolve("cache").toString())
                .run("--help");
        assertEquals(0, help.exitCode(), help.describe());
        assertTrue(help.stdout().contains("Usage:"), help.describe());
        List<String> loaded = Files.readAllLines(log);
        assertTrue(loaded(loaded, "dev.obs.shaded.picocli.CommandLine"), help.describe());
        assertEquals(List.of(), classesOf(loaded, List.of(BYTE_BUDDY)), "the command line weaves nothing");
    }

    /**
     * The layout the application class loader sees: no entry of the three libraries outside their inner jars,
     * which are stored (a copy is their bytes) and hold them.
     */
    @Test
    void obsJarHoldsTheLibrariesOnlyInItsStoredInnerJars() throws IOException {
        try (JarFile jar = new JarFile(AgentJvm.agentJarFromBuild().toFile())) {
            List<String> outside = jar.stream().map(ZipEntry::getName)
                    .filter(n -> INNER_PACKAGES.stream().anyMatch(p -> n.startsWith("inst/" + p.replace('.', '/'))))
                    .collect(Collectors.toList());
            assertEquals(0, outside.size(), outside.size() + " entries of the inner jars' libraries in obs.jar itself: "
                    + outside.subList(0, Math.min(10, outside.size())) + "...");
            assertTrue(jar.size() < 2500, "obs.jar's own entries: " + jar.size());
            for (String library : List.of("bytebuddy", "okhttp", "picocli")) {
                JarEntry inner = jar.getJarEntry("inst/lib/" + library + ".jar");
                assertNotNull(inner, library);
                assertEquals(ZipEntry.STORED, inner.getMethod(), library + " is not stored");
            }
        }
        assertTrue(classNames(innerJar("bytebuddy")).contains("dev/obs/shaded/net/bytebuddy/asm/Advice.class"));
        assertTrue(classNames(innerJar("okhttp")).contains("dev/obs/shaded/okhttp3/OkHttpClient.class"));
        assertTrue(classNames(innerJar("picocli")).contains("dev/obs/shaded/picocli/CommandLine.class"));
    }

    /** Runs MethodsApp with class loading logged to {@code log}; {@code cache} null: the weave cache off. */
    private List<String> run(AgentJvm jvm, Path log, Path cache) throws IOException {
        receiver.clear();
        JvmResult run = jvm.property("obs.weave.cache.dir", cache == null ? "off" : cache.toString())
                .jvmArg("-Xlog:class+load=info:file=" + log)
                .args("--sync=3")
                .run();
        assertEquals(0, run.exitCode(), run.describe());
        assertEquals(METHODS_APP_SPAN_TOTAL, receiver.awaitSpans(METHODS_APP_SPAN_TOTAL, ARRIVAL).size(),
                "spans of " + log.getFileName() + "\n" + run.describe());
        return Files.readAllLines(log);
    }

    /** The classes a class-loading log shows loaded from any of these package prefixes. */
    private static List<String> classesOf(List<String> log, List<String> packages) {
        List<String> out = new ArrayList<>();
        for (String line : log) {
            int at = line.indexOf("] ");
            String name = at < 0 ? "" : line.substring(at + 2).split(" ", 2)[0];
            if (packages.stream().anyMatch(name::startsWith)) {
                out.add(name);
            }
        }
        return out;
    }

    private static boolean loaded(List<String> log, String className) {
        return log.stream().anyMatch(l -> l.contains("] " + className + " source:"));
    }

    private static byte[] innerJar(String library) throws IOException {
        try (JarFile jar = new JarFile(AgentJvm.agentJarFromBuild().toFile());
             InputStream in = jar.getInputStream(jar.getJarEntry("inst/lib/" + library + ".jar"))) {
            return in.readAllBytes();
        }
    }

    private static List<String> classNames(byte[] jarBytes) throws IOException {
        List<String> names = new ArrayList<>();
        try (java.util.jar.JarInputStream in = new java.util.jar.JarInputStream(new java.io.ByteArrayInputStream(jarBytes))) {
            for (JarEntry e; (e = in.getNextJarEntry()) != null; ) {
                names.add(e.getName());
            }
        }
        return names;
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Collections.emptyList();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().collect(Collectors.toList());
        }
    }
}
