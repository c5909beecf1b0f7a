package dev.obs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.FirstLineFsApp;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpJsonStore;
import dev.obs.it.harness.TelemetryStore;
import dev.obs.it.harness.TestJdk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link FirstLineFsApp}: 1 000 writes and 1 000 reads of 4 KiB as the first statements of {@code main},
 * then exit. The JDK's file classes are woven before premain returns, so every one of them is in the
 * exported {@code fs.operations}/{@code fs.io.bytes} of its group, on a first run (empty weave cache) and
 * on a run after it (the same cache again), on the build's JDK and on Java 25 ({@link TestJdk}), and none
 * of obs's own I/O is. The child verifies the boot classes it loads and redefines
 * ({@code BytecodeVerificationLocal}), so a woven class whose frames were wrong would fail the run instead
 * of passing unchecked.
 */
class FsFromFirstLineTest {
    private static final long BYTES = (long) FirstLineFsApp.BLOCKS * FirstLineFsApp.BLOCK;

    @ParameterizedTest
    @EnumSource(TestJdk.class)
    void aFirstRunWithAnEmptyWeaveCacheCountsEveryOperationFromTheFirstLine(TestJdk jdk, @TempDir Path tmp)
            throws Exception {
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        assertExact(run(jdk, tmp.resolve("run"), cache));
    }

    @ParameterizedTest
    @EnumSource(TestJdk.class)
    void aRunWithTheWeaveCacheOfAnEarlierRunCountsEveryOperationFromTheFirstLine(TestJdk jdk, @TempDir Path tmp)
            throws Exception {
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        run(jdk, tmp.resolve("first"), cache);
        assertTrue(cacheEntries(cache) > 0, "the first run left woven classes (com.acme.Job) in " + cache);
        assertExact(run(jdk, tmp.resolve("second"), cache));
    }

    /**
     * The second run hands the JVM the JDK classes the first one wove (the cache root's javabase file) and
     * never loads ASM; the first run, with the same flags, does load it (the positive control). Both are exact.
     * These two runs keep the JVM's default class-data sharing (no {@code BytecodeVerificationLocal}, which
     * turns it off): without it the JVM hands the transformer class files it reconstitutes, whose constant
     * pools differ from run to run for some classes, which are then woven again (correct, only slower).
     */
    @ParameterizedTest
    @EnumSource(TestJdk.class)
    void aRunAfterAnEarlierOneTakesTheWovenJdkClassesFromTheCacheWithoutLoadingAsm(TestJdk jdk, @TempDir Path tmp)
            throws Exception {
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        Path firstLog = tmp.resolve("first-classes.log");
        Run first = run(jdk, tmp.resolve("first"), cache, false, false, "-Xlog:class+load:file=" + firstLog);
        assertExact(first);
        assertTrue(asmClassesLoaded(firstLog) > 0, "the first run weaves the JDK classes with ASM");
        try (Stream<Path> files = Files.list(cache)) {
            assertEquals(1, files.filter(f -> f.getFileName().toString().startsWith("javabase-")).count(),
                    "the first run wrote the woven JDK classes to " + cache);
        }

        Path secondLog = tmp.resolve("second-classes.log");
        Run second = run(jdk, tmp.resolve("second"), cache, false, false, "-Xlog:class+load:file=" + secondLog);
        assertEquals(0, asmClassesLoaded(secondLog), "ASM loaded on the second run:\n"
                + Files.readAllLines(secondLog).stream().filter(l -> l.contains(ASM)).toList());
        assertExact(second);
    }

    /**
     * {@code -agentlib:instrument=obs.jar} loads the same agent without the extra root module that
     * {@code -javaagent} makes the JVM add, so the CDS archive's module graph stays in use (a shorter start);
     * it counts the same. The {@code -javaagent} run of the same program is the control: the JVM says there that
     * it turned the archived module graph off, so the log line this test reads is the one that tells.
     */
    @ParameterizedTest
    @EnumSource(TestJdk.class)
    void theAgentlibFormCountsEveryOperationAndKeepsTheArchivedModuleGraph(TestJdk jdk, @TempDir Path tmp)
            throws Exception {
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        Path javaagentLog = tmp.resolve("javaagent-cds.log");
        assertExact(run(jdk, tmp.resolve("javaagent"), cache, false, false, "-Xlog:cds=info:file=" + javaagentLog));
        assertTrue(Files.readString(javaagentLog).contains("full module graph: disabled"),
                "the control: -javaagent turns the archived module graph off:\n" + Files.readString(javaagentLog));

        Path agentlibLog = tmp.resolve("agentlib-cds.log");
        assertExact(run(jdk, tmp.resolve("agentlib"), cache, false, true, "-Xlog:cds=info:file=" + agentlibLog));
        assertTrue(Files.readString(agentlibLog).contains("full module graph: enabled"), Files.readString(agentlibLog));
    }

    /** The package of the ASM obs.jar shades (Byte Buddy's copy). */
    private static final String ASM = "dev.obs.shaded.net.bytebuddy.jar.asm.";

    private static long asmClassesLoaded(Path classLoadLog) throws IOException {
        try (Stream<String> lines = Files.lines(classLoadLog)) {
            return lines.filter(l -> l.contains(ASM)).count();
        }
    }

    private static Run run(TestJdk jdk, Path dir, Path cache) throws IOException {
        return run(jdk, dir, cache, true, false);
    }

    private static Run run(TestJdk jdk, Path dir, Path cache, boolean verifyBootClasses, boolean agentlibForm,
            String... jvmArgs) throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path store = dir.resolve("store");
        AgentJvm jvm = AgentJvm.withAgent(FirstLineFsApp.class).javaHome(jdk.home());
        if (agentlibForm) {
            jvm.agentlibForm();
        }
        for (String arg : jvmArgs) {
            jvm.jvmArg(arg);
        }
        if (verifyBootClasses) {
            jvm.jvmArg("-XX:+UnlockDiagnosticVMOptions").jvmArg("-XX:+BytecodeVerificationLocal");
        }
        JvmResult result = jvm
                .property("obs.weave.cache.dir", cache.toString())
                .property("obs.store.dir", store.toString())
                .property("obs.fs.groups", "data=" + data + "/**")
                .property("obs.methods.include", "com.acme.Job[label]")
                .args(data.toString()).run();
        assertEquals(0, result.exitCode(), result.describe());
        assertEquals("job:read " + BYTES, result.stdout().strip(), result.describe());
        List<String> obsLines = result.stderrLines().stream().filter(l -> l.startsWith("obs:")).toList();
        assertEquals(List.of(), obsLines, result.describe());
        return new Run(result, new OtlpJsonStore(store).read());
    }

    private static void assertExact(Run run) {
        TelemetryStore stored = run.stored();
        String context = stored.describeSeries("fs.operations") + "\n" + stored.describeSeries("fs.io.bytes")
                + "\n" + run.result().describe();
        assertEquals(FirstLineFsApp.BLOCKS, value(stored, "fs.operations", "fs.operation", "write"), context);
        assertEquals(FirstLineFsApp.BLOCKS, value(stored, "fs.operations", "fs.operation", "read"), context);
        assertEquals(2, value(stored, "fs.operations", "fs.operation", "open"), context);
        assertEquals(2 * FirstLineFsApp.BLOCKS + 2, stored.latestValue("fs.operations", Map.of("file.group", "data")),
                "nothing else in the group: " + context);
        assertEquals(BYTES, value(stored, "fs.io.bytes", "fs.io.direction", "write"), context);
        assertEquals(BYTES, value(stored, "fs.io.bytes", "fs.io.direction", "read"), context);
        // obs's own reads (the weave cache, /proc in premain) would land here: the program has none of its own
        assertTrue(Double.isNaN(stored.latestValue("fs.operations", Map.of("file.group", "other"))),
                "nothing counted outside data, jvm and stdio: " + context);
    }

    private static double value(TelemetryStore stored, String metric, String key, String value) {
        return stored.latestValue(metric, Map.of(key, value, "file.group", "data"));
    }

    private static long cacheEntries(Path cache) throws IOException {
        try (Stream<Path> files = Files.walk(cache)) {
            return files.filter(f -> f.toString().endsWith(".bin") && !f.getFileName().toString().startsWith("javabase-"))
                    .count();
        }
    }

    private record Run(JvmResult result, TelemetryStore stored) {
    }
}
