package dev.obs.exporter.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.obs.bootstrap.Recorder;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The JDK HTTP server behind the live endpoints. Bounded so no client can tie it up: two handler threads and a
 * queue of 16 exchanges (beyond that the JDK closes new connections); a watchdog interrupts an exchange that
 * runs longer than {@link #EXCHANGE_TIMEOUT_MILLIS}, which closes its socket (a client that sends its request
 * or reads the answer slowly); request bodies are never read (the JDK drains at most 64 KiB of one and
 * closes the connection). Only the exact paths below answer; anything else is 404, any method but GET and
 * HEAD 405.
 */
final class LiveServer {
    static final long EXCHANGE_TIMEOUT_MILLIS = 5_000;
    /** How long a scrape waits for the exporter thread's collection before it serves the previous one. */
    private static final long COLLECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int THREADS = 2;

    private final HttpServer server;
    private final Watchdog executor;
    private final LiveEndpoints live;
    private final PrometheusWriter prometheus = new PrometheusWriter();

    private LiveServer(HttpServer server, Watchdog executor, LiveEndpoints live) {
        this.server = server;
        this.executor = executor;
        this.live = live;
    }

    static LiveServer start(LiveEndpoints live) throws IOException {
        LiveSettings s = live.settings;
        HttpServer server = HttpServer.create(new InetSocketAddress(s.host(), s.port()), 16);
        Watchdog executor = new Watchdog();
        LiveServer ls = new LiveServer(server, executor, live);
        server.setExecutor(executor);
        server.createContext("/", ls.new Router());
        server.start();
        executor.startWatching();
        return ls;
    }

    int port() {
        return server.getAddress().getPort();
    }

    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    private final class Router implements HttpHandler {
        @Override
        public void handle(HttpExchange exchange) throws IOException {
            try {
                route(exchange);
            } catch (InterruptedException e) {
                exchange.close(); // the watchdog gave up on this exchange
            } catch (RuntimeException | IOException e) {
                respond(exchange, 500, "text/plain; charset=utf-8",
                        ("obs: " + e.getClass().getSimpleName() + "\n").getBytes(StandardCharsets.UTF_8));
            } finally {
                exchange.close();
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException, InterruptedException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        if (exchange.getRequestHeaders().containsKey("Content-Length")
                || exchange.getRequestHeaders().containsKey("Transfer-Encoding")) {
            // the body is never read: the connection is not reused for another request after it
            exchange.getResponseHeaders().set("Connection", "close");
        }
        boolean known = switch (path) {
            case "/metrics", "/metrics/json", "/health", "/health/live", "/health/ready", "/info" -> true;
            default -> false;
        };
        if (!known) {
            respond(exchange, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            respond(exchange, 405, "text/plain; charset=utf-8",
                    "method not allowed\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        long now = System.currentTimeMillis();
        switch (path) {
            case "/metrics" -> metrics(exchange);
            case "/metrics/json" -> metricsJson(exchange);
            case "/health" -> respond(exchange, live.ready(now) ? 200 : 503, HealthJson.CONTENT_TYPE,
                    HealthJson.health(live, now));
            case "/health/live" -> {
                boolean alive = live.exporterAlive();
                respond(exchange, alive ? 200 : 503, HealthJson.CONTENT_TYPE, HealthJson.live(alive));
            }
            case "/health/ready" -> {
                boolean ready = live.ready(now);
                respond(exchange, ready ? 200 : 503, HealthJson.CONTENT_TYPE, HealthJson.ready(ready));
            }
            default -> respond(exchange, 200, HealthJson.CONTENT_TYPE, HealthJson.info(live));
        }
    }

    private void metrics(HttpExchange exchange) throws IOException, InterruptedException {
        List<MetricData> metrics = live.scrapes.await(COLLECT_TIMEOUT_NANOS);
        if (metrics == null) {
            unavailable(exchange);
            return;
        }
        boolean openMetrics = wantsOpenMetrics(exchange.getRequestHeaders().getFirst("Accept"));
        StringBuilder text = new StringBuilder(64 * 1024);
        prometheus.write(metrics, openMetrics, text);
        respond(exchange, 200, openMetrics ? PrometheusWriter.OPENMETRICS_CONTENT_TYPE
                : PrometheusWriter.TEXT_CONTENT_TYPE, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void metricsJson(HttpExchange exchange) throws IOException, InterruptedException {
        List<MetricData> metrics = live.scrapes.await(COLLECT_TIMEOUT_NANOS);
        if (metrics == null) {
            unavailable(exchange);
            return;
        }
        ByteArrayOutputStream json = new ByteArrayOutputStream(16 * 1024);
        // the local store's line format (FileExporters.Metrics), without the newline
        MetricsRequestMarshaler.create(metrics).writeJsonTo(json);
        respond(exchange, 200, "application/json", json.toByteArray());
    }

    private static void unavailable(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Retry-After", "1");
        respond(exchange, 503, "text/plain; charset=utf-8",
                "obs: no metrics collected yet, the exporter is starting\n".getBytes(StandardCharsets.UTF_8));
    }

    /** OpenMetrics when the client lists it (Prometheus does, first, when it scrapes). */
    static boolean wantsOpenMetrics(String accept) {
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("application/openmetrics-text");
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /**
     * The handler threads, and a watchdog that interrupts an exchange running longer than the timeout:
     * blocked on its socket (a slow client) the interrupt closes the channel. The running exchange's start
     * is published per thread under that thread's slot lock, so the watchdog never interrupts the next
     * exchange of a thread that has just finished one.
     */
    static final class Watchdog extends ThreadPoolExecutor {
        private final java.util.List<Slot> slots = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final ThreadLocal<Slot> slot = new ThreadLocal<>();
        private final Thread watcher;

        Watchdog() {
            super(THREADS, THREADS, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(16), new Handlers(),
                    new AbortPolicy());
            watcher = new Thread("obs-http-watchdog") {
                @Override
                public void run() {
                    Recorder.suppressCurrentThread();
                    watch();
                }
            };
            watcher.setDaemon(true);
        }

        void startWatching() {
            watcher.start();
        }

        private void watch() {
            long timeout = TimeUnit.MILLISECONDS.toNanos(EXCHANGE_TIMEOUT_MILLIS);
            while (!isShutdown()) {
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
                long now = System.nanoTime();
                for (Slot s : slots) {
                    synchronized (s) {
                        if (s.running != null && now - s.startedNanos > timeout) {
                            s.running.interrupt();
                            s.running = null;
                        }
                    }
                }
            }
        }

        @Override
        protected void beforeExecute(Thread t, Runnable r) {
            Slot s = slot.get();
            if (s == null) {
                s = new Slot();
                slot.set(s);
                slots.add(s);
            }
            synchronized (s) {
                s.running = t;
                s.startedNanos = System.nanoTime();
            }
        }

        @Override
        protected void afterExecute(Runnable r, Throwable t) {
            Slot s = slot.get();
            if (s != null) {
                synchronized (s) {
                    s.running = null;
                }
            }
            Thread.interrupted(); // an interrupt the watchdog sent too late must not reach the next exchange
        }

        /** The exchange one handler thread is running, if any, and since when. */
        private static final class Slot {
            Thread running;
            long startedNanos;
        }
    }

    private static final class Handlers implements ThreadFactory {
        private int n;

        @Override
        public synchronized Thread newThread(Runnable r) {
            Thread t = new Thread("obs-http-" + (++n)) {
                @Override
                public void run() {
                    Recorder.suppressCurrentThread();
                    r.run();
                }
            };
            t.setDaemon(true);
            return t;
        }
    }
}
