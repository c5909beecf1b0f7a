package dev.obs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.GitCliSyncApp;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpHttpReceiver;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The git command line as a sync source: {@link GitCliSyncApp} clones, fetches, pushes and pulls through the
 * real {@code git} and fetches from an unreachable URL with credentials; each is one sync operation of the
 * service {@code git}, peer the remote argument as written (masked), outcome by exit code.
 */
class GitCliSyncTest {
    @RegisterExtension
    static final OtlpHttpReceiver receiver = new OtlpHttpReceiver();
    @TempDir
    static Path tmp;
    static String remote;
    static String unreachable;
    static String unreachableMasked;
    static JvmResult run;

    @BeforeAll
    static void runTheCommands() throws Exception {
        Path origin = tmp.resolve("origin.git");
        PersonIdent who = new PersonIdent("seed", "seed@example.com", Instant.parse("2026-01-01T00:00:00Z"),
                ZoneOffset.UTC);
        Git.init().setBare(true).setInitialBranch("main").setDirectory(origin.toFile()).call().close();
        remote = "file://" + origin;
        try (Git seed = Git.cloneRepository().setURI(remote).setDirectory(tmp.resolve("seed").toFile()).call()) {
            Files.writeString(tmp.resolve("seed/README"), "seed\n");
            seed.add().addFilepattern("README").call();
            seed.commit().setMessage("seed").setAuthor(who).setCommitter(who).call();
            seed.push().setRemote("origin")
                    .setRefSpecs(new org.eclipse.jgit.transport.RefSpec("HEAD:refs/heads/main")).call();
        }
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        unreachable = "https://alice:s3cret@127.0.0.1:" + closedPort + "/repo.git";
        unreachableMasked = "https://****@127.0.0.1:" + closedPort + "/repo.git";
        run = AgentJvm.withAgent(GitCliSyncApp.class)
                .property("otel.metric.export.interval", "1s")
                .property("otel.exporter.otlp.endpoint", receiver.endpoint())
                .args(remote, Files.createDirectories(tmp.resolve("work")).toString(), unreachable).run();
        assertEquals(0, run.exitCode(), run.describe());
    }

    @Test
    void theCommandsRanAsScripted() {
        assertEquals("0", run.valueAfter("clone exit "), run.describe());
        assertEquals("0", run.valueAfter("fetch exit "), run.describe());
        assertEquals("0", run.valueAfter("push exit "), run.describe());
        assertEquals("0", run.valueAfter("pull exit "), run.describe());
        assertEquals("128", run.valueAfter("unreachable fetch exit "), run.describe());
    }

    /** A clone is its fetch; the peer is the remote as the command names it; a non-zero exit is an error. */
    @Test
    void fetchPullPushAndCloneAreSyncOperationsByOutcomeAndRemote() {
        Map<String, Double> expected = new TreeMap<>(Map.of(
                git("operation", "fetch", "outcome", "success", "peer", remote), 1.0,
                git("operation", "fetch", "outcome", "success", "peer", "origin"), 1.0,
                git("operation", "push", "outcome", "success", "peer", "origin"), 1.0,
                git("operation", "pull", "outcome", "success", "peer", "origin"), 1.0,
                git("operation", "fetch", "outcome", "error", "peer", unreachableMasked), 1.0));
        assertEquals(expected, series("sync.operations"), receiver.describeSeries("sync.operations"));
    }

    @Test
    void theCredentialsNeverLeave() {
        assertTrue(receiver.metricRequests().toString().contains(unreachableMasked), "positive control");
        assertFalse(receiver.metricRequests().toString().contains("s3cret"));
        assertFalse(receiver.traceRequests().toString().contains("s3cret"));
    }

    private static String git(String... keyValues) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        m.put("model", "");
        m.put("sync.service", "git");
        return m.toString();
    }

    private static Map<String, Double> series(String metric) {
        Map<String, Double> out = new TreeMap<>();
        for (Map<String, String> s : receiver.seriesAttributes(metric)) {
            out.put(new TreeMap<>(s).toString(), receiver.latestValue(metric, s));
        }
        return out;
    }
}
