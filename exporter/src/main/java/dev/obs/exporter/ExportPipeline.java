package dev.obs.exporter;

import dev.obs.bootstrap.ExactCounter;
import dev.obs.bootstrap.ExactMetrics;
import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;
import dev.obs.bootstrap.SpanSink;
import dev.obs.bootstrap.StripedHistogram;
import dev.obs.exporter.fs.FsMetrics;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;

/**
 * The exporter side of obs: one daemon thread ({@code obs-exporter}) that drains the span queue, reads the
 * metric path's exact series, and hands spans and metrics straight to the OTel SDK exporters of
 * each destination (no BatchSpanProcessor).
 *
 * <p>Spans move from the queue into a staging buffer (references to the recorded spans, bounded at
 * {@link #STAGING_PER_QUEUE_SLOT} times the queue's capacity) as fast as the thread can poll, and are
 * converted from there as fast as the destinations take them. The SDK exporters are built on a helper
 * thread on the first record while this thread keeps draining into staging: loading the SDK takes longer
 * than a burst of a few hundred thousand spans, which would otherwise pass while the queue is full. When
 * the destinations cannot keep up, the staging buffer stops taking spans, the queue backs up past its
 * high-water mark and {@link SpanQueue} sheds whole traces at their root.
 *
 * <p>The thread never waits on a destination: an OTLP export runs on the sender's own threads, and at most
 * {@link #MAX_IN_FLIGHT} span batches per destination are in flight; while the first destination has that
 * many unanswered, spans wait in staging (a later destination that is full loses the batch, counted as
 * {@code backlog}). Each batch's outcome is settled exactly once (exported, failed, or abandoned at the
 * shutdown deadline), so accepted spans always equal exported plus dropped.
 *
 * <p>At exit ({@link #finish}): the metrics go first (small, and they carry the counts), then the spans
 * with the time left before the deadline, then the metrics once more with every span not exported by then
 * counted as dropped ({@code shutdown}); the exit summary is printed as that export leaves.
 */
public final class ExportPipeline {
    /** Span batches a destination may have unanswered before new batches wait (first) or drop (others). */
    static final int MAX_IN_FLIGHT = 32;
    /**
     * Staging holds at most this many spans per queue slot: at the default 65 536 slots, 524 288 spans,
     * about 46 MB of recorded spans held during a burst the export path cannot keep up with.
     */
    static final int STAGING_PER_QUEUE_SLOT = 8;
    /** Spans converted per loop turn, so the queue is drained between conversions. */
    private static final int CONVERT_PER_TURN = 8192;
    private static final long MIN_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** The fill of the span queue the park is sized to let build up between drains. */
    private static final double TARGET_FILL = 0.125;
    /** A drain that finds the queue this full yields instead of parking while staging has room. */
    private static final double BURST_FILL = 0.25;
    /** At exit, the time kept for the last metrics after the spans (at most a quarter of what is left). */
    private static final long FINAL_METRICS_RESERVE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
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
    /**
     * Set by the initializing thread after it has written every field {@link #initialize} sets; the
     * exporter thread reads those fields only after reading true here (volatile write/read: happens-before).
     */
    private volatile boolean initialized;
    private Thread initializer;

    private List<Destination> destinations = Collections.emptyList();
    private final List<ArrayDeque<SpanBatch>> inFlight = new ArrayList<>();
    /** The metric values covered by the latest successful metric export of the first destination. */
    private final AtomicLong metricValuesExported = new AtomicLong();
    private MetricsAggregator aggregator;
    private SpanConverter converter;
    private Resource resource;
    private InstrumentationScopeInfo scope;
    private final ArrayDeque<ObsSpan> staging = new ArrayDeque<>();
    private final int stagingCapacity;
    /** The batch being filled, handed to every destination's SDK span exporter. */
    private final List<SpanData> batch = new ArrayList<>();
    private int batchSpans;
    /** Set before the exporter thread starts. */
    private final List<MetricSource> sources = new ArrayList<>();
    /** Null, or what creates {@link #sources} when exporting starts. */
    private MetricSource.Factory sourceFactory;
    /** Null unless the live endpoints are on (obs.http.port). */
    private dev.obs.exporter.http.LiveEndpoints live;

    private ExportPipeline(ExporterSettings settings, String version) {
        this.settings = settings;
        this.version = version;
        this.queue = new SpanQueue(settings.queueCapacity());
        this.stagingCapacity = (int) Math.min(Integer.MAX_VALUE - 8,
                (long) queue.queue().capacity() * STAGING_PER_QUEUE_SLOT);
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
     * thread. {@code sources} (null: none) are the metrics measured rather than recorded (container and JVM
     * resources): created and started on the exporter thread when exporting starts, and collected with every
     * metric export.
     */
    public static ExportPipeline start(ExporterSettings settings, String version, MetricSource.Factory sources) {
        return start(settings, version, sources, null);
    }

    /**
     * As {@link #start(ExporterSettings, String, MetricSource.Factory)}, serving {@code live} (null: off): the
     * exporter thread starts its server (on a thread of its own) and answers its scrapes at each turn.
     */
    public static ExportPipeline start(ExporterSettings settings, String version, MetricSource.Factory sources,
                                       dev.obs.exporter.http.LiveEndpoints live) {
        ExportPipeline p = new ExportPipeline(settings, version);
        p.sourceFactory = sources;
        p.live = live;
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
                startInitializer();
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
            if (!queue.queue().isEmpty() || anyMetricRecorded() || live != null && live.metricsRequested()) {
                return true;
            }
            LockSupport.parkNanos(FIRST_RECORD_PARK_NANOS);
        }
        return false;
    }

    private static boolean anyMetricRecorded() {
        return ExactMetrics.any() || anyApplicationFileIo();
    }

    /**
     * True once the application has done file I/O of its own: class loading ({@code jvm}) and console output
     * ({@code stdio}) alone do not start the exporter, so a program that records nothing else still never
     * loads the SDK.
     */
    private static boolean anyApplicationFileIo() {
        if (!dev.obs.bootstrap.fs.FsRecorder.configured()) {
            return false;
        }
        return dev.obs.bootstrap.fs.FsRecorder.collect(new long[dev.obs.bootstrap.fs.FsRecorder.collectLength()]);
    }

    /** Failure of {@link #initialize} on the initializer thread; read after {@link #initialized}. */
    private Throwable initFailure;

    /** Builds the SDK exporters on a thread of their own, so this one keeps draining the queue meanwhile. */
    private void startInitializer() {
        initializer = new Thread("obs-exporter-init") {
            @Override
            public void run() {
                Recorder.suppressCurrentThread();
                try {
                    initialize();
                    try {
                        // without the measured sources: collecting a container's last sample consumes it
                        Destinations.rehearseMetricExport(settings,
                                collectMetrics(System.nanoTime() + epochOffsetNanos, metricValues(), List.of()));
                    } catch (RuntimeException | LinkageError e) {
                        // only a rehearsal: the first real export meets the same problem and reports it
                    }
                } catch (Throwable t) {
                    initFailure = t;
                } finally {
                    initialized = true;
                    LockSupport.unpark(thread);
                }
            }
        };
        initializer.setDaemon(true);
        initializer.start();
    }

    /** True once the SDK exporters are up; throws what stopped them from starting. */
    private boolean exportersReady() throws Throwable {
        if (!initialized) {
            return false;
        }
        if (initFailure != null) {
            throw initFailure;
        }
        return true;
    }

    private void loop() throws Throwable {
        long spanInterval = settings.spanExportInterval().toNanos();
        long metricInterval = settings.metricExportInterval().toNanos();
        long nextSpanFlush = 0;
        long nextMetricExport = 0;
        boolean exporting = false;
        long lastDrain = System.nanoTime();
        while (running) {
            maxFill = 0;
            drainSpans(stagingCapacity);
            boolean moreToConvert = false;
            if (exportersReady()) {
                long now = System.nanoTime();
                if (!exporting) {
                    exporting = true;
                    // the spans so far go at once: the first export's cold path (marshalling, the connection)
                    // runs beside the program rather than in its exit
                    nextSpanFlush = now;
                    nextMetricExport = now + metricInterval;
                }
                moreToConvert = convertStaged(CONVERT_PER_TURN) && hasRoom(0);
                now = System.nanoTime();
                if (now - nextSpanFlush >= 0) {
                    flushSpans();
                    nextSpanFlush = now + spanInterval;
                }
                if (now - nextMetricExport >= 0) {
                    exportMetrics();
                    nextMetricExport = now + metricInterval;
                }
                if (live != null) {
                    serveLive(now);
                }
            }
            long now = System.nanoTime();
            if (queueFill >= BURST_FILL && staging.size() < stagingCapacity) {
                // a burst fills the queue in a millisecond or two: even the shortest park would shed traces
                Thread.yield();
            } else if (!moreToConvert) {
                LockSupport.parkNanos(parkNanos(maxFill, now - lastDrain));
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

    private void initialize() {
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
            if (live != null) {
                live.destination(counters[i].health);
            }
        }
    }

    /** Live endpoints: the drops of the last second, and a collection for each scrape waiting. */
    private void serveLive(long now) {
        if (live.dropsDue(now)) {
            SelfMetrics.Drops d = drops();
            live.recordDrops(now, d.spans());
        }
        long scrape = live.pendingScrape();
        if (scrape != 0) {
            live.publishMetrics(collectMetrics(System.nanoTime() + epochOffsetNanos, metricValues()), scrape);
        }
    }

    private SelfMetrics.ExporterCounters[] counters;
    /** The largest fill seen by the current drain (exporter thread only). */
    private double maxFill;
    /** How full the last drain found the span queue (exporter thread only). */
    private double queueFill;
    /** Null when the fs family is not installed. */
    private FsMetrics fsMetrics;
    /** Spans taken from the queue (exporter thread only). */
    private long spansAccepted;
    private long queueDepthMax;
    /** Spans a destination after the first could not take (exporter thread only). */
    private long spansDroppedBacklog;
    /** Spans still in obs at the shutdown deadline, never handed to an exporter (exporter thread only). */
    private long spansDroppedShutdown;
    /** Spans taken from the queue with {@code obs.exporter=none} (exporter thread only). */
    private long spansDroppedNoExporter;

    /** Moves spans from the queue into staging until staging holds {@code limit}. */
    private void drainSpans(int limit) {
        MpscAtomicArrayQueue<ObsSpan> q = queue.queue();
        int depth = q.size();
        if (depth > queueDepthMax) {
            queueDepthMax = depth;
        }
        // the depth before draining: a queue that keeps backing up must shorten the park
        queueFill = depth / (double) q.capacity();
        maxFill = Math.max(maxFill, queueFill);
        ObsSpan span;
        boolean nowhereToGo = settings.exporters().isEmpty();
        while (staging.size() < limit && (span = q.relaxedPoll()) != null) {
            spansAccepted++;
            if (nowhereToGo) {
                spansDroppedNoExporter++; // obs.exporter=none: counted, never converted
            } else {
                staging.addLast(span);
            }
        }
    }

    /**
     * Converts up to {@code max} staged spans into the batch, flushing full batches, while the first
     * destination has room for another batch. Returns true when staged spans are left.
     */
    private boolean convertStaged(int max) {
        for (int n = 0; n < max && !staging.isEmpty(); n++) {
            if (batchSpans == 0 && !hasRoom(0)) {
                break;
            }
            ObsSpan span = staging.pollFirst();
            batch.add(converter.convert(span));
            if (++batchSpans >= settings.spanBatchSize()) {
                flushSpans();
            }
        }
        return !staging.isEmpty();
    }

    /** Whether destination {@code i} has fewer than {@link #MAX_IN_FLIGHT} span exports unanswered. */
    private boolean hasRoom(int i) {
        if (i >= inFlight.size()) {
            return true;
        }
        ArrayDeque<SpanBatch> pending = inFlight.get(i);
        pending.removeIf(SpanBatch::isSettled);
        return pending.size() < MAX_IN_FLIGHT;
    }

    /**
     * Hands the batch to every destination. Returns false, keeping the batch, while the first destination
     * has no room; a later destination without room loses the batch ({@code backlog}).
     */
    private boolean flushSpans() {
        if (batchSpans == 0) {
            return true;
        }
        if (!hasRoom(0)) {
            return false;
        }
        List<SpanData> spans = new ArrayList<>(batch);
        int size = batchSpans;
        batch.clear();
        batchSpans = 0;
        for (int i = 0; i < destinations.size(); i++) {
            if (i > 0 && !hasRoom(i)) {
                spansDroppedBacklog += size;
                continue;
            }
            SpanBatch b = new SpanBatch(size, counters[i]);
            Destination d = destinations.get(i);
            try {
                b.watch(d.spans().export(spans));
            } catch (Throwable t) {
                b.settle(false);
                continue;
            }
            inFlight.get(i).addLast(b);
        }
        return true;
    }

    /**
     * The outcome of one span export, settled exactly once: by the export's result (on a sender thread), or
     * as abandoned at the shutdown deadline (exporter thread), whichever comes first. So a batch answered
     * just as the deadline passes is counted as exported or as dropped, never both.
     */
    static final class SpanBatch {
        private final int size;
        private final SelfMetrics.ExporterCounters counters;
        private final AtomicBoolean settled = new AtomicBoolean();
        private CompletableResultCode result;

        SpanBatch(int size, SelfMetrics.ExporterCounters counters) {
            this.size = size;
            this.counters = counters;
            counters.health.batchStarted();
        }

        void watch(CompletableResultCode r) {
            result = r;
            r.whenComplete(() -> settle(r.isSuccess()));
        }

        void settle(boolean success) {
            if (settled.compareAndSet(false, true)) {
                if (success) {
                    counters.spansExported.addAndGet(size);
                    counters.health.succeeded();
                } else {
                    counters.spansFailed.addAndGet(size);
                    counters.spanFailures.incrementAndGet();
                    counters.health.failed(result == null ? null : result.getFailureThrowable(), size);
                }
                counters.health.batchSettled();
            }
        }

        void abandon() {
            if (settled.compareAndSet(false, true)) {
                counters.spansAbandoned.addAndGet(size);
                counters.health.batchSettled();
            }
        }

        boolean isSettled() {
            return settled.get();
        }

        void await(long deadline) {
            long left = deadline - System.nanoTime();
            if (left > 0 && result != null) {
                result.join(left, TimeUnit.NANOSECONDS);
            }
        }
    }

    /**
     * The metric values recorded so far: every measurement of the metric path
     * (a duration into a histogram, an add to a sum). Read before the series are collected, so an export
     * covers at least this many (the counts only grow).
     */
    private long metricValues() {
        long values = 0;
        for (StripedHistogram h : ExactMetrics.histograms()) {
            values += h.snapshot().count;
        }
        for (ExactCounter c : ExactMetrics.counters()) {
            values += c.adds();
        }
        return values;
    }

    /** Why spans and values were not exported, counted for the first destination. */
    private SelfMetrics.Drops drops() {
        SelfMetrics.ExporterCounters first = counters.length > 0 ? counters[0] : null;
        return new SelfMetrics.Drops(queue.queueFull(), queue.shedSpans(), queue.shedTraces(), spansDroppedBacklog,
                first == null ? 0 : first.spansFailed.get(),
                spansDroppedShutdown + (first == null ? 0 : first.spansAbandoned.get()), spansDroppedNoExporter);
    }

    /** Exports all metrics to every destination; returns the first destination's result, or null. */
    private CompletableResultCode exportMetrics() {
        long now = System.nanoTime() + epochOffsetNanos;
        long values = metricValues();
        List<MetricData> metrics = collectMetrics(now, values);
        exportLogs();
        CompletableResultCode first = null;
        for (int i = 0; i < destinations.size(); i++) {
            SelfMetrics.ExporterCounters c = counters[i];
            boolean coversValues = i == 0;
            CompletableResultCode r;
            try {
                r = destinations.get(i).metrics().export(metrics);
            } catch (Throwable t) {
                c.metricFailures.incrementAndGet();
                r = CompletableResultCode.ofFailure();
            }
            int size = metrics.size();
            CompletableResultCode result = r;
            r.whenComplete(() -> {
                if (result.isSuccess()) {
                    c.metricsExported.addAndGet(size);
                    c.health.succeeded();
                    if (coversValues) {
                        metricValuesExported.accumulateAndGet(values, Math::max);
                    }
                } else {
                    c.metricFailures.incrementAndGet();
                    c.health.failed(result.getFailureThrowable(), 0);
                }
            });
            if (i == 0) {
                first = r;
            }
        }
        return first;
    }

    /** Every metric as cumulative data at {@code now} (epoch nanoseconds): what an export and a scrape send. */
    private List<MetricData> collectMetrics(long now, long values) {
        return collectMetrics(now, values, sources);
    }

    /** As {@link #collectMetrics(long, long)}, with only the metric sources {@code from}. */
    private List<MetricData> collectMetrics(long now, long values, List<MetricSource> from) {
        List<MetricData> selfMetrics = self.collect(resource, scope, startEpochNanos, now, spansAccepted,
                queueDepthMax, drops(), values);
        List<MetricData> measured = new ArrayList<>(selfMetrics);
        for (MetricSource source : from) {
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
        return metrics;
    }

    /** Null until the first events; then the log exporters of the otlp and file destinations. */
    private List<io.opentelemetry.sdk.logs.export.LogRecordExporter> logExporters;
    /** The last log export of the first log destination, awaited at exit. */
    private CompletableResultCode lastLogs;

    /** Sends the events of the sources that have some ({@link LogSource}) as log records, with the metrics. */
    private void exportLogs() {
        List<io.opentelemetry.sdk.logs.data.LogRecordData> logs = new ArrayList<>();
        for (MetricSource source : sources) {
            if (source instanceof LogSource events) {
                try {
                    logs.addAll(events.takeLogs(resource, scope));
                } catch (Throwable t) {
                    // a source that fails costs its own events only
                }
            }
        }
        if (logs.isEmpty()) {
            return;
        }
        if (logExporters == null) {
            logExporters = Destinations.logs(settings);
        }
        for (int i = 0; i < logExporters.size(); i++) {
            try {
                CompletableResultCode r = logExporters.get(i).export(logs);
                if (i == 0) {
                    lastLogs = r;
                }
            } catch (Throwable t) {
                // counted nowhere yet: events are best effort beside the exact metrics
            }
        }
    }

    /**
     * At exit, within 90 % of the shutdown timeout: everything recorded is drained; the metrics are
     * exported first, then the spans with the time left (all but 200 ms or a quarter of it, and only while the first
     * destination has not failed since the exit began: a collector that refuses connections is not tried
     * batch after batch), then the metrics again with every span not exported by then counted as dropped
     * ({@code shutdown}); the summary is printed as that export starts (its span counts are final, and the
     * first export's outcome is that of the metric values).
     */
    private void finish() throws Throwable {
        long deadline = shutdownStartedNanos + settings.shutdownTimeout().toNanos() * 9 / 10;
        if (initializer == null && queue.queue().isEmpty() && !anyMetricRecorded()) {
            if (settings.summary()) {
                System.err.println("obs summary: nothing recorded");
            }
            return;
        }
        // only once there is something to export: a program that records nothing never loads the sender
        UrlConnectionSender.stopRetrying();
        if (initializer == null) {
            initialize();
            initialized = true;
        } else {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            initializer.join(Math.max(1, left));
            if (!exportersReady()) {
                drainSpans(Integer.MAX_VALUE);
                if (settings.summary()) {
                    System.err.printf("obs summary: the exporter was still starting at the shutdown deadline;"
                            + " %d spans dropped (shutdown)%n", staging.size());
                }
                return;
            }
        }
        drainSpans(Integer.MAX_VALUE);
        SelfMetrics.ExporterCounters first = counters.length > 0 ? counters[0] : null;
        long failuresBefore = first == null ? 0 : first.spanFailures.get() + first.metricFailures.get();
        // every metric value is drained by now, so this export covers them all
        CompletableResultCode metricsFirst = exportMetrics();
        long spansDeadline = deadline - Math.min((deadline - System.nanoTime()) / 4, FINAL_METRICS_RESERVE_NANOS);
        while (System.nanoTime() < spansDeadline && (!staging.isEmpty() || batchSpans > 0)
                && (first == null || first.spanFailures.get() + first.metricFailures.get() == failuresBefore)) {
            if (!hasRoom(0)) {
                inFlight.get(0).peekFirst().await(spansDeadline);
            } else if (staging.isEmpty()) {
                flushSpans();
            } else {
                convertStaged(CONVERT_PER_TURN);
            }
        }
        for (ArrayDeque<SpanBatch> pending : inFlight) {
            for (SpanBatch b : pending) {
                b.await(spansDeadline);
            }
        }
        abandonUnexported();
        CompletableResultCode last = exportMetrics();
        // The span counts are final now; the summary goes before the wait for the last metrics, so that
        // neither a slow collector nor a busy machine can push it past the shutdown hook's end.
        if (settings.summary()) {
            printSummary(System.err, metricsFirst);
        }
        if (last != null) {
            last.join(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        if (lastLogs != null) {
            lastLogs.join(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        if (logExporters != null) {
            for (io.opentelemetry.sdk.logs.export.LogRecordExporter e : logExporters) {
                e.shutdown();
            }
        }
        for (Destination d : destinations) {
            d.shutdown();
        }
    }

    /** Counts every span not exported by now as dropped at shutdown: staged, batched, queued, unanswered. */
    private void abandonUnexported() {
        drainSpans(Integer.MAX_VALUE);
        spansDroppedShutdown += staging.size() + batchSpans;
        staging.clear();
        batch.clear();
        batchSpans = 0;
        for (ArrayDeque<SpanBatch> pending : inFlight) {
            for (SpanBatch b : pending) {
                b.abandon();
            }
        }
    }

    /** {@code valuesExport}: the metric export that covers every value; its outcome is theirs. */
    private void printSummary(PrintStream out, CompletableResultCode valuesExport) {
        SelfMetrics.Drops d = drops();
        long spansExported = counters.length > 0 ? counters[0].spansExported.get() : 0;
        long values = metricValues();
        boolean lastDone = valuesExport != null && valuesExport.isDone();
        long valuesExported = lastDone && valuesExport.isSuccess() ? values
                : Math.min(values, metricValuesExported.get());
        long valuesLost = values - valuesExported;
        long valuesFailed = lastDone ? valuesLost : 0;
        long valuesShutdown = lastDone ? 0 : valuesLost;
        StringBuilder b = new StringBuilder();
        b.append(String.format("obs summary: %d spans: %d exported, %d dropped spans (shed %d in %d traces,"
                        + " queue_full %d, backlog %d, export_failed %d, shutdown %d%s); %d metric values: %d exported,"
                        + " %d dropped values (export_failed %d, shutdown %d); %d export failures%n",
                spansAccepted + d.queueFull() + d.shed(), spansExported, d.spans(), d.shed(), d.shedTraces(),
                d.queueFull(), d.backlog(), d.exportFailed(), d.shutdown(),
                d.noExporter() > 0 ? ", no_exporter " + d.noExporter() : "", values, valuesExported,
                valuesLost, valuesFailed, valuesShutdown, self.exportFailures()));
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
