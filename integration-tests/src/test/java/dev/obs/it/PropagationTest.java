package dev.obs.it;

import static dev.obs.it.ObsRuns.ARRIVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.PropagationApp;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.DockerEngine;
import dev.obs.it.harness.JGitJars;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.ReceivedSpan;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * W3C trace context leaves the process with the span that did the work: a traced {@code git} subprocess
 * gets {@code TRACEPARENT}, JGit's HTTP requests and docker-java's engine requests a {@code traceparent}
 * header, each naming the span that made the call. Real git, a real HTTP server on 127.0.0.1, the test
 * dockerd behind a recording proxy.
 */
class PropagationTest {
    private static final Pattern TRACEPARENT_HEADER = Pattern.compile("(?im)^traceparent: *(\\S+)\\r?$");

    @TempDir
    Path dir;

    @Test
    void aTracedGitSubprocessGetsItsSpansTraceparentUnlessTheProgramSetOne() throws Exception {
        try (OtlpHttpReceiver receiver = new OtlpHttpReceiver()) {
            JvmResult run = ObsRuns.exportingTo(PropagationApp.class, receiver.endpoint()).args("git").run();
            assertEquals(0, run.exitCode(), run.describe());
            List<ReceivedSpan> spans = receiver.awaitSpans(s -> s.name().equals("git envdump"), 2, ARRIVAL);
            ReceivedSpan first = spans.stream().min((a, b) -> Long.compare(a.span().getStartTimeUnixNano(),
                    b.span().getStartTimeUnixNano())).orElseThrow();
            assertEquals("plain: exit 0 TRACEPARENT=00-" + first.traceId() + "-" + first.spanId() + "-01",
                    line(run, "plain: "), run.describe());
            assertEquals("builder keeps TRACEPARENT: false", line(run, "builder keeps"), run.describe());
            assertEquals("program's own: exit 0 TRACEPARENT=" + PropagationAppValues.PROGRAM_TRACEPARENT
                    + " TRACESTATE=acme=1", line(run, "program's own: "), run.describe());
        }
    }

    @Test
    void propagationSwitchedOffAddsNoTraceparent() throws Exception {
        try (OtlpHttpReceiver receiver = new OtlpHttpReceiver()) {
            JvmResult run = ObsRuns.exportingTo(PropagationApp.class, receiver.endpoint())
                    .property("obs.propagation.enabled", "false").args("git").run();
            assertEquals(0, run.exitCode(), run.describe());
            receiver.awaitSpans(s -> s.name().equals("git envdump"), 2, ARRIVAL);
            assertEquals("plain: exit 0", line(run, "plain: "), run.describe());
            // positive control, same run: the environment dump does show a TRACEPARENT that is there
            assertEquals("program's own: exit 0 TRACEPARENT=" + PropagationAppValues.PROGRAM_TRACEPARENT
                    + " TRACESTATE=acme=1", line(run, "program's own: "), run.describe());
        }
    }

    @Test
    void jgitHttpRequestsCarryTheTraceparentOfTheirSpan() throws Exception {
        try (OtlpHttpReceiver receiver = new OtlpHttpReceiver(); NotFoundServer server = new NotFoundServer()) {
            AgentJvm app = JGitJars.withJGit(ObsRuns.exportingTo(PropagationApp.class, receiver.endpoint()), null,
                    dir.resolve("home")).args("http", "http://127.0.0.1:" + server.port() + "/repo.git",
                    dir.resolve("repo").toString());
            JvmResult run = app.run();
            assertEquals(0, run.exitCode(), run.describe());
            assertTrue(run.stdout().contains("fetch failed"), run.describe());
            ReceivedSpan transport = receiver.awaitSpans(s -> s.name().equals("git transport fetch"), 1, ARRIVAL).get(0);
            List<String> requests = server.requests();
            assertFalse(requests.isEmpty(), "JGit talked to the server: " + server.sent + run.describe());
            for (String request : requests) {
                assertEquals("00-" + transport.traceId() + "-" + transport.spanId() + "-01", traceparent(request),
                        request);
            }
        }
    }

    @Test
    void dockerJavaEngineRequestsCarryTheTraceparentOfTheirSpan() throws Exception {
        String engine = DockerEngine.requireRunning();
        Path socket = dir.resolve("proxy.sock");
        try (OtlpHttpReceiver receiver = new OtlpHttpReceiver();
             RecordingUnixProxy proxy = new RecordingUnixProxy(socket, Path.of(engine.substring("unix://".length())))) {
            AgentJvm app = DockerEngine.withDockerJava(ObsRuns.exportingTo(PropagationApp.class, receiver.endpoint()))
                    .args("docker", "unix://" + socket);
            JvmResult run = app.run();
            assertEquals(0, run.exitCode(), run.describe());
            assertTrue(run.stdout().contains("api version: true"), run.describe());
            ReceivedSpan ping = receiver.awaitSpans(s -> s.name().equals("docker ping"), 1, ARRIVAL).get(0);
            ReceivedSpan version = receiver.awaitSpans(s -> s.name().equals("docker version"), 1, ARRIVAL).get(0);
            List<String> requests = proxy.requests();
            String pingRequest = requests.stream().filter(r -> r.startsWith("GET /_ping") || r.matches("(?s)GET /v[0-9.]+/_ping.*"))
                    .findFirst().orElseThrow(() -> new AssertionError(requests.toString()));
            String versionRequest = requests.stream().filter(r -> r.matches("(?s)GET (/v[0-9.]+)?/version.*"))
                    .findFirst().orElseThrow(() -> new AssertionError(requests.toString()));
            assertEquals("00-" + ping.traceId() + "-" + ping.spanId() + "-01", traceparent(pingRequest), pingRequest);
            assertEquals("00-" + version.traceId() + "-" + version.spanId() + "-01", traceparent(versionRequest),
                    versionRequest);
        }
    }

    private static String traceparent(String request) {
        Matcher m = TRACEPARENT_HEADER.matcher(request);
        return m.find() ? m.group(1) : null;
    }

    private static String line(JvmResult run, String prefix) {
        return run.stdoutLines().stream().filter(l -> l.startsWith(prefix)).findFirst().orElse(null);
    }

    /** PropagationApp's constant, read here without loading the app's class (it needs JGit). */
    private static final class PropagationAppValues {
        static final String PROGRAM_TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    }

    /** Splits what a client sent into requests (request line and headers), dropping bodies. */
    static List<String> headBlocks(String sent) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^(GET|POST|PUT|DELETE|HEAD) \\S+ HTTP/1\\.[01]\\r?\\n(.*?)\\r?\\n\\r?\\n",
                Pattern.DOTALL).matcher(sent);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** An HTTP server on 127.0.0.1 that answers every request 404 and keeps the request heads. */
    static final class NotFoundServer implements AutoCloseable {
        private final ServerSocket server;
        private final StringBuffer sent = new StringBuffer();
        private final Thread thread;

        NotFoundServer() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            thread = new Thread(this::serve, "not-found-server");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    ByteArrayOutputStream head = new ByteArrayOutputStream();
                    int b;
                    while ((b = in.read()) >= 0) {
                        head.write(b);
                        String h = head.toString(StandardCharsets.ISO_8859_1);
                        if (h.endsWith("\r\n\r\n")) {
                            break;
                        }
                    }
                    sent.append(head.toString(StandardCharsets.ISO_8859_1));
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (IOException e) {
                    // closed
                }
            }
        }

        List<String> requests() {
            return headBlocks(sent.toString());
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** A unix-socket proxy in front of the engine that keeps everything clients sent. */
    static final class RecordingUnixProxy implements AutoCloseable {
        private final ServerSocketChannel server;
        private final Path target;
        private final StringBuffer sent = new StringBuffer();

        RecordingUnixProxy(Path socket, Path target) throws IOException {
            this.target = target;
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread t = new Thread(this::accept, "recording-proxy");
            t.setDaemon(true);
            t.start();
        }

        private void accept() {
            while (server.isOpen()) {
                try {
                    SocketChannel client = server.accept();
                    SocketChannel engine = SocketChannel.open(UnixDomainSocketAddress.of(target));
                    pump(client, engine, true);
                    pump(engine, client, false);
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void pump(SocketChannel from, SocketChannel to, boolean record) {
            Thread t = new Thread(() -> {
                ByteBuffer buffer = ByteBuffer.allocate(16384);
                try {
                    while (from.read(buffer) >= 0) {
                        buffer.flip();
                        if (record) {
                            synchronized (sent) {
                                sent.append(StandardCharsets.ISO_8859_1.decode(buffer.duplicate()));
                            }
                        }
                        while (buffer.hasRemaining()) {
                            to.write(buffer);
                        }
                        buffer.clear();
                    }
                } catch (IOException e) {
                    // one side closed
                } finally {
                    try {
                        to.shutdownOutput();
                    } catch (IOException ignored) {
                        // already closed
                    }
                }
            }, "recording-proxy-pump");
            t.setDaemon(true);
            t.start();
        }

        List<String> requests() {
            return headBlocks(sent.toString());
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
