package dev.obs.it;

import com.acme.MethodsApp;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpServer;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.ObsCli;
import dev.obs.it.harness.OtlpGrpcReceiver;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.OtlpJsonStore;
import dev.obs.it.harness.ReceivedSpan;
import dev.obs.it.harness.TelemetryStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code obs replay} to real OTLP receivers (decoded with opentelemetry-proto), and the commands that ask a
 * running agent ({@code --url}) against a small server that answers as the agent's endpoints do: its
 * {@code /metrics/json} is a line of a real store.
 */
class ObsReplayAndLiveTest {
    @TempDir
    static Path dir;
    static Path store;
    static TelemetryStore stored;

    @BeforeAll
    static void writeStore() {
        store = dir.resolve("store");
        JvmResult run = ObsRuns.instrumented(MethodsApp.class).property("obs.store.dir", store.toString()).run();
        assertEquals(0, run.exitCode(), run.describe());
        stored = new OtlpJsonStore(store).read();
        assertEquals(ObsRuns.METHODS_APP_SPAN_TOTAL, stored.spans().size(), "the store holds every span");
    }

    @Test
    void replayOverHttpProtobufArrivesComplete() {
        try (OtlpHttpReceiver receiver = new OtlpHttpReceiver()) {
            ObsCli.Result r = ObsCli.create().run("replay", "--store", store.toString(), "--endpoint",
                    receiver.endpoint());
            assertEquals(0, r.exitCode(), r.describe());
            assertArrivedComplete(receiver, r);
        }
    }

    @Test
    void replayOverGrpcArrivesComplete() {
        try (OtlpGrpcReceiver receiver = new OtlpGrpcReceiver()) {
            ObsCli.Result r = ObsCli.create().run("replay", "--store", store.toString(), "--endpoint",
                    receiver.endpoint(), "--protocol", "grpc");
            assertEquals(0, r.exitCode(), r.describe());
            assertArrivedComplete(receiver, r);
        }
    }

    @Test
    void replayToNoReceiverFailsWithOneLine() throws Exception {
        int closedPort;
        try (var s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        ObsCli.Result r = ObsCli.create().run("replay", "--store", store.toString(), "--endpoint",
                "http://127.0.0.1:" + closedPort);
        assertEquals(1, r.exitCode(), r.describe());
        assertEquals(1, r.stderr().lines().count(), r.describe());
        assertTrue(r.stderr().startsWith("obs: replay to http://127.0.0.1:" + closedPort + " failed"), r.describe());
    }

    private static void assertArrivedComplete(TelemetryStore receiver, ObsCli.Result r) {
        // the receiver answered each request before replay went on: nothing is in flight when it exits
        Set<String> sent = stored.spans().stream().map(s -> s.traceId() + "/" + s.spanId())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> got = receiver.spans().stream().map(s -> s.traceId() + "/" + s.spanId())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(sent, got, r.describe());
        for (ReceivedSpan s : stored.spans()) {
            ReceivedSpan same = receiver.spans().stream().filter(x -> x.spanId().equals(s.spanId())).findFirst()
                    .orElseThrow();
            assertEquals(s.span(), same.span(), "span as stored, field by field");
            assertEquals(s.resource(), same.resource(), "resource as stored");
        }
        assertEquals(stored.metricRequests(), receiver.metricRequests(), "every metrics line, as stored");
        assertTrue(r.stdout().contains(ObsRuns.METHODS_APP_SPAN_TOTAL + " spans"), r.describe());
    }

    @Test
    void metricsFromALiveAgentEqualTheSameLineInAStore(@TempDir Path tmp) throws Exception {
        Path metricsFile = new OtlpJsonStore(store).metricFiles().get(0);
        List<String> lines = Files.readAllLines(metricsFile);
        String last = lines.get(lines.size() - 1);
        Path single = Files.createDirectories(tmp.resolve("single"));
        Files.writeString(single.resolve(metricsFile.getFileName()), last + "\n");
        HttpServer server = serve("/metrics/json", 200, last);
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            ObsCli.Result live = ObsCli.create().run("metrics", "--json", "--url", url);
            ObsCli.Result fromStore = ObsCli.create().run("metrics", "--json", "--store", single.toString());
            assertEquals(0, live.exitCode(), live.describe());
            assertEquals(0, fromStore.exitCode(), fromStore.describe());
            JsonObject a = live.json();
            JsonObject b = fromStore.json();
            assertFalse(a.getAsJsonArray("operations").isEmpty(), live.describe());
            assertEquals(b.get("operations"), a.get("operations"), live.describe() + fromStore.describe());
            assertEquals(url, a.get("source").getAsString());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void healthOfAReadyAgentExitsZero() throws Exception {
        ObsCli.Result r = healthAgainst(200, "{\"status\":\"UP\",\"ready\":true,\"components\":{}}");
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("UP, ready"), r.describe());
    }

    @Test
    void healthOfAnAgentNotReadyExitsOne() throws Exception {
        ObsCli.Result r = healthAgainst(503, "{\"status\":\"DOWN\",\"ready\":false}");
        assertEquals(1, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("DOWN, not ready"), r.describe());
    }

    /** {@code obs health} against a server whose {@code /health} answers {@code status} and {@code body}. */
    private static ObsCli.Result healthAgainst(int status, String body) throws Exception {
        HttpServer server = serve("/health", status, body);
        try {
            return ObsCli.create().run("health", "--url", "http://127.0.0.1:" + server.getAddress().getPort());
        } finally {
            server.stop(0);
        }
    }

    private static HttpServer serve(String path, int status, String body) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(path, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return server;
    }
}
