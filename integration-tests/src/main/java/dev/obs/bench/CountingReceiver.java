package dev.obs.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The local OTLP/HTTP receiver of the workload benchmarks: a JDK {@link HttpServer} on 127.0.0.1 that answers
 * 200 to everything, decodes trace requests with {@code ExportTraceServiceRequest.parseFrom} (so the real
 * export path runs and spans can be counted, by name) and counts the other requests (metrics). Counters are
 * reset per child with {@link #reset()}.
 */
final class CountingReceiver implements AutoCloseable {
    private final AtomicLong spans = new AtomicLong();
    private final AtomicLong traceRequests = new AtomicLong();
    private final AtomicLong otherRequests = new AtomicLong();
    private final AtomicLong badRequests = new AtomicLong();
    /** System.nanoTime() when the first request since the last reset was answered, 0 before. */
    private final AtomicLong firstAnsweredNanos = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, AtomicLong> spanNames = new ConcurrentHashMap<>();
    private final HttpServer server;

    private CountingReceiver(HttpServer server) {
        this.server = server;
    }

    /** Starts a receiver on an ephemeral port of 127.0.0.1 (two handler threads, TCP_NODELAY). */
    static CountingReceiver start() throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = LocalHttpServer.create(2);
        CountingReceiver r = new CountingReceiver(server);
        server.createContext("/", r::handle);
        server.start();
        return r;
    }

    /** {@code http://127.0.0.1:<port>}, the OTLP endpoint to give the agent. */
    String endpoint() {
        return LocalHttpServer.endpoint(server);
    }

    /** Forgets the counts of the last child (the undecodable-request count is kept for the whole run). */
    void reset() {
        spans.set(0);
        traceRequests.set(0);
        otherRequests.set(0);
        firstAnsweredNanos.set(0);
        spanNames.clear();
    }

    long spans() {
        return spans.get();
    }

    long traceRequests() {
        return traceRequests.get();
    }

    long otherRequests() {
        return otherRequests.get();
    }

    long badRequests() {
        return badRequests.get();
    }

    /** {@link System#nanoTime()} when the first request since {@link #reset()} was answered, 0 if none was. */
    long firstAnsweredNanos() {
        return firstAnsweredNanos.get();
    }

    /** Requests being handled now (for a child's last export to finish before its counts are read). */
    AtomicInteger inFlight() {
        return inFlight;
    }

    /** Spans received since the last reset, by name. */
    Map<String, Long> spanNames() {
        Map<String, Long> names = new TreeMap<>();
        for (Map.Entry<String, AtomicLong> e : spanNames.entrySet()) {
            names.put(e.getKey(), e.getValue().get());
        }
        return names;
    }

    @Override
    public void close() {
        LocalHttpServer.stop(server);
    }

    private void handle(HttpExchange ex) throws IOException {
        inFlight.incrementAndGet();
        try {
            byte[] body = Bench.requestBody(ex);
            byte[] response = new byte[0];
            if (ex.getRequestURI().getPath().endsWith("/v1/traces")) {
                try {
                    ExportTraceServiceRequest req = ExportTraceServiceRequest.parseFrom(body);
                    for (ResourceSpans rs : req.getResourceSpansList()) {
                        for (ScopeSpans ss : rs.getScopeSpansList()) {
                            spans.addAndGet(ss.getSpansCount());
                            for (Span s : ss.getSpansList()) {
                                spanNames.computeIfAbsent(s.getName(), k -> new AtomicLong()).incrementAndGet();
                            }
                        }
                    }
                    traceRequests.incrementAndGet();
                    response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                } catch (IOException e) {
                    badRequests.incrementAndGet();
                }
            } else {
                // metrics (and anything else): an empty Export*ServiceResponse is zero bytes
                otherRequests.incrementAndGet();
            }
            ex.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            ex.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(response);
            }
            firstAnsweredNanos.compareAndSet(0, System.nanoTime());
        } finally {
            ex.close();
            inFlight.decrementAndGet();
        }
    }
}
