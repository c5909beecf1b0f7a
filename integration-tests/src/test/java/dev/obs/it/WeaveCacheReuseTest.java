package dev.obs.it;

import static dev.obs.it.ObsRuns.ARRIVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.JGitApp;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.JGitJars;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.ReceivedSpan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The weave cache ({@code obs.weave.cache.dir}) across real runs of a JGit program: the second run gets the
 * same spans without loading Byte Buddy's weaving classes, damaged entries are woven again, and a directory
 * other users could write to is not used.
 */
class WeaveCacheReuseTest {
    /** Loaded only when Byte Buddy weaves (the engine describes advice); class-load logging shows it. */
    private static final String ADVICE_CLASS = "dev.obs.shaded.net.bytebuddy.asm.Advice ";

    @RegisterExtension
    static final OtlpHttpReceiver receiver = new OtlpHttpReceiver();

    @Test
    void aSecondRunTakesTheWovenClassesFromTheCacheWithoutStartingByteBuddy(@TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("cache");
        JvmResult cold = run(tmp.resolve("cold"), cache);
        assertTrue(cold.stdout().contains(ADVICE_CLASS), "the first run weaves");
        Set<String> coldSpans = gitSpanNames(cold);
        List<Path> entries = entries(cache);
        assertTrue(entries.size() >= 10, "one entry per JGit command class loaded: " + entries);

        java.util.Map<Path, byte[]> before = snapshot(cache);
        JvmResult warm = run(tmp.resolve("warm"), cache);
        assertFalse(warm.stdout().contains(ADVICE_CLASS), "Byte Buddy was not needed; classes the second run still"
                + " had to weave: " + changed(cache, before) + "\n" + withoutClassLoading(warm));
        assertEquals(coldSpans, gitSpanNames(warm));
        assertEquals(entries.size(), entries(cache).size(), "nothing new to write");
    }

    @Test
    void damagedEntriesAreWovenAgainAndRewritten(@TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("cache");
        Set<String> expected = gitSpanNames(run(tmp.resolve("first"), cache));
        List<Path> entries = entries(cache);
        for (Path entry : entries) {
            byte[] record = Files.readAllBytes(entry);
            record[record.length / 2] ^= 0x20;
            Files.write(entry, record);
        }

        JvmResult damaged = run(tmp.resolve("damaged"), cache);
        assertTrue(damaged.stdout().contains(ADVICE_CLASS), "woven again");
        assertEquals(expected, gitSpanNames(damaged));
        java.util.Map<Path, byte[]> before = snapshot(cache);
        JvmResult repaired = run(tmp.resolve("repaired"), cache);
        assertFalse(repaired.stdout().contains(ADVICE_CLASS), "the entries were rewritten; classes the repaired run"
                + " still had to weave: " + changed(cache, before) + "\n" + withoutClassLoading(repaired));
        assertEquals(expected, gitSpanNames(repaired));
    }

    @Test
    void aDirectoryOtherUsersCanWriteToIsNotUsed(@TempDir Path tmp) throws Exception {
        Path cache = Files.createDirectories(tmp.resolve("shared"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        JvmResult run = run(tmp.resolve("run"), cache);
        List<String> warnings = run.stderrLines().stream().filter(l -> l.startsWith("obs:")).toList();
        assertEquals(1, warnings.size(), run.describe());
        assertTrue(warnings.get(0).contains("weave cache " + cache) && warnings.get(0).contains("writable by other users"),
                warnings.get(0));
        assertTrue(gitSpanNames(run).contains("git commit"), "instrumented all the same");
        try (Stream<Path> files = Files.list(cache)) {
            assertEquals(0, files.count(), "nothing written there");
        }
    }

    private static JvmResult run(Path dir, Path cache) throws Exception {
        receiver.clear();
        Files.createDirectories(dir);
        JvmResult run = JGitJars.withJGit(AgentJvm.withAgent(JGitApp.class), null, dir.resolve("home"))
                .jvmArg("-verbose:class")
                .property("obs.weave.cache.dir", cache.toString())
                .property("otel.exporter.otlp.endpoint", receiver.endpoint())
                .args(Files.createDirectories(dir.resolve("work")).toString()).run();
        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(run.stdout().contains("merge CONFLICTING conflicts 1"), run.describe());
        return run;
    }

    /** The JGit span names of the run just made (the app's last command is ls-remote). */
    private static Set<String> gitSpanNames(JvmResult run) {
        receiver.awaitSpans(s -> s.name().equals("git ls-remote"), 1, ARRIVAL);
        Set<String> names = receiver.spans(s -> s.name().startsWith("git ") && s.attribute("process.executable.name") == null)
                .stream().map(ReceivedSpan::name).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(names.containsAll(Set.of("git clone", "git commit", "git merge", "git pull", "git push")),
                names + "\n" + run.describe());
        return names;
    }

    private static java.util.Map<Path, byte[]> snapshot(Path cache) throws IOException {
        java.util.Map<Path, byte[]> out = new java.util.HashMap<>();
        for (Path entry : entries(cache)) {
            out.put(entry, Files.readAllBytes(entry));
        }
        return out;
    }

    /** Classes whose entries are new or rewritten since {@code before}: what a run had to weave. */
    private static List<String> changed(Path cache, java.util.Map<Path, byte[]> before) throws IOException {
        List<String> out = new java.util.ArrayList<>();
        for (Path entry : entries(cache)) {
            if (!java.util.Arrays.equals(before.get(entry), Files.readAllBytes(entry))) {
                out.add(className(entry));
            }
        }
        return out;
    }

    private static String withoutClassLoading(JvmResult run) {
        return run.describe().lines().filter(l -> !l.contains("[class,load]")).collect(Collectors.joining("\n"));
    }

    /** The class name an entry holds (after the format's magic and version). */
    private static String className(Path entry) throws IOException {
        try (java.io.DataInputStream in = new java.io.DataInputStream(Files.newInputStream(entry))) {
            in.readInt();
            in.readInt();
            return in.readUTF();
        }
    }

    private static List<Path> entries(Path cache) throws IOException {
        try (Stream<Path> files = Files.walk(cache)) {
            // the weave cache's entries, not the woven JDK classes' file at the root (JavaBaseCache)
            return files.filter(f -> f.toString().endsWith(".bin") && !f.getFileName().toString().startsWith("javabase-"))
                    .sorted().collect(Collectors.toList());
        }
    }
}
