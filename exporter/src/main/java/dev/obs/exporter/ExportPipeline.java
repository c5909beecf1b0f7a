package dev.obs.exporter;

import dev.obs.bootstrap.Recorder;
import dev.obs.bootstrap.SpanSink;
import dev.obs.exporter.http.LiveEndpoints;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The exporter side of obs: one daemon thread ({@code obs-exporter}) that drains the span queue, reads the
 * metric path's exact series, and hands spans and metrics straight to the OTel SDK exporters of each
 * destination (no BatchSpanProcessor). This class is the thread and its loop; the jobs are elsewhere:
 * <ul>
 *   <li>{@link ExportStartGate}: nothing is loaded before the first record;</li>
 *   <li>{@link SessionStarter} and {@link ExportSession}: the SDK exporters, built on a helper thread while
 *       this one keeps draining;</li>
 *   <li>{@link SpanShipper} with {@link InFlightSpanExports} and {@link SpanBatch}: queue → staging → batch
 *       → destinations, each batch's outcome settled exactly once, so accepted spans always equal exported
 *       plus dropped;</li>
 *   <li>{@link MetricShipper}: the metrics and the sources' events;</li>
 *   <li>{@link ExitExport} and {@link ExitSummary}: the last export within the shutdown timeout.</li>
 * </ul>
 *
 * <p>The thread never waits on a destination: an OTLP export runs on the sender's own threads.
 */
public final class ExportPipeline {
    private static final long MIN_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** The fill of the span queue the park is sized to let build up between drains. */
    private static final double TARGET_FILL = 0.125;
    /** A drain that finds the queue this full yields instead of parking while staging has room. */
    private static final double BURST_FILL = 0.25;
    private static final long FIRST_RECORD_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /**
     * How long after start the exporter thread creates the span queue when no span has (SpanQueue): a program
     * that ends sooner without recording anything never loads JCTools; a later first span finds it made.
     */
    private static final long QUEUE_CREATION_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final ExporterSettings settings;
    private final SpanQueue queue;
    private final Thread thread;
    private final long startEpochNanos;
    private final long epochOffsetNanos;
    private final SpanShipper spans;
    private final SessionStarter starter;
    /** Null, or the families' metric sources (created when exporting starts). */
    private final MetricSource.Factory sources;
    /** Null until the session is open (exporter thread only). */
    private MetricShipper metrics;
    private volatile boolean running = true;
    /** Written before {@code running} is cleared, so the exporter thread sees it once it sees the stop. */
    private volatile long shutdownStartedNanos;
    /** Null unless the live endpoints are on (obs.http.port). */
    private final LiveEndpoints live;

    private ExportPipeline(ExporterSettings settings, String version, MetricSource.Factory sources,
                           LiveEndpoints live) {
        this.settings = settings;
        this.live = live;
        this.sources = sources;
        this.queue = new SpanQueue(settings.queueCapacity(), !settings.exporters().isEmpty());
        long startNanoTime = System.nanoTime();
        Instant now = Instant.now();
        this.startEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        this.epochOffsetNanos = startEpochNanos - startNanoTime;
        this.spans = new SpanShipper(settings, queue);
        this.starter = new SessionStarter(settings, version, startEpochNanos, epochOffsetNanos, sources, live);
        this.thread = new Thread("obs-exporter") {
            @Override
            public void run() {
                ExportPipeline.this.run();
            }
        };
        this.thread.setDaemon(true);
    }

    /**
     * Creates the queue and starts the exporter thread. Cheap: no SDK class is touched on the caller's
     * thread. {@code sources} (null: none) are the families' metrics collected by themselves rather than on
     * the metric path ({@link MetricSource}): created and started on the exporter thread when exporting starts,
     * and collected with every metric export. {@code live} (null: off): the exporter thread starts its server
     * (on a thread of its own) and answers its scrapes at each turn.
     */
    public static ExportPipeline start(ExporterSettings settings, String version, MetricSource.Factory sources,
                                       LiveEndpoints live) {
        ExportPipeline p = new ExportPipeline(settings, version, sources, live);
        p.thread.start();
        return p;
    }

    /** The queue to install in {@link Recorder#install}. */
    public SpanSink spanSink() {
        return queue;
    }

    /**
     * Stops the thread after a last drain and export, waiting at most the configured shutdown timeout.
     * Called from the shutdown hook.
     */
    public void shutdown() {
        shutdownStartedNanos = System.nanoTime();
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(Math.max(1, settings.shutdownTimeout().toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        Recorder.suppressCurrentThread();
        try {
            if (live != null) {
                live.start(thread, queue.queue(), queue.queue().capacity());
            }
            if (awaitFirstRecord()) {
                starter.start(thread);
                loop();
            }
            ExitExport.run(this, shutdownStartedNanos);
        } catch (Throwable t) {
            System.err.println("obs: exporter stopped, records are no longer exported: " + t);
        }
    }

    /** Returns false when shutdown came before anything was recorded. */
    private boolean awaitFirstRecord() {
        long createQueueAt = System.nanoTime() + QUEUE_CREATION_DELAY_NANOS;
        while (running) {
            if (!queue.isEmpty() || anyMetricRecorded()
                    || live != null && live.metricsRequested()) {
                return true;
            }
            LockSupport.parkNanos(FIRST_RECORD_PARK_NANOS);
            if (running && System.nanoTime() - createQueueAt >= 0) {
                queue.queue(); // created here unless a span came first (then by its thread)
            }
        }
        return false;
    }

    private void loop() throws Throwable {
        long spanInterval = settings.spanExportInterval().toNanos();
        long metricInterval = settings.metricExportInterval().toNanos();
        long nextSpanFlush = 0;
        long nextMetricExport = 0;
        boolean exporting = false;
        long lastDrain = System.nanoTime();
        while (running) {
            spans.drain();
            boolean moreToConvert = false;
            if (starter.ready()) {
                long now = System.nanoTime();
                if (!exporting) {
                    exporting = true;
                    connect();
                    // The first metric export goes at once, and the first spans as soon as there are some (with
                    // the metrics again): the cold path of each (collecting, marshalling, the connection, kept
                    // alive for the next request) then runs beside the program rather than in a short
                    // program's exit.
                    nextSpanFlush = now;
                    nextMetricExport = now;
                }
                moreToConvert = spans.convertStaged(SpanShipper.CONVERT_PER_TURN) && spans.firstHasRoom();
                now = System.nanoTime();
                if (now - nextSpanFlush >= 0 || !spans.anySent()) {
                    boolean first = !spans.anySent();
                    spans.flush();
                    nextSpanFlush = now + spanInterval;
                    if (first && spans.anySent()) {
                        // the first spans' operations have latency histograms now: their first export (and
                        // its cold path) goes beside the program too
                        nextMetricExport = now;
                    }
                }
                // once the shutdown has begun the exit's export collects them: not twice
                if (now - nextMetricExport >= 0 && running) {
                    metrics.export();
                    nextMetricExport = now + metricInterval;
                }
                if (live != null) {
                    serveLive(now);
                }
            }
            long now = System.nanoTime();
            if (spans.queueFill() >= BURST_FILL && spans.stagingHasRoom()) {
                // a burst fills the queue in a millisecond or two: even the shortest park would shed traces
                Thread.yield();
            } else if (!moreToConvert) {
                LockSupport.parkNanos(parkNanos(spans.queueFill(), now - lastDrain));
            }
            lastDrain = now;
        }
    }

    /**
     * How long to park after a drain that found the span queue {@code fill} full
     * (0 to 1) after {@code sinceLastDrain}: long enough that about {@link #TARGET_FILL} builds up at that
     * rate, between 1 ms and 50 ms. A quiet application (a few hundred records a second) is woken 20
     * times a second, not a thousand; a burst shortens the park at the next drain.
     */
    static long parkNanos(double fill, long sinceLastDrain) {
        if (fill <= 0) {
            return MAX_PARK_NANOS;
        }
        double park = Math.max(sinceLastDrain, MIN_PARK_NANOS) * (TARGET_FILL / fill);
        return (long) Math.max(MIN_PARK_NANOS, Math.min(MAX_PARK_NANOS, park));
    }

    /** Live endpoints: the drops of the last second, and a collection for each scrape waiting. */
    private void serveLive(long now) {
        if (live.dropsDue(now)) {
            SelfMetrics.Drops d = spans.drops();
            live.recordDrops(now, d.spans());
        }
        long scrape = live.pendingScrape();
        if (scrape != 0) {
            live.publishMetrics(metrics.collectNow(), scrape);
        }
    }

    /** Once the session is open: spans and metrics go to its destinations from now on. */
    MetricShipper connect() {
        if (metrics == null) {
            ExportSession session = starter.session();
            spans.connect(session);
            metrics = new MetricShipper(settings, session, spans, startEpochNanos, epochOffsetNanos);
        }
        return metrics;
    }

    ExporterSettings settings() {
        return settings;
    }

    SessionStarter starter() {
        return starter;
    }

    SpanShipper spans() {
        return spans;
    }

    boolean anyMetricRecorded() {
        return ExportStartGate.anyMetricRecorded(sources);
    }

    boolean queueEmpty() {
        return queue.isEmpty();
    }
}
