package dev.obs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.IdleApp;
import com.acme.LoopApp;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.RunningJvm;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The live endpoints of an agent-attached child: readiness, what listens, paths, slow clients. */
class LiveEndpointsTest {
    @RegisterExtension
    static final OtlpHttpReceiver receiver = new OtlpHttpReceiver();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitStatus(int port, String path, int status, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        HttpResponse<String> r = get(port, path);
        while (r.statusCode() != status && System.nanoTime() < deadline) {
            Thread.sleep(100);
            r = get(port, path);
        }
        assertEquals(status, r.statusCode(), path + ": " + r.body() + "\n" + get(port, "/health").body());
    }

    @Test
    void readinessGoesFalseWhileTheCollectorIsDownAndTrueWhenItReturns() throws Exception {
        receiver.clear();
        RunningJvm child = ObsRuns.exportingTo(LoopApp.class, receiver.endpoint())
                .property("obs.http.port", "0")
                .property("obs.health.failure.window", "1s")
                .property("otel.metric.export.interval", "500ms")
                .args("--seconds=120").timeout(Duration.ofMinutes(3)).start();
        try {
            child.awaitStdout("started", Duration.ofSeconds(60));
            int port = LivePrometheusTest.listeningPort(child);
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (!get(port, "/health").body().contains("\"lastSuccess\" : \"") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(get(port, "/health").body().contains("\"lastSuccess\" : \""), "an export succeeded");
            assertEquals(200, get(port, "/health/ready").statusCode());
            receiver.stop();
            awaitStatus(port, "/health/ready", 503, Duration.ofSeconds(30));
            String down = get(port, "/health").body();
            assertTrue(down.contains("\"status\" : \"DOWN\""), down);
            assertTrue(down.contains("ConnectException"), down);
            assertEquals(200, get(port, "/health/live").statusCode(), "obs itself still runs");
            receiver.restart();
            awaitStatus(port, "/health/ready", 200, Duration.ofSeconds(30));
            assertTrue(get(port, "/health").body().contains("\"consecutiveFailures\" : 0"));
        } finally {
            receiver.restart();
            child.kill();
        }
    }

    @Test
    void theOpenTelemetryAgentsPrometheusSwitchServesAlongsideOtlp() throws Exception {
        receiver.clear();
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        RunningJvm child = AgentJvm.withAgent(IdleApp.class)
                .property("otel.exporter.otlp.endpoint", receiver.endpoint())
                .property("otel.metric.export.interval", "500ms")
                .property("otel.metrics.exporter", "otlp,prometheus")
                .property("otel.exporter.prometheus.host", "127.0.0.1")
                .property("otel.exporter.prometheus.port", String.valueOf(port)).start();
        try {
            assertEquals(port, LivePrometheusTest.listeningPort(child));
            HttpResponse<String> r = get(port, "/metrics");
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains("\nfs_operations_total{"), r.body());
            receiver.awaitMetric("fs.operations", ObsRuns.ARRIVAL);
        } finally {
            child.kill();
        }
    }

    @Test
    void nothingListensUnlessThePortIsSet() throws Exception {
        RunningJvm control = AgentJvm.withAgent(IdleApp.class).property("obs.http.port", "0")
                .property("obs.exporter", "none").start();
        RunningJvm plain = AgentJvm.withAgent(IdleApp.class).property("obs.exporter", "none").start();
        try {
            int controlPort = LivePrometheusTest.listeningPort(control);
            assertEquals(Set.of(controlPort), listeningPorts(pidOf(control)), "control: the port obs printed");
            long pid = pidOf(plain);
            Thread.sleep(2000); // the control listened within this time of printing its pid
            assertEquals(Set.of(), listeningPorts(pid));
            assertFalse(plain.stderrSoFar().contains("live endpoints"), plain.stderrSoFar());
        } finally {
            control.kill();
            plain.kill();
        }
    }

    @Test
    void aPortInUseCostsOneLineAndTheProgramRunsOn() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            dev.obs.it.harness.JvmResult run = AgentJvm.withAgent(IdleApp.class)
                    .property("obs.http.port", String.valueOf(taken.getLocalPort()))
                    .property("obs.exporter", "none").args("--seconds=2").run();
            assertEquals(0, run.exitCode(), run.describe());
            assertTrue(run.stdout().startsWith("pid "), run.describe());
            List<String> lines = run.stderrLines().stream().filter(l -> l.contains("live endpoints")).toList();
            assertEquals(1, lines.size(), run.describe());
            assertTrue(lines.get(0).startsWith("obs: live endpoints not started: 127.0.0.1:" + taken.getLocalPort()),
                    lines.get(0));
        }
    }

    @Test
    void anyOtherPathIs404AndAnotherMethod405() throws Exception {
        RunningJvm child = AgentJvm.withAgent(IdleApp.class).property("obs.http.port", "0")
                .property("obs.exporter", "none").start();
        try {
            int port = LivePrometheusTest.listeningPort(child);
            assertEquals(200, get(port, "/info").statusCode(), "control");
            for (String path : List.of("/", "/metrics/", "/metricsx", "/health/other", "/info/x", "/../metrics")) {
                assertEquals(404, get(port, path).statusCode(), path);
            }
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
        } finally {
            child.kill();
        }
    }

    @Test
    void slowClientsDoNotTieUpTheServer() throws Exception {
        RunningJvm child = AgentJvm.withAgent(IdleApp.class).property("obs.http.port", "0")
                .property("obs.exporter", "none").start();
        List<Socket> slow = new ArrayList<>();
        try {
            int port = LivePrometheusTest.listeningPort(child);
            // more stalled requests than handler threads: each sent a part of its request line and stopped
            for (int i = 0; i < 4; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                OutputStream out = s.getOutputStream();
                out.write("GET /hea".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                slow.add(s);
            }
            long t0 = System.nanoTime();
            HttpResponse<String> r = get(port, "/health/live");
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(200, r.statusCode());
            // two rounds of the 5 s cut-off at most: the stalled exchanges holding both threads, then the two queued
            assertTrue(millis < 15_000, "answered after " + millis + " ms");
            // the stalled connections were closed by the server (end of stream), not left open
            for (Socket s : slow) {
                s.setSoTimeout(15_000);
                InputStream in = s.getInputStream();
                int b;
                try {
                    b = in.read();
                } catch (IOException reset) {
                    b = -1;
                }
                assertEquals(-1, b, "a stalled connection is closed");
            }
        } finally {
            for (Socket s : slow) {
                s.close();
            }
            child.kill();
        }
    }

    private static long pidOf(RunningJvm jvm) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Pattern p = Pattern.compile("pid (\\d+)");
        while (System.nanoTime() < deadline) {
            Matcher m = p.matcher(jvm.stdoutSoFar());
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no pid printed:\n" + jvm.stdoutSoFar() + jvm.stderrSoFar());
    }

    /** The TCP ports process {@code pid} listens on: its socket descriptors matched against /proc/net/tcp{,6}. */
    static Set<Integer> listeningPorts(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String link = Files.readSymbolicLink(fd).toString();
                    if (link.startsWith("socket:[")) {
                        inodes.add(link.substring(8, link.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away while listing
                }
            }
        }
        Set<Integer> ports = new HashSet<>();
        for (String table : List.of("/proc/" + pid + "/net/tcp", "/proc/" + pid + "/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table)).subList(1, Files.readAllLines(Path.of(table)).size())) {
                String[] f = line.trim().split("\\s+");
                if (f[3].equals("0A") && inodes.contains(f[9])) {
                    ports.add(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }
}
