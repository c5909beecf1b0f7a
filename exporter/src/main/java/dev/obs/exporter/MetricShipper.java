package dev.obs.exporter;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The metric path of the exporter thread: collects every metric (the exact series, obs's own, the families'
 * metric sources') as cumulative data, sends it to every destination with the sources' events as log
 * records, and keeps how many metric values the first destination has confirmed. Exporter thread only, but
 * for the export results, which arrive on sender threads.
 */
final class MetricShipper {
    private final ExporterSettings settings;
    private final ExportSession session;
    private final SpanShipper spans;
    private final long startEpochNanos;
    private final long epochOffsetNanos;
    /** The metric values covered by the latest successful metric export of the first destination. */
    private final AtomicLong metricValuesExported = new AtomicLong();
    /** Null until the first events; then the log exporters of the otlp and file destinations. */
    private List<LogRecordExporter> logExporters;
    /** Null, or the sources' metrics collected ahead of the next export ({@link #collectSourcesAhead}). */
    private List<MetricData> sourcesAhead;
    /** The last log export of the first log destination, awaited at exit. */
    private CompletableResultCode lastLogs;

    MetricShipper(ExporterSettings settings, ExportSession session, SpanShipper spans, long startEpochNanos,
                  long epochOffsetNanos) {
        this.settings = settings;
        this.session = session;
        this.spans = spans;
        this.startEpochNanos = startEpochNanos;
        this.epochOffsetNanos = epochOffsetNanos;
    }

    /**
     * The metric values recorded so far: every measurement of the metric path
     * (a duration into a histogram, an add to a sum). Read before the series are collected, so an export
     * covers at least this many (the counts only grow).
     */
    static long metricValues() {
        return metricValues(snapshots(ExactMetrics.histograms()));
    }

    /** {@link #metricValues()} from snapshots of every series taken once ({@link #snapshots}). */
    static long metricValues(StripedHistogram.Snapshot[] snapshots) {
        long values = 0;
        for (StripedHistogram.Snapshot s : snapshots) {
            values += s.count;
        }
        return values + counterAdds();
    }

    /**
     * A snapshot of each of {@code series}, in its order: the exit summary reads every histogram once for both
     * the value count and the operations' latencies (at exit obs's code runs interpreted, and a snapshot reads
     * each slot of each stripe).
     */
    static StripedHistogram.Snapshot[] snapshots(StripedHistogram[] series) {
        StripedHistogram.Snapshot[] out = new StripedHistogram.Snapshot[series.length];
        for (int i = 0; i < series.length; i++) {
            out[i] = series[i].snapshot();
        }
        return out;
    }

    private static long counterAdds() {
        long values = 0;
        for (ExactCounter c : ExactMetrics.counters()) {
            values += c.adds();
        }
        return values;
    }

    /** The metric values the first destination has confirmed so far. */
    long valuesExported() {
        return metricValuesExported.get();
    }

    /** Exports all metrics to every destination; returns the first destination's result, or null (none). */
    CompletableResultCode export() {
        if (session.destinations.isEmpty()) {
            // obs.exporter=none: nothing takes the metrics (the exit summary and the live endpoints collect for
            // themselves), so they are not collected; the events are still taken, so that they keep going
            // where they went (nowhere) rather than filling the sources' bounded buffers
            exportLogs();
            return null;
        }
        long now = System.nanoTime() + epochOffsetNanos;
        long values = metricValues();
        List<MetricData> metrics = collect(now, values);
        exportLogs();
        CompletableResultCode first = null;
        for (int i = 0; i < session.destinations.size(); i++) {
            SelfMetrics.ExporterCounters c = session.counters[i];
            boolean coversValues = i == 0;
            CompletableResultCode r;
            try {
                r = session.destinations.get(i).metrics().export(metrics);
            } catch (Throwable t) {
                c.metricFailures.incrementAndGet();
                r = CompletableResultCode.ofFailure();
            }
            r.whenComplete(new Outcome(r, c, metrics.size(), coversValues ? values : -1));
            if (i == 0) {
                first = r;
            }
        }
        return first;
    }

    /**
     * Counts one destination's metric export when its result comes (on a sender thread). A class rather than
     * a lambda: the first metric export runs in every short program, and a lambda's first use spins a class.
     */
    private final class Outcome implements Runnable {
        private final CompletableResultCode result;
        private final SelfMetrics.ExporterCounters counters;
        private final int size;
        /** The metric values the export covers, or -1 when its outcome is not theirs (a later destination). */
        private final long values;

        Outcome(CompletableResultCode result, SelfMetrics.ExporterCounters counters, int size, long values) {
            this.result = result;
            this.counters = counters;
            this.size = size;
            this.values = values;
        }

        @Override
        public void run() {
            if (result.isSuccess()) {
                counters.metricsExported.addAndGet(size);
                counters.health.succeeded();
                long before;
                while (values > (before = metricValuesExported.get())
                        && !metricValuesExported.compareAndSet(before, values)) {
                    // another export's result raced this one: take the larger count
                }
            } else {
                counters.metricFailures.incrementAndGet();
                counters.health.failed(result.getFailureThrowable(), 0);
            }
        }
    }

    /** Every metric as cumulative data now: what a scrape of the live endpoints gets. */
    List<MetricData> collectNow() {
        return collect(System.nanoTime() + epochOffsetNanos, metricValues());
    }

    /** Every metric as cumulative data at {@code now} (epoch nanoseconds): what an export and a scrape send. */
    private List<MetricData> collect(long now, long values) {
        List<MetricData> selfMetrics = session.self.collect(session.resource, session.scope, startEpochNanos, now,
                spans.accepted(), spans.queueDepthMax(), spans.drops(), values);
        List<MetricData> measured = new ArrayList<>(selfMetrics);
        if (sourcesAhead != null) {
            measured.addAll(sourcesAhead);
            sourcesAhead = null;
        } else {
            measured.addAll(collectSources(now));
        }
        return session.aggregator.collect(session.resource, session.scope, now, measured);
    }

    /**
     * At exit, while the last spans are on their way: the sources' metrics of the next export, collected now
     * (they do not depend on the spans' outcome, which the self metrics wait for). Each source is collected
     * once for that export, as always.
     */
    void collectSourcesAhead() {
        if (session.destinations.isEmpty()) {
            // obs.exporter=none: no export takes them (see export); the exit summary asks the sources itself
            return;
        }
        sourcesAhead = collectSources(System.nanoTime() + epochOffsetNanos);
    }

    private List<MetricData> collectSources(long now) {
        List<MetricData> measured = new ArrayList<>();
        for (MetricSource source : session.sources) {
            try {
                measured.addAll(source.collect(session.resource, session.scope, startEpochNanos, now));
            } catch (Throwable t) {
                // a source that fails costs its own metrics only
            }
        }
        return measured;
    }

    /** Sends the events of the sources that have some ({@link LogSource}) as log records, with the metrics. */
    private void exportLogs() {
        List<LogRecordData> logs = new ArrayList<>();
        for (MetricSource source : session.sources) {
            if (source instanceof LogSource events) {
                try {
                    logs.addAll(events.takeLogs(session.resource, session.scope));
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

    /** At exit: waits at most until {@code deadline} for the last log export, then closes the log exporters. */
    void closeLogs(long deadline) {
        if (lastLogs != null) {
            lastLogs.join(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        if (logExporters != null) {
            for (LogRecordExporter e : logExporters) {
                e.shutdown();
            }
        }
    }
}
