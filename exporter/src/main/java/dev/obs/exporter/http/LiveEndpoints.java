package dev.obs.exporter.http;

import io.opentelemetry.sdk.metrics.data.MetricData;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The live endpoints as the export pipeline sees them: the pipeline creates this at premain (cheap: no HTTP
 * class is loaded), {@link #start}s the server from its own thread, answers scrapes at its turns
 * ({@link #metricsRequested}, {@link #publishMetrics}), reports its drops once a second and registers each
 * destination's {@link DestinationHealth}. The HTTP threads read all of it without touching the recording
 * path.
 */
public final class LiveEndpoints {
    private static final long DROP_SAMPLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    final LiveSettings settings;
    final ScrapeExchange scrapes = new ScrapeExchange();
    final List<DestinationHealth> destinations = new CopyOnWriteArrayList<>();
    final DestinationHealth.DropWindow exporterDrops = new DestinationHealth.DropWindow();
    final long startMillis = System.currentTimeMillis();
    volatile long dropsTotal;
    private long lastDropSample = System.nanoTime() - DROP_SAMPLE_NANOS;
    private volatile Thread exporter;
    private volatile Queue<?> spanQueue;
    private volatile int spanQueueCapacity;
    private volatile LiveServer server;

    public LiveEndpoints(LiveSettings settings) {
        this.settings = settings;
    }

    /**
     * Binds the server on a thread of its own (so a program that ends at once never waits for the HTTP classes
     * to load), which is a daemon like the JDK server's threads it starts (they inherit that). A failure prints
     * one line; the program and the export go on.
     */
    public void start(Thread exporterThread, Queue<?> queue, int queueCapacity) {
        this.exporter = exporterThread;
        this.spanQueue = queue;
        this.spanQueueCapacity = queueCapacity;
        scrapes.exporterThread(exporterThread);
        Thread starter = new Thread("obs-http-start") {
            @Override
            public void run() {
                dev.obs.bootstrap.Recorder.suppressCurrentThread();
                bind();
            }
        };
        starter.setDaemon(true);
        starter.start();
    }

    private void bind() {
        try {
            server = LiveServer.start(this);
            System.err.println("obs: live endpoints on http://" + hostForUrl(settings.host()) + ":"
                    + server.port() + "/ (/metrics, /metrics/json, /health, /info)");
        } catch (Throwable t) {
            System.err.println("obs: live endpoints not started: " + settings.host() + ":" + settings.port()
                    + " could not be bound (" + t + ")");
        }
    }

    /** Waits at most {@code millis} for the server to be bound; true when it is. */
    public boolean awaitBound(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (server == null && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return server != null;
    }

    /** The bound port, or -1 when the server is not running. */
    public int port() {
        LiveServer s = server;
        return s == null ? -1 : s.port();
    }

    /** Exporter thread: whether a scrape waits for a collection. */
    public boolean metricsRequested() {
        return scrapes.pending() != 0;
    }

    /** Exporter thread: the scrape request to answer (read before collecting), or 0 when none waits. */
    public long pendingScrape() {
        return scrapes.pending();
    }

    /** Exporter thread: the metrics as an OTLP export would send them, collected after {@code request}. */
    public void publishMetrics(List<MetricData> metrics, long request) {
        scrapes.publish(metrics, request);
    }

    /** Exporter thread: whether a second has passed since the last {@link #recordDrops}. */
    public boolean dropsDue(long nowNanos) {
        return nowNanos - lastDropSample >= DROP_SAMPLE_NANOS;
    }

    /** Exporter thread: every span and metric value dropped so far, all reasons. */
    public void recordDrops(long nowNanos, long total) {
        lastDropSample = nowNanos;
        long added = total - dropsTotal;
        if (added > 0) {
            exporterDrops.add(System.currentTimeMillis(), added);
        }
        dropsTotal = total;
    }

    /** Registers a destination (exporter thread, when exporting starts). */
    public DestinationHealth destination(DestinationHealth health) {
        destinations.add(health);
        return health;
    }

    public void stop() {
        LiveServer s = server;
        if (s != null) {
            s.stop();
        }
    }

    boolean exporterAlive() {
        Thread t = exporter;
        return t != null && t.isAlive();
    }

    int queueDepth() {
        Queue<?> q = spanQueue;
        return q == null ? 0 : q.size();
    }

    int queueCapacity() {
        return spanQueueCapacity;
    }

    /** A destination failing for longer than the window makes the agent not ready. */
    boolean ready(long nowMillis) {
        if (!exporterAlive()) {
            return false;
        }
        for (DestinationHealth d : destinations) {
            if (status(d, nowMillis).equals("DOWN")) {
                return false;
            }
        }
        return true;
    }

    /** {@code UP}, {@code FAILING} (within the window) or {@code DOWN} (failing longer). */
    String status(DestinationHealth d, long nowMillis) {
        long since = d.failingSinceMillis();
        if (since == 0) {
            return "UP";
        }
        return nowMillis - since > settings.failureWindow().toMillis() ? "DOWN" : "FAILING";
    }

    private static String hostForUrl(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
