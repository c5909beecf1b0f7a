package dev.obs.exporter;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableLongPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSumData;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All aggregation state the exporter builds, touched by the exporter thread only: the exact series of the
 * metric path ({@link ExactMetrics}: span durations,
 * Git counters, subprocesses), read as they are at each export, and the per-operation figures of the exit
 * summary, which come from those same exact series so that its counts are the exported counts. Metrics
 * are cumulative from agent start, so Prometheus-style backends read them directly. No lambdas: each one
 * spins a class at its first use, and this runs at the first export of every short program.
 */
final class MetricsAggregator {
    /** Per-operation figures for the summary printed at exit. */
    static final class Operation {
        final String name;
        final StripedHistogram.Snapshot latency = new StripedHistogram.Snapshot();

        Operation(String name) {
            this.name = name;
        }

        long count() {
            return latency.count;
        }

        long errors() {
            return latency.errors;
        }

        /** Nanoseconds, within 1/64 of the exact value (see {@link StripedHistogram}). */
        long valueAtPercentile(double percentile) {
            return latency.valueAtPercentile(percentile);
        }
    }

    private final long startEpochNanos;
    /** Epoch time minus nanoTime (to the millisecond): the exemplars' times. */
    private final long epochOffsetNanos = System.currentTimeMillis() * 1_000_000L - System.nanoTime();

    MetricsAggregator(long startEpochNanos) {
        this.startEpochNanos = startEpochNanos;
    }

    /**
     * The summary's operations in the order they first ran, from {@code snapshots} of {@code series}
     * ({@link MetricShipper#snapshots}): each exact series that names an operation, merged by name (a method's
     * error-type series, a Git operation's clients and outcomes).
     */
    Iterable<Operation> operations(StripedHistogram[] series, StripedHistogram.Snapshot[] snapshots) {
        // no lambda: this runs in the exit, where linking one costs more than the loop
        Map<String, Operation> byName = new LinkedHashMap<>();
        for (int i = 0; i < series.length; i++) {
            StripedHistogram h = series[i];
            if (h.operation != null) {
                Operation op = byName.get(h.operation);
                if (op == null) {
                    op = new Operation(h.operation);
                    byName.put(h.operation, op);
                }
                op.latency.add(snapshots[i]);
            }
        }
        for (Iterator<Operation> it = byName.values().iterator(); it.hasNext(); ) {
            if (it.next().count() == 0) {
                it.remove();
            }
        }
        return byName.values();
    }

    /** Builds every series as cumulative OTel metric data at {@code nowEpochNanos}. */
    List<MetricData> collect(io.opentelemetry.sdk.resources.Resource resource, InstrumentationScopeInfo scope,
                             long nowEpochNanos, List<MetricData> selfMetrics) {
        List<MetricData> out = new ArrayList<>();
        collectExactSeries(resource, scope, nowEpochNanos, out);
        out.addAll(selfMetrics);
        return out;
    }

    /** The metric path's histograms and sums, one MetricData per name, points in creation order. */
    private void collectExactSeries(io.opentelemetry.sdk.resources.Resource resource,
                                    InstrumentationScopeInfo scope, long now, List<MetricData> out) {
        Map<String, List<HistogramPointData>> histograms = new LinkedHashMap<>();
        Map<String, String> descriptions = new LinkedHashMap<>();
        for (StripedHistogram h : ExactMetrics.histograms()) {
            if (h.metric == null) {
                continue;
            }
            StripedHistogram.Snapshot s = h.snapshot();
            if (s.count == 0) {
                continue;
            }
            HistogramPointData point = LatencyHistogram.toPoint(attributesOf(h.attributeKeys, h.attributeValues), s,
                    startEpochNanos, now, LatencyHistogram.exemplars(h.exemplars, epochOffsetNanos));
            MetricSource.pointsOf(histograms, h.metric).add(point);
            descriptions.putIfAbsent(h.metric, h.description);
        }
        for (Map.Entry<String, List<HistogramPointData>> e : histograms.entrySet()) {
            out.add(ImmutableMetricData.createDoubleHistogram(resource, scope, e.getKey(),
                    descriptions.get(e.getKey()), "s",
                    ImmutableHistogramData.create(AggregationTemporality.CUMULATIVE, e.getValue())));
        }
        Map<String, List<LongPointData>> sums = new LinkedHashMap<>();
        Map<String, ExactCounter> first = new LinkedHashMap<>();
        for (ExactCounter c : ExactMetrics.counters()) {
            long value = c.value();
            if (value == 0) {
                continue;
            }
            MetricSource.pointsOf(sums, c.metric).add(ImmutableLongPointData.create(startEpochNanos, now,
                    attributesOf(c.attributeKeys, c.attributeValues), value));
            first.putIfAbsent(c.metric, c);
        }
        for (Map.Entry<String, List<LongPointData>> e : sums.entrySet()) {
            ExactCounter c = first.get(e.getKey());
            out.add(ImmutableMetricData.createLongSum(resource, scope, c.metric, c.description, c.unit,
                    ImmutableSumData.create(true, AggregationTemporality.CUMULATIVE, e.getValue())));
        }
    }

    private static Attributes attributesOf(String[] keys, String[] values) {
        AttributesBuilder b = Attributes.builder();
        for (int i = 0; i < keys.length; i++) {
            b.put(keys[i], values[i]);
        }
        return b.build();
    }
}
