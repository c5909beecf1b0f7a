package dev.obs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.GitSyncApp;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.JGitJars;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.ObsCli;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.Tmux;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Git as a sync source with no configuration: {@link GitSyncApp} keeps two JGit repositories in sync through
 * a bare remote ({@code file://}) by fetch/merge/push and pull, with a rejected push, a conflicting merge, a
 * conflicting pull and a fetch from a remote that does not answer; the sync series obs exports over OTLP
 * are exactly those operations, of the service {@code git}, peer the remote's URL with credentials masked.
 */
class GitSyncTest {
    @RegisterExtension
    static final OtlpHttpReceiver receiver = new OtlpHttpReceiver();
    private static final java.time.Duration TERMINAL = java.time.Duration.ofSeconds(60);
    static Path base;
    static String remote;
    static String unreachable;
    static String unreachableMasked;
    static JvmResult run;
    static Path store;
    static long startedMillis;
    static long endedMillis;

    @BeforeAll
    static void runTheSyncLoop() throws Exception {
        base = Files.createTempDirectory("obs-git-sync-");
        Path home = Files.createDirectories(base.resolve("home"));
        Path origin = base.resolve("origin.git");
        PersonIdent who = new PersonIdent("seed", "seed@example.com", Instant.parse("2026-01-01T00:00:00Z"),
                ZoneOffset.UTC);
        Git.init().setBare(true).setInitialBranch("main").setDirectory(origin.toFile()).call().close();
        remote = "file://" + origin;
        try (Git seed = Git.cloneRepository().setURI(remote).setDirectory(base.resolve("seed").toFile()).call()) {
            Files.writeString(base.resolve("seed/README"), "seed\n");
            seed.add().addFilepattern("README").call();
            seed.commit().setMessage("seed").setAuthor(who).setCommitter(who).call();
            seed.push().setRemote("origin").setRefSpecs(new org.eclipse.jgit.transport.RefSpec("HEAD:refs/heads/main"))
                    .call();
        }
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        unreachable = "https://alice:s3cret@127.0.0.1:" + closedPort + "/repo.git";
        unreachableMasked = "https://****@127.0.0.1:" + closedPort + "/repo.git";
        store = base.resolve("store");
        startedMillis = System.currentTimeMillis();
        run = JGitJars.withJGit(AgentJvm.withAgent(GitSyncApp.class), null, home)
                .property("otel.metric.export.interval", "1s")
                .property("obs.fs.slow.threshold", "1d")
                .property("obs.git.capture.paths", "true")
                .property("otel.exporter.otlp.endpoint", receiver.endpoint())
                .property("obs.exporter", "otlp,file")
                .property("obs.store.dir", store.toString())
                .args(remote, Files.createDirectories(base.resolve("work")).toString(), unreachable).run();
        endedMillis = System.currentTimeMillis();
        assertEquals(0, run.exitCode(), run.describe());
    }

    private static Map<String, String> git(String... keyValues) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        m.put("sync.service", "git");
        return m;
    }

    /** Every series of {@code metric} with its latest value. */
    private static Map<Map<String, String>, Double> series(String metric) {
        Map<Map<String, String>, Double> out = new java.util.LinkedHashMap<>();
        for (Map<String, String> s : receiver.seriesAttributes(metric)) {
            out.put(new TreeMap<>(s), receiver.latestValue(metric, s));
        }
        return out;
    }

    @Test
    void theLoopRanAsScripted() {
        assertEquals("REJECTED_NONFASTFORWARD", run.valueAfter("b-push-2 refs/heads/main="), run.describe());
        assertEquals("CONFLICTING [shared.txt]", run.valueAfter("b-merge-2 "), run.describe());
        assertEquals("CONFLICTING [notes.txt, shared.txt]", run.valueAfter("b-pull-1 "), run.describe());
        assertEquals("org.eclipse.jgit.api.errors.TransportException", run.valueAfter("unreachable error "),
                run.describe());
        assertFalse(run.stderr().contains("obs:"), run.describe());
    }

    /** Two clones and two fetches; six pushes, one rejected; three pulls, one conflicting; one failed fetch. */
    @Test
    void fetchPullAndPushAreSyncOperationsByOutcomeAndRemote() {
        Map<Map<String, String>, Double> expected = Map.of(
                git("operation", "fetch", "outcome", "success", "peer", remote, "model", ""), 4.0,
                git("operation", "push", "outcome", "success", "peer", remote, "model", ""), 5.0,
                git("operation", "push", "outcome", "rejected", "peer", remote, "model", ""), 1.0,
                git("operation", "pull", "outcome", "success", "peer", remote, "model", ""), 2.0,
                git("operation", "pull", "outcome", "conflicting", "peer", remote, "model", ""), 1.0,
                git("operation", "fetch", "outcome", "error", "peer", unreachableMasked, "model", ""), 1.0);
        assertEquals(new TreeMap<>(stringKeys(expected)), new TreeMap<>(stringKeys(series("sync.operations"))),
                receiver.describeSeries("sync.operations"));
    }

    /**
     * Records are the refs updated: one tracking ref per fetch and pull, one remote ref per accepted push (the
     * failed fetch moved none: a series still at zero is not exported).
     */
    @Test
    void refsUpdatedAreTheRecords() {
        Map<Map<String, String>, Double> expected = Map.of(
                git("operation", "fetch", "peer", remote, "model", ""), 4.0,
                git("operation", "push", "peer", remote, "model", ""), 5.0,
                git("operation", "pull", "peer", remote, "model", ""), 3.0);
        assertEquals(new TreeMap<>(stringKeys(expected)), new TreeMap<>(stringKeys(series("sync.records"))),
                receiver.describeSeries("sync.records"));
    }

    /** The bytes are those of the packs the transports moved (git.transfer.bytes counts the same packs). */
    @Test
    void bytesAreThoseOfThePacksMovedByDirection() {
        double received = receiver.latestValue("git.transfer.bytes",
                Map.of("network.io.direction", "receive", "git.client", "jgit"));
        double sent = receiver.latestValue("git.transfer.bytes",
                Map.of("network.io.direction", "transmit", "git.client", "jgit"));
        assertTrue(received > 0 && sent > 0, receiver.describeSeries("git.transfer.bytes"));
        Map<Map<String, String>, Double> expected = Map.of(
                git("direction", "received", "peer", remote), received,
                git("direction", "sent", "peer", remote), sent);
        assertEquals(new TreeMap<>(stringKeys(expected)), new TreeMap<>(stringKeys(series("sync.bytes"))),
                receiver.describeSeries("sync.bytes") + "\n" + receiver.describeSeries("git.transfer.bytes"));
    }

    /** The merge left one conflicting path, the pull two: three conflicts detected. */
    @Test
    void conflictingPathsAreConflictsDetected() {
        assertEquals(Map.of(new TreeMap<>(git("resolution", "detected")).toString(), 3.0),
                stringKeys(series("sync.conflicts")), receiver.describeSeries("sync.conflicts"));
    }

    /** The fetch that threw is an error of its operation and masked remote. */
    @Test
    void aFetchThatThrowsIsAnErrorOfTheMaskedRemote() {
        assertEquals(Map.of(new TreeMap<>(git("error.type", "org.eclipse.jgit.api.errors.TransportException",
                        "operation", "fetch", "peer", unreachableMasked, "model", "")).toString(), 1.0),
                stringKeys(series("sync.errors")), receiver.describeSeries("sync.errors"));
    }

    @Test
    void theCredentialsOfTheRemoteNeverLeave() {
        assertFalse(receiver.metricRequests().toString().contains("s3cret"));
        assertFalse(receiver.logRecords().toString().contains("s3cret"));
        assertFalse(receiver.traceRequests().toString().contains("s3cret"));
        assertTrue(receiver.metricRequests().toString().contains(unreachableMasked), "positive control");
    }

    /** The last success is per remote, during the run; the remote that never answered has none. */
    @Test
    void lastSuccessIsKeptPerRemote() {
        Map<Map<String, String>, Double> last = series("sync.last_success");
        assertEquals(List.of(new TreeMap<>(git("peer", remote))), List.copyOf(last.keySet()),
                receiver.describeSeries("sync.last_success"));
        double seconds = last.values().iterator().next();
        assertTrue(seconds >= startedMillis / 1e3 && seconds <= endedMillis / 1e3,
                seconds + " not within the run " + startedMillis + ".." + endedMillis);
    }

    @Test
    void durationsAreCountedByOperationAndOutcome() {
        Map<String, Long> counts = new TreeMap<>();
        for (Map<String, String> s : receiver.seriesAttributes("sync.operation.duration")) {
            counts.put(new TreeMap<>(s).toString(), receiver.latestHistogramCount("sync.operation.duration", s));
        }
        Map<String, Long> expected = new TreeMap<>();
        expected.put(git("operation", "fetch", "outcome", "success").toString(), 4L);
        expected.put(git("operation", "fetch", "outcome", "error").toString(), 1L);
        expected.put(git("operation", "push", "outcome", "success").toString(), 5L);
        expected.put(git("operation", "push", "outcome", "rejected").toString(), 1L);
        expected.put(git("operation", "pull", "outcome", "success").toString(), 2L);
        expected.put(git("operation", "pull", "outcome", "conflicting").toString(), 1L);
        assertEquals(expected, counts, receiver.describeSeries("sync.operation.duration"));
    }

    /** With obs.git.capture.paths, each conflicting path is a sync.conflict event naming the branches. */
    @Test
    void eachConflictingPathIsAnEventWithItsBranches() {
        List<String> events = receiver.logRecords().stream()
                .filter(r -> attribute(r, "event.name").equals("sync.conflict"))
                .map(r -> attribute(r, "sync.operation") + " " + attribute(r, "sync.path") + " "
                        + attribute(r, "sync.ours") + "<-" + attribute(r, "sync.theirs") + " peer="
                        + attribute(r, "sync.peer") + " " + attribute(r, "sync.service"))
                .sorted().collect(Collectors.toList());
        assertEquals(List.of(
                "merge shared.txt main<-origin/main peer= git",
                "pull notes.txt main<-origin/main peer=" + remote + " git",
                "pull shared.txt main<-origin/main peer=" + remote + " git"), events);
    }

    /** {@code obs sync conflicts --json}: shared.txt conflicted twice, notes.txt once, both main <- origin/main. */
    @Test
    void obsSyncConflictsRanksThePathsWithTheirBranches() {
        ObsCli.Result r = ObsCli.create().run("sync", "conflicts", "--json", "--store", store.toString());
        assertEquals(0, r.exitCode(), r.describe());
        JsonArray paths = JsonParser.parseString(r.stdout()).getAsJsonArray();
        assertEquals(2, paths.size(), r.describe());
        String[][] expected = {{"shared.txt", "2"}, {"notes.txt", "1"}};
        for (int i = 0; i < expected.length; i++) {
            JsonObject p = paths.get(i).getAsJsonObject();
            assertEquals(expected[i][0], p.get("path").getAsString(), r.describe());
            assertEquals(Long.parseLong(expected[i][1]), p.get("conflicts").getAsLong(), r.describe());
            JsonArray between = p.getAsJsonArray("between");
            assertEquals(1, between.size(), r.describe());
            JsonObject b = between.get(0).getAsJsonObject();
            assertEquals("main", b.get("ours").getAsString(), r.describe());
            assertEquals("origin/main", b.get("theirs").getAsString(), r.describe());
            assertEquals(Long.parseLong(expected[i][1]), b.get("conflicts").getAsLong(), r.describe());
            long last = Instant.parse(p.get("last").getAsString()).toEpochMilli();
            assertTrue(last >= startedMillis && last <= endedMillis, r.describe());
        }
    }

    @Test
    void obsSyncConflictsPrintsOneLinePerPathMostFirst() {
        ObsCli.Result r = ObsCli.create().run("sync", "conflicts", "--store", store.toString());
        assertEquals(0, r.exitCode(), r.describe());
        List<String> lines = r.stdout().lines().collect(Collectors.toList());
        assertEquals(3, lines.size(), r.describe());
        assertTrue(lines.get(0).startsWith("PATH") && lines.get(0).contains("CONFLICTS"), r.describe());
        assertTrue(lines.get(1).matches("shared\\.txt +2  \\S+ \\S+  main <- origin/main \\(2\\)"), r.describe());
        assertTrue(lines.get(2).matches("notes\\.txt +1  \\S+ \\S+  main <- origin/main \\(1\\)"), r.describe());
    }

    /** A window that ended before the run holds none of its conflicts (the whole store holds three: above). */
    @Test
    void obsSyncConflictsKeepsToTheWindow() {
        ObsCli.Result r = ObsCli.create().run("sync", "conflicts", "--json", "--until", "2020-01-01T00:00",
                "--store", store.toString());
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals(0, JsonParser.parseString(r.stdout()).getAsJsonArray().size(), r.describe());
    }

    /** {@code obs sync metrics} names Git's operations after it, apart from a program's own. */
    @Test
    void obsSyncMetricsShowsGitsOperations() {
        ObsCli.Result r = ObsCli.create().run("sync", "metrics", "--json", "--store", store.toString());
        assertEquals(0, r.exitCode(), r.describe());
        JsonObject ops = r.json().getAsJsonObject("operations");
        assertEquals(new java.util.TreeSet<>(List.of("git fetch", "git pull", "git push")), ops.keySet(),
                r.describe());
        assertEquals(5, ops.getAsJsonObject("git fetch").get("count").getAsLong(), r.describe());
        assertEquals(1, ops.getAsJsonObject("git push").getAsJsonObject("byOutcome").get("rejected").getAsLong(),
                r.describe());
        assertEquals(3, r.json().getAsJsonObject("conflicts").get("detected").getAsLong(), r.describe());
    }

    private static String obsInTerminal(String args) {
        return "env NO_COLOR=1 " + String.join(" ", ObsCli.command()) + " " + args;
    }

    /** In a real pseudo-terminal of 80 columns: the sections are trees, and no line is wider than the terminal. */
    @Test
    void obsSyncMetricsDrawsTreesInAPseudoTerminal() {
        try (Tmux t = new Tmux(80, 100, obsInTerminal("sync metrics --store " + store))) {
            t.awaitEnd(TERMINAL);
            String screen = t.capture(true, false);
            List<String> lines = screen.lines().collect(Collectors.toList());
            int ops = lines.indexOf("Operations");
            assertTrue(ops >= 0, screen);
            assertEquals("├─ git fetch: 5 · error 1 (20.0 %) · success 4 (80.0 %) · records 4", lines.get(ops + 1),
                    screen);
            assertEquals("├─ git pull: 3 · conflicting 1 (33.3 %) · success 2 (66.7 %) · records 3",
                    lines.get(ops + 2), screen);
            assertEquals("└─ git push: 6 · rejected 1 (16.7 %) · success 5 (83.3 %) · records 5", lines.get(ops + 3),
                    screen);
            int errors = lines.indexOf("Errors");
            assertTrue(errors > ops, screen);
            assertEquals("├─ total: 1", lines.get(errors + 1), screen);
            assertEquals("├─ org.eclipse.jgit.api.errors.TransportException: 1", lines.get(errors + 2), screen);
            assertEquals("└─ conflicts detected: 3", lines.get(errors + 3), screen);
            for (String line : lines) {
                assertTrue(line.codePointCount(0, line.length()) <= 80, "wrapped at 80 columns: " + line + "\n" + screen);
            }
        }
    }

    /** --watch redraws in place when the store grows: a second run's file doubles the counts, one tree on screen. */
    @Test
    void obsSyncMetricsWatchRedrawsAsTheStoreGrows() throws Exception {
        Path watched = Files.createDirectories(base.resolve("watched-" + System.nanoTime()));
        Path metrics;
        try (java.util.stream.Stream<Path> files = Files.list(store)) {
            metrics = files.filter(f -> f.getFileName().toString().startsWith("metrics-")).findFirst().orElseThrow();
        }
        Files.copy(metrics, watched.resolve(metrics.getFileName()));
        try (Tmux t = new Tmux(80, 60, obsInTerminal("sync metrics --operations --watch 500ms --store " + watched))) {
            String before = t.awaitText("watching every", TERMINAL);
            assertTrue(before.contains("├─ git fetch: 5 · "), before);
            Files.copy(metrics, watched.resolve("metrics-20000101-000000-1-0001.jsonl"));
            long deadline = System.nanoTime() + TERMINAL.toNanos();
            String screen = before;
            while (System.nanoTime() < deadline && !screen.contains("├─ git fetch: 10 · ")) {
                Thread.sleep(200);
                screen = t.capture(true, false);
            }
            assertTrue(screen.contains("├─ git fetch: 10 · error 2 (20.0 %) · success 8 (80.0 %) · records 8"), screen);
            assertEquals(1, screen.lines().filter(l -> l.equals("Operations")).count(), "redrawn in place: " + screen);
        }
    }

    static String attribute(LogRecord r, String key) {
        for (KeyValue kv : r.getAttributesList()) {
            if (kv.getKey().equals(key)) {
                return kv.getValue().getStringValue();
            }
        }
        return "";
    }

    private static Map<String, Double> stringKeys(Map<Map<String, String>, Double> m) {
        Map<String, Double> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(new TreeMap<>(k).toString(), v));
        return out;
    }
}
