package dev.obs.it;

import static dev.obs.it.ObsRuns.ARRIVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.JGitTransportApp;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.JGitJars;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.ReceivedSpan;
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
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

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
    @RegisterExtension
    static final OtlpHttpReceiver receiver = new OtlpHttpReceiver();

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

    @Test
    void cloneFetchAndPushOverGitDaemonAndFile() throws Exception {
        check("jgit7", null);
    }

    @Test
    void jgit610IsInstrumentedTheSameWay() throws Exception {
        check("jgit610", JGitJars.jgit610());
    }

    private static void check(String name, Path jgitJar) throws Exception {
        receiver.clear();
        // origin: a bare repository under the daemon's base path with three files of known size
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
        JvmResult run = JGitJars.withJGit(AgentJvm.withAgent(JGitTransportApp.class), jgitJar, home)
                .property("otel.exporter.otlp.endpoint", receiver.endpoint())
                .args(gitUrl, fileUrl, origin.toString(), work.toString()).run();
        assertEquals(0, run.exitCode(), run.describe());
        assertFalse(run.stderr().contains("obs:"), run.describe());
        if (jgitJar != null) {
            assertTrue(run.command().toString().contains(jgitJar.getFileName().toString()), run.describe());
        }
        assertEquals("refs/heads/main=OK", line(run, "push-git status "), run.describe());
        assertEquals("refs/heads/main=OK", line(run, "push-file status "), run.describe());
        assertEquals("1", line(run, "fetch-git refs "), run.describe());

        receiver.awaitSpans(s -> s.name().startsWith("git transport "), 5, ARRIVAL);
        List<ReceivedSpan> spans = receiver.spans(s -> s.name().startsWith("git "));
        List<ReceivedSpan> transports = spans.stream().filter(s -> s.name().startsWith("git transport "))
                .collect(Collectors.toList());
        assertEquals(5, transports.size(), "two clones, two pushes, one fetch: " + describe(spans));

        // clone over git://: git clone > git fetch > git transport fetch
        ReceivedSpan cloneG = only(spans, s -> s.name().equals("git clone")
                && gitUrl.equals(s.attribute("vcs.repository.url.full")));
        ReceivedSpan cloneGFetch = only(spans, s -> s.name().equals("git fetch")
                && s.parentSpanId().equals(cloneG.spanId()));
        ReceivedSpan tCloneG = only(spans, s -> s.name().equals("git transport fetch")
                && s.parentSpanId().equals(cloneGFetch.spanId()));
        assertEquals(cloneG.traceId(), tCloneG.traceId());
        assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, tCloneG.span().getKind(), tCloneG.toString());
        assertEquals(Status.StatusCode.STATUS_CODE_UNSET, tCloneG.span().getStatus().getCode(), tCloneG.toString());
        assertEquals("git", tCloneG.attribute("network.protocol.name"), tCloneG.toString());
        assertEquals("127.0.0.1", tCloneG.attribute("server.address"), tCloneG.toString());
        assertEquals(String.valueOf(port), tCloneG.attribute("server.port"), tCloneG.toString());
        assertEquals(gitUrl, tCloneG.attribute("vcs.repository.url.full"), tCloneG.toString());
        long cloneGBytes = Long.parseLong(line(run, "clone-git pack "));
        assertTrue(cloneGBytes > 0, run.describe());
        assertEquals(String.valueOf(cloneGBytes), tCloneG.attribute("git.transfer.bytes.received"),
                "bytes received = the clone's pack file " + tCloneG);
        assertEquals(String.valueOf(originObjects), tCloneG.attribute("git.transfer.objects.received"),
                tCloneG.toString());
        assertEquals("1", tCloneG.attribute("git.refs.updated"), tCloneG.toString());
        assertNull(tCloneG.attribute("git.transfer.bytes.sent"), tCloneG.toString());
        within(tCloneG, cloneGFetch);

        // push over git://: git push > git transport push, the pack git's receive-pack kept
        String pushedG = line(run, "push-git commit ");
        ReceivedSpan pushG = only(spans, s -> s.name().equals("git push")
                && gitUrl.equals(s.attribute("vcs.repository.url.full")));
        ReceivedSpan tPushG = only(spans, s -> s.name().equals("git transport push")
                && s.parentSpanId().equals(pushG.spanId()));
        assertEquals("git", tPushG.attribute("network.protocol.name"), tPushG.toString());
        assertEquals("127.0.0.1", tPushG.attribute("server.address"), tPushG.toString());
        assertEquals(String.valueOf(port), tPushG.attribute("server.port"), tPushG.toString());
        long pushGBytes = Long.parseLong(line(run, "push-git pack "));
        assertTrue(pushGBytes > 0, run.describe());
        assertEquals(String.valueOf(pushGBytes), tPushG.attribute("git.transfer.bytes.sent"),
                "bytes sent = the pack the remote kept " + tPushG);
        assertEquals(String.valueOf(newObjects(origin, pushedG)), tPushG.attribute("git.transfer.objects.sent"),
                tPushG.toString());
        assertEquals("1", tPushG.attribute("git.refs.updated"), tPushG.toString());
        assertNull(tPushG.attribute("git.transfer.bytes.received"), tPushG.toString());
        within(tPushG, pushG);

        // clone over file://: no server, the protocol is file
        ReceivedSpan cloneF = only(spans, s -> s.name().equals("git clone")
                && fileUrl.equals(s.attribute("vcs.repository.url.full")));
        ReceivedSpan cloneFFetch = only(spans, s -> s.name().equals("git fetch")
                && s.parentSpanId().equals(cloneF.spanId()));
        ReceivedSpan tCloneF = only(spans, s -> s.name().equals("git transport fetch")
                && s.parentSpanId().equals(cloneFFetch.spanId()));
        assertEquals("file", tCloneF.attribute("network.protocol.name"), tCloneF.toString());
        assertNull(tCloneF.attribute("server.address"), tCloneF.toString());
        assertNull(tCloneF.attribute("server.port"), tCloneF.toString());
        assertEquals(fileUrl, tCloneF.attribute("vcs.repository.url.full"), tCloneF.toString());
        long cloneFBytes = Long.parseLong(line(run, "clone-file pack "));
        assertEquals(String.valueOf(cloneFBytes), tCloneF.attribute("git.transfer.bytes.received"), tCloneF.toString());
        assertEquals(String.valueOf(count(git(origin, "rev-list", "--objects", line(run, "clone-file head ")))),
                tCloneF.attribute("git.transfer.objects.received"), tCloneF.toString());
        assertEquals("1", tCloneF.attribute("git.refs.updated"), tCloneF.toString());

        // push over file://: JGit's own receive-pack runs on its own thread and adds nothing to the span
        String pushedF = line(run, "push-file commit ");
        ReceivedSpan pushF = only(spans, s -> s.name().equals("git push")
                && fileUrl.equals(s.attribute("vcs.repository.url.full")));
        ReceivedSpan tPushF = only(spans, s -> s.name().equals("git transport push")
                && s.parentSpanId().equals(pushF.spanId()));
        assertEquals("file", tPushF.attribute("network.protocol.name"), tPushF.toString());
        long pushFBytes = Long.parseLong(line(run, "push-file pack "));
        assertTrue(pushFBytes > 0, run.describe());
        assertEquals(String.valueOf(pushFBytes), tPushF.attribute("git.transfer.bytes.sent"), tPushF.toString());
        assertEquals(String.valueOf(newObjects(origin, pushedF)), tPushF.attribute("git.transfer.objects.sent"),
                tPushF.toString());
        assertEquals("1", tPushF.attribute("git.refs.updated"), tPushF.toString());
        assertNull(tPushF.attribute("git.transfer.bytes.received"), tPushF.toString());

        // fetch over git:// of the commit pushed from f
        ReceivedSpan fetchG = only(spans, s -> s.name().equals("git fetch") && s.isRoot());
        ReceivedSpan tFetchG = only(spans, s -> s.name().equals("git transport fetch")
                && s.parentSpanId().equals(fetchG.spanId()));
        assertEquals("git", tFetchG.attribute("network.protocol.name"), tFetchG.toString());
        long fetchBytes = Long.parseLong(line(run, "fetch-git pack "));
        assertTrue(fetchBytes > 0, run.describe());
        assertEquals(String.valueOf(fetchBytes), tFetchG.attribute("git.transfer.bytes.received"), tFetchG.toString());
        assertEquals(String.valueOf(newObjects(origin, pushedF)), tFetchG.attribute("git.transfer.objects.received"),
                tFetchG.toString());
        assertEquals("1", tFetchG.attribute("git.refs.updated"), tFetchG.toString());

        // metrics: transfer bytes by direction add up the spans
        long received = cloneGBytes + cloneFBytes + fetchBytes;
        long sent = pushGBytes + pushFBytes;
        receiver.awaitCondition(() -> receiver.latestValue("git.transfer.bytes",
                        Map.of("network.io.direction", "receive", "git.client", "jgit")) == received
                        && receiver.latestValue("git.transfer.bytes",
                        Map.of("network.io.direction", "transmit", "git.client", "jgit")) == sent,
                ARRIVAL, () -> "git.transfer.bytes receive " + received + ", transmit " + sent + "\n"
                        + receiver.describeSeries("git.transfer.bytes"));
        assertEquals(3, receiver.latestHistogramCount("git.operation.duration",
                Map.of("git.operation", "transport fetch")), receiver.describeSeries("git.operation.duration"));
        assertEquals(2, receiver.latestHistogramCount("git.operation.duration",
                Map.of("git.operation", "transport push")), receiver.describeSeries("git.operation.duration"));
    }

    /** Objects the commit brought that its parent did not have ({@code rev-list --objects c ^c~1}). */
    private static long newObjects(Path repo, String commit) throws Exception {
        return count(git(repo, "rev-list", "--objects", commit, "^" + commit + "~1"));
    }

    private static void within(ReceivedSpan child, ReceivedSpan parent) {
        assertTrue(parent.span().getStartTimeUnixNano() <= child.span().getStartTimeUnixNano()
                && child.span().getEndTimeUnixNano() <= parent.span().getEndTimeUnixNano(), child + " within " + parent);
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

    private static String line(JvmResult run, String prefix) {
        for (String l : run.stdoutLines()) {
            if (l.startsWith(prefix)) {
                return l.substring(prefix.length());
            }
        }
        throw new AssertionError("no line " + prefix + run.describe());
    }

    private static ReceivedSpan only(List<ReceivedSpan> spans, Predicate<ReceivedSpan> filter) {
        List<ReceivedSpan> found = spans.stream().filter(filter).collect(Collectors.toList());
        assertEquals(1, found.size(), "expected one span, got " + found + " of\n" + describe(spans));
        return found.get(0);
    }

    private static String describe(List<ReceivedSpan> spans) {
        return spans.stream().map(Object::toString).collect(Collectors.joining("\n"));
    }
}
