package dev.obs.it;

import static dev.obs.it.ObsRuns.ARRIVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.obs.it.harness.Spans.assertWithin;
import static dev.obs.it.harness.Spans.describe;
import static dev.obs.it.harness.Spans.only;

import com.acme.JGitTransportApp;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.JGitJars;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.ReceivedSpan;
import dev.obs.it.harness.SharedRuns;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * JGit's transport layer against a real {@code git daemon} on 127.0.0.1 and over {@code file://}: clone,
 * push and fetch become {@code git transport fetch|push} spans under the porcelain spans, with protocol,
 * server, and the bytes and objects of the packs moved, compared with what git itself stored.
 *
 * <p>Why the byte counts are exact: a pack crosses the wire byte for byte as it is stored. A clone stores
 * the pack it received as its one {@code .pack} file; the fetch asks for a non-thin pack, so JGit appends
 * no base objects to it; the remote's {@code receive.unpackLimit=1} makes git's receive-pack keep each pushed
 * pack as a {@code .pack} file instead of unpacking it (JGit's own receive-pack, behind {@code file://},
 * always keeps it), and JGit pushes non-thin packs by default. The app prints the bytes each step added to
 * the receiving repository's {@code .pack} files. Object counts come from {@code git rev-list --objects}.
 */
class JGitTransportTest {
    @TempDir
    static Path base;
    static Path home;
    static Process daemon;
    static int port;

    @BeforeAll
    static void startDaemon() throws Exception {
        home = Files.createDirectories(base.resolve("home"));
        Path repos = Files.createDirectories(base.resolve("repos"));
        Path log = base.resolve("daemon.log");
        // A free port can be taken by someone else before git daemon binds it: a few attempts.
        for (int attempt = 1; ; attempt++) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            ProcessBuilder pb = new ProcessBuilder("git", "daemon", "--export-all", "--enable=receive-pack",
                    "--base-path=" + repos, "--listen=127.0.0.1", "--port=" + port, "--reuseaddr",
                    "--informative-errors", repos.toString());
            isolate(pb).redirectErrorStream(true).redirectOutput(log.toFile());
            daemon = pb.start();
            if (awaitListening(daemon, port)) {
                return;
            }
            daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            if (attempt == 3) {
                throw new AssertionError("git daemon did not start on port " + port + ": " + Files.readString(log));
            }
        }
    }

    private static boolean awaitListening(Process process, int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (process.isAlive() && System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        return false;
    }

    @AfterAll
    static void stopDaemon() throws Exception {
        if (daemon != null) {
            daemon.destroy();
            if (!daemon.waitFor(10, TimeUnit.SECONDS)) {
                daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** What one child run with a JGit version exported, to its own receiver. */
    record TransportRun(String name, Path jgitJar, OtlpHttpReceiver receiver, JvmResult run, Path origin,
                        String gitUrl, String fileUrl, long originObjects, List<ReceivedSpan> spans)
            implements AutoCloseable {
        /** The one span named {@code name} whose parent is {@code parent}. */
        ReceivedSpan childOf(ReceivedSpan parent, String name) {
            return only(spans, s -> s.name().equals(name) && s.parentSpanId().equals(parent.spanId()));
        }

        /** The one porcelain span {@code command} for {@code url}. */
        ReceivedSpan command(String command, String url) {
            return only(spans, s -> s.name().equals(command) && url.equals(s.attribute("vcs.repository.url.full")));
        }

        long bytes(String step) {
            return Long.parseLong(run.valueAfter(step + " pack "));
        }

        @Override
        public void close() {
            receiver.close();
        }
    }

    @RegisterExtension
    static final SharedRuns<String, TransportRun> runs = new SharedRuns<>(JGitTransportTest::transportRun);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jgit7", "jgit610"})
    void theAppClonesPushesAndFetchesWithTheChosenJGitAndObsSaysNothing(String jgit) {
        TransportRun t = runs.get(jgit);
        JvmResult run = t.run();
        assertEquals(0, run.exitCode(), run.describe());
        assertFalse(run.stderr().contains("obs:"), run.describe());
        if (t.jgitJar() != null) {
            assertTrue(run.command().toString().contains(t.jgitJar().getFileName().toString()), run.describe());
        }
        assertEquals("refs/heads/main=OK", run.valueAfter("push-git status "), run.describe());
        assertEquals("refs/heads/main=OK", run.valueAfter("push-file status "), run.describe());
        assertEquals("1", run.valueAfter("fetch-git refs "), run.describe());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jgit7", "jgit610"})
    void twoClonesTwoPushesAndOneFetchAreFiveTransportSpans(String jgit) {
        TransportRun t = runs.get(jgit);
        List<ReceivedSpan> transports = t.spans().stream().filter(s -> s.name().startsWith("git transport "))
                .collect(Collectors.toList());
        assertEquals(5, transports.size(), "two clones, two pushes, one fetch: " + describe(t.spans()));
    }

    /** clone over git://: git clone > git fetch > git transport fetch. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jgit7", "jgit610"})
    void cloneOverGitDaemonIsAClientSpanUnderItsFetchWithThePacksBytesAndObjects(String jgit) {
        TransportRun t = runs.get(jgit);
        ReceivedSpan cloneG = t.command("git clone", t.gitUrl());
        ReceivedSpan cloneGFetch = t.childOf(cloneG, "git fetch");
        ReceivedSpan tCloneG = t.childOf(cloneGFetch, "git transport fetch");
        assertEquals(cloneG.traceId(), tCloneG.traceId());
        assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, tCloneG.span().getKind(), tCloneG.toString());
        assertEquals(Status.StatusCode.STATUS_CODE_UNSET, tCloneG.span().getStatus().getCode(), tCloneG.toString());
        assertEquals("git", tCloneG.attribute("network.protocol.name"), tCloneG.toString());
        assertEquals("127.0.0.1", tCloneG.attribute("server.address"), tCloneG.toString());
        assertEquals(String.valueOf(port), tCloneG.attribute("server.port"), tCloneG.toString());
        assertEquals(t.gitUrl(), tCloneG.attribute("vcs.repository.url.full"), tCloneG.toString());
        long cloneGBytes = t.bytes("clone-git");
        assertTrue(cloneGBytes > 0, t.run().describe());
        assertEquals(String.valueOf(cloneGBytes), tCloneG.attribute("git.transfer.bytes.received"),
                "bytes received = the clone's pack file " + tCloneG);
        assertEquals(String.valueOf(t.originObjects()), tCloneG.attribute("git.transfer.objects.received"),
                tCloneG.toString());
        assertEquals("1", tCloneG.attribute("git.refs.updated"), tCloneG.toString());
        assertNull(tCloneG.attribute("git.transfer.bytes.sent"), tCloneG.toString());
        assertWithin(tCloneG, cloneGFetch);
    }

    /** push over git://: git push > git transport push, the pack git's receive-pack kept. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jgit7", "jgit610"})
    void pushOverGitDaemonSendsThePackTheRemoteKept(String jgit) throws Exception {
        TransportRun t = runs.get(jgit);
        String pushedG = t.run().valueAfter("push-git commit ");
        ReceivedSpan pushG = t.command("git push", t.gitUrl());
        ReceivedSpan tPushG = t.childOf(pushG, "git transport push");
        assertEquals("git", tPushG.attribute("network.protocol.name"), tPushG.toString());
        assertEquals("127.0.0.1", tPushG.attribute("server.address"), tPushG.toString());
        assertEquals(String.valueOf(port), tPushG.attribute("server.port"), tPushG.toString());
        long pushGBytes = t.bytes("push-git");
        assertTrue(pushGBytes > 0, t.run().describe());
        assertEquals(String.valueOf(pushGBytes), tPushG.attribute("git.transfer.bytes.sent"),
                "bytes sent = the pack the remote kept " + tPushG);
        assertEquals(String.valueOf(newObjects(t.origin(), pushedG)), tPushG.attribute("git.transfer.objects.sent"),
                tPushG.toString());
        assertEquals("1", tPushG.attribute("git.refs.updated"), tPushG.toString());
        assertNull(tPushG.attribute("git.transfer.bytes.received"), tPushG.toString());
        assertWithin(tPushG, pushG);
    }

    /** clone over file://: no server, the protocol is file. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jgit7", "jgit610"})
    void cloneOverFileHasTheFileProtocolAndNoServer(String jgit) throws Exception {
        TransportRun t = runs.get(jgit);
        ReceivedSpan tCloneF = t.childOf(t.childOf(t.command("git clone", t.fileUrl()), "git fetch"),
                "git transport fetch");
        assertEquals("file", tCloneF.attribute("network.protocol.name"), tCloneF.toString());
        assertNull(tCloneF.attribute("server.address"), tCloneF.toString());
        assertNull(tCloneF.attribute("server.port"), tCloneF.toString());
        assertEquals(t.fileUrl(), tCloneF.attribute("vcs.repository.url.full"), tCloneF.toString());
        assertEquals(String.valueOf(t.bytes("clone-file")), tCloneF.attribute("git.transfer.bytes.received"),
                tCloneF.toString());
        assertEquals(String.valueOf(count(git(t.origin(), "rev-list", "--objects",
                        t.run().valueAfter("clone-file head ")))),
                tCloneF.attribute("git.transfer.objects.received"), tCloneF.toString());
        assertEquals("1", tCloneF.attribute("git.refs.updated"), tCloneF.toString());
    }

    /** push over file://: JGit's own receive-pack runs on its own thread and adds nothing to the span. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jgit7", "jgit610"})
    void pushOverFileCountsWhatTheClientSentOnly(String jgit) throws Exception {
        TransportRun t = runs.get(jgit);
        String pushedF = t.run().valueAfter("push-file commit ");
        ReceivedSpan tPushF = t.childOf(t.command("git push", t.fileUrl()), "git transport push");
        assertEquals("file", tPushF.attribute("network.protocol.name"), tPushF.toString());
        long pushFBytes = t.bytes("push-file");
        assertTrue(pushFBytes > 0, t.run().describe());
        assertEquals(String.valueOf(pushFBytes), tPushF.attribute("git.transfer.bytes.sent"), tPushF.toString());
        assertEquals(String.valueOf(newObjects(t.origin(), pushedF)), tPushF.attribute("git.transfer.objects.sent"),
                tPushF.toString());
        assertEquals("1", tPushF.attribute("git.refs.updated"), tPushF.toString());
        assertNull(tPushF.attribute("git.transfer.bytes.received"), tPushF.toString());
    }

    /** fetch over git:// of the commit pushed over file://. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jgit7", "jgit610"})
    void fetchOverGitDaemonReceivesTheCommitPushedOverFile(String jgit) throws Exception {
        TransportRun t = runs.get(jgit);
        ReceivedSpan fetchG = only(t.spans(), s -> s.name().equals("git fetch") && s.isRoot());
        ReceivedSpan tFetchG = t.childOf(fetchG, "git transport fetch");
        assertEquals("git", tFetchG.attribute("network.protocol.name"), tFetchG.toString());
        long fetchBytes = t.bytes("fetch-git");
        assertTrue(fetchBytes > 0, t.run().describe());
        assertEquals(String.valueOf(fetchBytes), tFetchG.attribute("git.transfer.bytes.received"), tFetchG.toString());
        assertEquals(String.valueOf(newObjects(t.origin(), t.run().valueAfter("push-file commit "))),
                tFetchG.attribute("git.transfer.objects.received"), tFetchG.toString());
        assertEquals("1", tFetchG.attribute("git.refs.updated"), tFetchG.toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jgit7", "jgit610"})
    void transferBytesMetricAddsUpTheSpansBytesByDirection(String jgit) {
        TransportRun t = runs.get(jgit);
        OtlpHttpReceiver receiver = t.receiver();
        long received = t.bytes("clone-git") + t.bytes("clone-file") + t.bytes("fetch-git");
        long sent = t.bytes("push-git") + t.bytes("push-file");
        receiver.awaitCondition(() -> receiver.latestValue("git.transfer.bytes",
                        Map.of("network.io.direction", "receive", "git.client", "jgit")) == received
                        && receiver.latestValue("git.transfer.bytes",
                        Map.of("network.io.direction", "transmit", "git.client", "jgit")) == sent,
                ARRIVAL, () -> "git.transfer.bytes receive " + received + ", transmit " + sent + "\n"
                        + receiver.describeSeries("git.transfer.bytes"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jgit7", "jgit610"})
    void operationDurationCountsThreeTransportFetchesAndTwoPushes(String jgit) {
        OtlpHttpReceiver receiver = runs.get(jgit).receiver();
        Map<String, String> fetches = Map.of("git.operation", "transport fetch");
        Map<String, String> pushes = Map.of("git.operation", "transport push");
        receiver.awaitCondition(() -> receiver.latestHistogramCount("git.operation.duration", fetches) == 3
                        && receiver.latestHistogramCount("git.operation.duration", pushes) == 2, ARRIVAL,
                () -> receiver.describeSeries("git.operation.duration"));
        assertEquals(3, receiver.latestHistogramCount("git.operation.duration", fetches),
                receiver.describeSeries("git.operation.duration"));
        assertEquals(2, receiver.latestHistogramCount("git.operation.duration", pushes),
                receiver.describeSeries("git.operation.duration"));
    }

    /**
     * A bare origin under the daemon's base path with three files of known size, then one child run of
     * {@link JGitTransportApp} with JGit {@code name} exporting to a receiver of its own, until its five
     * transport spans have arrived (when it exited normally: otherwise the first scenario says how it ended).
     */
    private static TransportRun transportRun(String name) throws Exception {
        Path jgitJar = name.equals("jgit610") ? JGitJars.jgit610() : null;
        Path origin = base.resolve("repos").resolve(name + ".git");
        git(base, "init", "--bare", "--initial-branch=main", origin.toString());
        git(origin, "config", "receive.unpackLimit", "1");
        git(origin, "config", "gc.auto", "0");
        Path seed = base.resolve(name + "-seed");
        git(base, "clone", origin.toString(), seed.toString());
        Random random = new Random(42);
        for (int i = 1; i <= 3; i++) {
            byte[] content = new byte[1000 * i];
            random.nextBytes(content);
            Files.write(seed.resolve("file" + i + ".bin"), content);
            git(seed, "add", ".");
            git(seed, "-c", "user.name=seed", "-c", "user.email=seed@example.com", "commit", "-q", "-m", "c" + i);
        }
        git(seed, "push", "-q", "origin", "HEAD:main");
        long originObjects = count(git(origin, "rev-list", "--objects", "--all"));

        Path work = Files.createDirectories(base.resolve(name + "-work"));
        String gitUrl = "git://127.0.0.1:" + port + "/" + name + ".git";
        String fileUrl = "file://" + origin;
        OtlpHttpReceiver receiver = new OtlpHttpReceiver();
        JvmResult run = JGitJars.withJGit(AgentJvm.withAgent(JGitTransportApp.class), jgitJar, home)
                .property("otel.exporter.otlp.endpoint", receiver.endpoint())
                .args(gitUrl, fileUrl, origin.toString(), work.toString()).run();
        if (run.exitCode() == 0) {
            receiver.awaitSpans(s -> s.name().startsWith("git transport "), 5, ARRIVAL);
        }
        List<ReceivedSpan> spans = receiver.spans(s -> s.name().startsWith("git "));
        return new TransportRun(name, jgitJar, receiver, run, origin, gitUrl, fileUrl, originObjects, spans);
    }

    /** Objects the commit brought that its parent did not have ({@code rev-list --objects c ^c~1}). */
    private static long newObjects(Path repo, String commit) throws Exception {
        return count(git(repo, "rev-list", "--objects", commit, "^" + commit + "~1"));
    }

    private static long count(String lines) {
        return lines.lines().filter(l -> !l.isBlank()).count();
    }

    /** Runs the git CLI in {@code dir} without the user's or the system's configuration; its stdout. */
    private static String git(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(List.of(args));
        ProcessBuilder pb = isolate(new ProcessBuilder(command)).directory(dir.toFile());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "git timed out: " + command);
        assertEquals(0, p.exitValue(), command + ":\n" + out);
        return out;
    }

    private static ProcessBuilder isolate(ProcessBuilder pb) {
        Map<String, String> env = pb.environment();
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.remove("GIT_DIR");
        env.remove("GIT_WORK_TREE");
        return pb;
    }
}
