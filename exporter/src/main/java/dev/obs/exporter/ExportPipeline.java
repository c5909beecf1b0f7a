package dev.obs.exporter;

import dev.obs.bootstrap.MetricRegistry;
import dev.obs.bootstrap.MetricRing;
import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;
import dev.obs.bootstrap.SpanSink;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;

/**
 * The exporter side of obs: one daemon thread ({@code obs-exporter}) that drains the span queue and the
 * per-thread metric rings, aggregates, and hands spans and metrics straight to the OTel SDK exporters of
 * each destination (no second queue, no BatchSpanProcessor).
 *
 * <p>The thread never waits on a destination: an OTLP export runs on the sender's own threads, at most
 * {@link #MAX_IN_FLIGHT} span batches per destination are in flight, and a batch that finds that many
 * still pending is dropped and counted, so a slow or dead collector costs drops, never blocking, and
 * aggregation goes on. Start-up of the SDK exporters happens on this thread too, off the application's
 * start-up path.
 */
public final class ExportPipeline {
    /** Span batches a destination may have unanswered before new batches are dropped. */
    static final int MAX_IN_FLIGHT = 32;
    private static final long MIN_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** The fill (of the span queue or the fullest ring) the park is sized to let build up between drains. */
    private static final double TARGET_FILL = 0.125;
    private static final long FIRST_RECORD_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final ExporterSettings settings;
    private final String version;
    private final SpanQueue queue;
    private final Thread thread;
    private SelfMetrics self;
    private final long startNanoTime = System.nanoTime();
    private final long epochOffsetNanos;
    private final long startEpochNanos;
    private volatile boolean running = true;
    /** Written before {@code running} is cleared, so the exporter thread sees it once it sees the stop. */
    private volatile long shutdownStartedNanos;

    private List<Destination> destinations = Collections.emptyList();
    private List<ArrayDeque<CompletableResultCode>> inFlight = new ArrayList<>();
    private MetricsAggregator aggregator;
    private SpanConverter converter;
    private Resource resource;
    private InstrumentationScopeInfo scope;
    private final List<SpanData> batch = new ArrayList<>();
    private long metricValuesFromDeadRings;
    /** Set before the exporter thread starts. */
    private final List<MetricSource> sources = new ArrayList<>();
    /** Null, or what creates {@link #sources} when exporting starts. */
    private MetricSource.Factory sourceFactory;
    private long metricDropsFromDeadRings;

    private ExportPipeline(ExporterSettings settings, String version) {
        this.settings = settings;
        this.version = version;
        this.queue = new SpanQueue(settings.queueCapacity());
        Instant now = Instant.now();
        this.startEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        this.epochOffsetNanos = startEpochNanos - startNanoTime;
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
     * thread.
     */
    public static ExportPipeline start(ExporterSettings settings, String version) {
        return start(settings, version, null);
    }

    /**
     * As {@link #start(ExporterSettings, String)}, with metrics measured rather than recorded (container and
     * JVM resources): the sources are created and started on the exporter thread when exporting starts, and
     * collected with every metric export.
     */
    public static ExportPipeline start(ExporterSettings settings, String version, MetricSource.Factory sources) {
        ExportPipeline p = new ExportPipeline(settings, version);
        p.sourceFactory = sources;
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
            if (awaitFirstRecord()) {
                initialize();
                loop();
            }
            finish();
        } catch (Throwable t) {
            System.err.println("obs: exporter stopped, records are no longer exported: " + t);
        }
    }

    /**
     * The SDK exporters are built only once there is something to export: a program that records nothing
     * (a short tool, a Hello World) never pays for loading them. Returns false when shutdown came first.
     */
    private boolean awaitFirstRecord() {
        while (running) {
            if (!queue.queue().isEmpty() || anyRingWritten()) {
                return true;
            }
            LockSupport.parkNanos(FIRST_RECORD_PARK_NANOS);
        }
        return false;
    }

    private static boolean anyRingWritten() {
        return MetricRegistry.rings().length > 0 || dev.obs.bootstrap.ExactMetrics.any() || anyApplicationFileIo();
    }

    /**
     * True once the application has done file I/O of its own: class loading ({@code jvm}) and console output
     * ({@code stdio}) alone do not start the exporter, so a program that records nothing else still never
     * loads the SDK. Exporter thread only (FsRecorder.collect's contract).
     */
    private static boolean anyApplicationFileIo() {
        if (!dev.obs.bootstrap.FsRecorder.configured()) {
            return false;
        }
        return dev.obs.bootstrap.FsRecorder.collect(new long[dev.obs.bootstrap.FsRecorder.collectLength()]);
    }

    private void loop() {
        long spanInterval = settings.spanExportInterval().toNanos();
        long metricInterval = settings.metricExportInterval().toNanos();
        long nextSpanFlush = System.nanoTime() + spanInterval;
        long nextMetricExport = System.nanoTime() + metricInterval;
        long lastDrain = System.nanoTime();
        while (running) {
            maxFill = 0;
            drainSpans();
            drainRings();
            long now = System.nanoTime();
            if (batch.size() >= settings.spanBatchSize() || now - nextSpanFlush >= 0) {
                flushSpans();
                nextSpanFlush = now + spanInterval;
            }
            if (now - nextMetricExport >= 0) {
                exportMetrics();
                nextMetricExport = now + metricInterval;
            }
            LockSupport.parkNanos(parkNanos(maxFill, now - lastDrain));
            lastDrain = now;
        }
    }

    /**
     * How long to park after a drain that found the span queue or the fullest ring {@code fill} full
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

    private void initialize() {
        SdkLogging.silence();
        self = new SelfMetrics();
        resource = ResourceFactory.create(settings, version);
        scope = InstrumentationScopeInfo.builder("dev.obs").setVersion(version).build();
        aggregator = new MetricsAggregator(startEpochNanos);
        fsMetrics = FsMetrics.createIfConfigured();
        converter = new SpanConverter(resource, scope, epochOffsetNanos);
        try {
            destinations = Destinations.create(settings);
        } catch (Throwable t) {
            System.err.println("obs: exporters could not be created, nothing will be exported: " + t);
            destinations = Collections.emptyList();
        }
        for (Destination d : destinations) {
            inFlight.add(new ArrayDeque<>());
        }
        if (sourceFactory != null) {
            try {
                sources.addAll(sourceFactory.create());
            } catch (Throwable t) {
                System.err.println("obs: metric sources could not be created: " + t);
            }
        }
        for (MetricSource source : sources) {
            try {
                source.start();
            } catch (Throwable t) {
                System.err.println("obs: a metric source could not start: " + t);
            }
        }
        counters = new SelfMetrics.ExporterCounters[destinations.size()];
        for (int i = 0; i < destinations.size(); i++) {
            counters[i] = self.register(destinations.get(i).name());
        }
    }

    private SelfMetrics.ExporterCounters[] counters;
    /** The largest fill seen by the current drain (exporter thread only). */
    private double maxFill;
    /** Null when the fs family is not installed. */
    private FsMetrics fsMetrics;

    private int drainSpans() {
        MpscAtomicArrayQueue<ObsSpan> q = queue.queue();
        int depth = q.size();
        if (depth > self.queueDepthMax) {
            self.queueDepthMax = depth;
        }
        // the depth, not the count drained: a drain takes at most 4096, and a backed-up queue must shorten the park
        maxFill = Math.max(maxFill, depth / (double) q.capacity());
        int n = 0;
        ObsSpan span;
        while (n < 4096 && (span = q.relaxedPoll()) != null) {
            n++;
            self.spansAccepted++;
            SpanData data = converter.convert(span);
            if (data != null) {
                batch.add(data);
                if (batch.size() >= settings.spanBatchSize()) {
                    flushSpans();
                }
            }
        }
        return n;
    }

    /** Drains every thread's ring; rings of threads that have died are drained one last time and removed. */
    private void drainRings() {
        for (MetricRing ring : MetricRegistry.rings()) {
            boolean dead = !ring.owner().isAlive();
            maxFill = Math.max(maxFill, ring.drain(aggregator) / (double) ring.capacity());
            if (dead) {
                ring.drain(aggregator);
                metricDropsFromDeadRings += ring.dropped();
                MetricRegistry.removeRing(ring);
            }
        }
    }

    private void flushSpans() {
        if (batch.isEmpty()) {
            return;
        }
        List<SpanData> spans = new ArrayList<>(batch);
        batch.clear();
        for (int i = 0; i < destinations.size(); i++) {
            ArrayDeque<CompletableResultCode> pending = inFlight.get(i);
            while (!pending.isEmpty() && pending.peekFirst().isDone()) {
                pending.pollFirst();
            }
            if (pending.size() >= MAX_IN_FLIGHT) {
                if (i == 0) {
                    self.spansDroppedBacklog += spans.size();
                }
                continue;
            }
            SelfMetrics.ExporterCounters c = counters[i];
            CompletableResultCode result;
            try {
                result = destinations.get(i).spans().export(spans);
            } catch (Throwable t) {
                c.spanFailures.incrementAndGet();
                continue;
            }
            int size = spans.size();
            CompletableResultCode r = result;
            r.whenComplete(() -> {
                if (r.isSuccess()) {
                    c.spansExported.addAndGet(size);
                } else {
                    c.spanFailures.incrementAndGet();
                }
            });
            pending.addLast(r);
        }
    }

    private void exportMetrics() {
        long now = System.nanoTime() + epochOffsetNanos;
        long ringDrops = metricDropsFromDeadRings;
        for (MetricRing ring : MetricRegistry.rings()) {
            ringDrops += ring.dropped();
        }
        List<MetricData> selfMetrics = self.collect(resource, scope, startEpochNanos, now, queue.dropped(),
                aggregator.ringValues(), ringDrops);
        List<MetricData> measured = new ArrayList<>(selfMetrics);
        for (MetricSource source : sources) {
            try {
                measured.addAll(source.collect(resource, scope, startEpochNanos, now));
            } catch (Throwable t) {
                // a source that fails costs its own metrics only
            }
        }
        List<MetricData> metrics = aggregator.collect(resource, scope, now, measured);
        if (fsMetrics != null) {
            fsMetrics.collect(resource, scope, startEpochNanos, now, metrics);
        }
        for (int i = 0; i < destinations.size(); i++) {
            SelfMetrics.ExporterCounters c = counters[i];
            try {
                CompletableResultCode r = destinations.get(i).metrics().export(metrics);
                int size = metrics.size();
                r.whenComplete(() -> {
                    if (r.isSuccess()) {
                        c.metricsExported.addAndGet(size);
                    } else {
                        c.metricFailures.incrementAndGet();
                    }
                });
                inFlight.get(i).addLast(r);
            } catch (Throwable t) {
                c.metricFailures.incrementAndGet();
            }
        }
    }

    /** Last drain and export, bounded by what is left of the shutdown timeout. */
    private void finish() {
        if (aggregator == null) {
            if (queue.queue().isEmpty() && !anyRingWritten()) {
                if (settings.summary()) {
                    System.err.println("obs summary: nothing recorded");
                }
                return;
            }
            initialize();
        }
        long deadline = shutdownStartedNanos + settings.shutdownTimeout().toNanos() * 9 / 10;
        while (drainSpans() > 0 && System.nanoTime() < deadline) {
            // keep draining what the application queued before exit
        }
        drainRings();
        flushSpans();
        // The summary comes first: everything recorded is aggregated by now, and a slow or dead collector
        // must not eat the time the shutdown hook has.
        if (settings.summary()) {
            printSummary(System.err);
        }
        // The last metrics should count the last span exports, so they wait for those first.
        awaitInFlight(deadline - (deadline - System.nanoTime()) / 3);
        exportMetrics();
        awaitInFlight(deadline);
        for (Destination d : destinations) {
            long left = Math.max(1, deadline - System.nanoTime());
            d.spans().shutdown().join(left, TimeUnit.NANOSECONDS);
            d.metrics().shutdown().join(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    private void awaitInFlight(long deadline) {
        for (ArrayDeque<CompletableResultCode> pending : inFlight) {
            for (CompletableResultCode r : pending) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                r.join(left, TimeUnit.NANOSECONDS);
            }
        }
    }

    private void printSummary(PrintStream out) {
        long dropped = queue.dropped() + self.spansDroppedBacklog;
        long ringDrops = metricDropsFromDeadRings;
        for (MetricRing ring : MetricRegistry.rings()) {
            ringDrops += ring.dropped();
        }
        StringBuilder b = new StringBuilder();
        b.append(String.format("obs summary: %d spans, %d dropped spans, %d metric values, %d dropped values,"
                        + " %d export failures%n", self.spansAccepted, dropped, aggregator.ringValues(), ringDrops,
                self.exportFailures()));
        b.append(String.format("  %-40s %10s %8s %12s %12s %12s%n", "operation", "count", "errors", "p50 us",
                "p95 us", "p99 us"));
        for (MetricsAggregator.Operation op : aggregator.operations()) {
            b.append(String.format("  %-40s %10d %8d %12.1f %12.1f %12.1f%n", op.name, op.count(), op.errors(),
                    op.valueAtPercentile(50) / 1e3, op.valueAtPercentile(95) / 1e3, op.valueAtPercentile(99) / 1e3));
        }
        if (fsMetrics != null) {
            fsMetrics.summary(b);
        }
        for (MetricSource source : sources) {
            String line = source.summary();
            if (line != null) {
                b.append("  ").append(line).append(System.lineSeparator());
            }
        }
        if (settings.exporters().contains("file")) {
            b.append("  store: ").append(settings.storeDir().toAbsolutePath()).append(System.lineSeparator());
        }
        out.print(b);
        out.flush();
    }
}
