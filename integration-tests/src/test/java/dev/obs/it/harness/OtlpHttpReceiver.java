package dev.obs.it.harness;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * A minimal OTLP/HTTP collector on 127.0.0.1: accepts protobuf (or JSON) export requests on
 * {@code /v1/traces} and {@code /v1/metrics}, optionally gzip-encoded, and keeps them for the test.
 * It can be made to misbehave (answer with an error status, answer slowly, drop connections) and can be
 * stopped and restarted on the same port to play a collector that goes away and comes back.
 */
public final class OtlpHttpReceiver extends TelemetryStore implements AutoCloseable,
        org.junit.jupiter.api.extension.AfterAllCallback, org.junit.jupiter.api.extension.BeforeEachCallback {
    public static final String TRACES_PATH = "/v1/traces";
    public static final String METRICS_PATH = "/v1/metrics";
    public static final String LOGS_PATH = "/v1/logs";

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final int port;
    private HttpServer server;
    private ExecutorService executor;

    private volatile int failureStatus;
    private volatile Duration delay = Duration.ZERO;
    private volatile boolean resetConnections;

    private boolean forgetBeforeEachTest;

    /**
     * As a JUnit extension, a receiver that forgets what it received before each test of the class, for
     * classes whose every test runs its own child.
     */
    public static OtlpHttpReceiver forgettingBeforeEachTest() {
        OtlpHttpReceiver receiver = new OtlpHttpReceiver();
        receiver.forgetBeforeEachTest = true;
        return receiver;
    }

    public OtlpHttpReceiver() {
        this.server = bind(0);
        this.port = server.getAddress().getPort();
        startServing();
    }

    public int port() {
        return port;
    }

    /** Base endpoint, as given to {@code otel.exporter.otlp.endpoint}. */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public String tracesUrl() {
        return endpoint() + TRACES_PATH;
    }

    public String metricsUrl() {
        return endpoint() + METRICS_PATH;
    }

    // ---------------------------------------------------------------- failure modes

    /** Answers every request with {@code status} (and keeps nothing) until {@link #behaveNormally()}. */
    public void respondWith(int status) {
        this.failureStatus = status;
    }

    /** Waits this long before handling each request. */
    public void delay(Duration delay) {
        this.delay = delay;
    }

    /** Reads each request and then closes the connection without answering. */
    public void resetConnections() {
        this.resetConnections = true;
    }

    public void behaveNormally() {
        failureStatus = 0;
        delay = Duration.ZERO;
        resetConnections = false;
    }

    /** Closes the port: new connections are refused until {@link #restart()}. */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    /** Listens again on the same port (retrying briefly while the kernel still holds it). */
    public synchronized void restart() {
        if (server != null) {
            return;
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                server = bind(port);
                break;
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof BindException) || System.nanoTime() > deadline) {
                    throw e;
                }
                sleep(Duration.ofMillis(100));
            }
        }
        startServing();
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    @Override
    public void close() {
        stop();
    }

    // ---------------------------------------------------------------- serving

    private static HttpServer bind(int port) {
        try {
            return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startServing() {
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "otlp-http-receiver-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Map<String, List<String>> headers = lowerCased(exchange.getRequestHeaders());
            byte[] wire = exchange.getRequestBody().readAllBytes();
            Instant receivedAt = Instant.now();

            if (resetConnections) {
                addRawRequest(new RawRequest(path, headers, wire, decode(headers, wire), 0, receivedAt));
                // Closing before sendResponseHeaders makes the JDK server drop the connection unanswered.
                return;
            }
            Duration wait = delay;
            if (!wait.isZero() && !sleep(wait)) {
                return; // stopped while waiting: this request belongs to an outage that is over
            }
            int forcedStatus = failureStatus;
            if (forcedStatus != 0) {
                addRawRequest(new RawRequest(path, headers, wire, decode(headers, wire), forcedStatus, receivedAt));
                respond(exchange, forcedStatus, new byte[0]);
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())
                    || !(TRACES_PATH.equals(path) || METRICS_PATH.equals(path) || LOGS_PATH.equals(path))) {
                addRawRequest(new RawRequest(path, headers, wire, wire, 404, receivedAt));
                respond(exchange, 404, new byte[0]);
                return;
            }
            byte[] body = decode(headers, wire);
            boolean json = String.valueOf(first(headers, "content-type")).toLowerCase(Locale.ROOT).contains("json");
            try {
                // Parsed first (a bad body is a 400), raw request kept before the telemetry, so whoever sees
                // the spans or metrics also sees the request they came in.
                if (LOGS_PATH.equals(path)) {
                    io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest request =
                            io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest.parseFrom(body);
                    addRawRequest(new RawRequest(path, headers, wire, body, 200, receivedAt));
                    addLogs(request);
                    respond(exchange, 200, io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse
                            .getDefaultInstance().toByteArray());
                } else if (TRACES_PATH.equals(path)) {
                    ExportTraceServiceRequest request = json
                            ? OtlpJson.parseTraces(new String(body, StandardCharsets.UTF_8))
                            : ExportTraceServiceRequest.parseFrom(body);
                    addRawRequest(new RawRequest(path, headers, wire, body, 200, receivedAt));
                    addTraces(request);
                    respond(exchange, 200, json ? "{}".getBytes(StandardCharsets.UTF_8)
                            : ExportTraceServiceResponse.getDefaultInstance().toByteArray());
                } else {
                    ExportMetricsServiceRequest request = json
                            ? OtlpJson.parseMetrics(new String(body, StandardCharsets.UTF_8))
                            : ExportMetricsServiceRequest.parseFrom(body);
                    addRawRequest(new RawRequest(path, headers, wire, body, 200, receivedAt));
                    addMetrics(request);
                    respond(exchange, 200, json ? "{}".getBytes(StandardCharsets.UTF_8)
                            : ExportMetricsServiceResponse.getDefaultInstance().toByteArray());
                }
            } catch (InvalidProtocolBufferException | RuntimeException e) {
                addRawRequest(new RawRequest(path, headers, wire, body, 400, receivedAt));
                respond(exchange, 400, String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // The client went away mid-request; nothing to record.
        }
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] decode(Map<String, List<String>> headers, byte[] wire) throws IOException {
        if ("gzip".equalsIgnoreCase(String.valueOf(first(headers, "content-encoding")).trim())) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(wire))) {
                return in.readAllBytes();
            }
        }
        return wire;
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static Map<String, List<String>> lowerCased(Map<String, List<String>> headers) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        headers.forEach((k, v) -> out.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new ArrayList<>()).addAll(v));
        return out;
    }

    /** False when interrupted. */
    private static boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * As a JUnit extension ({@code @RegisterExtension static final OtlpHttpReceiver receiver = ...}) the
     * receiver starts with the test class and stops after its last test.
     */
    @Override
    public void afterAll(org.junit.jupiter.api.extension.ExtensionContext context) {
        close();
    }

    @Override
    public void beforeEach(org.junit.jupiter.api.extension.ExtensionContext context) {
        if (forgetBeforeEachTest) {
            clear();
        }
    }
}
