package dev.obs.exporter;

import dev.obs.bootstrap.MetricRegistry;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * All aggregation state, touched by the exporter thread only: latency histograms derived from spans,
 * series recorded through the metric rings, and the per-operation figures of the exit summary. Metrics
 * are cumulative from agent start, so Prometheus-style backends read them directly.
 */
final class MetricsAggregator implements dev.obs.bootstrap.MetricRing.Consumer {
    /** Per-operation figures for the summary printed at exit. */
    static final class Operation {
        final String name;
        final Histogram latencyNanos = new Histogram(3);
        long errors;

        Operation(String name) {
            this.name = name;
        }
    }

    private final long startEpochNanos;
    private final Map<String, Map<Attributes, LatencyHistogram>> spanHistograms = new LinkedHashMap<>();
    private final Map<String, String[]> spanHistogramMeta = new LinkedHashMap<>();
    private final Map<String, Operation> operations = new LinkedHashMap<>();
    /** Sums derived from span attributes (bytes moved, conflicts): name → attributes → total. */
    private final Map<String, Map<Attributes, long[]>> spanCounters = new LinkedHashMap<>();
    private final Map<String, String[]> spanCounterMeta = new LinkedHashMap<>();
    /** Indexed by metric id: a LatencyHistogram or a long[1] counter, created on first value. */
    private Object[] ringCells = new Object[64];
    /** HdrHistogram of each ring histogram series (same index), for the exit summary's percentiles. */
    private Histogram[] ringHdr = new Histogram[64];
    private long ringValues;

    MetricsAggregator(long startEpochNanos) {
        this.startEpochNanos = startEpochNanos;
    }

    /** Records one finished span's duration under {@code metricName} and in the operation summary. */
    void recordSpan(String metricName, String unitDescription, Attributes attributes, String operation,
                    long durationNanos, boolean error) {
        if (metricName != null) {
            spanHistograms.computeIfAbsent(metricName, k -> new LinkedHashMap<>())
                    .computeIfAbsent(attributes, a -> new LatencyHistogram(a, true))
                    .recordValue(durationNanos);
            if (!spanHistogramMeta.containsKey(metricName)) {
                spanHistogramMeta.put(metricName, new String[] {"s", unitDescription});
            }
        }
        Operation op = operations.get(operation);
        if (op == null) {
            op = new Operation(operation);
            operations.put(operation, op);
        }
        op.latencyNanos.recordValue(Math.max(0, durationNanos));
        if (error) {
            op.errors++;
        }
    }

    /** Adds {@code value} to a monotonic sum derived from a span attribute. */
    void addToSpanCounter(String name, String unit, String description, Attributes attributes, long value) {
        spanCounters.computeIfAbsent(name, k -> new LinkedHashMap<>())
                .computeIfAbsent(attributes, a -> new long[1])[0] += value;
        if (!spanCounterMeta.containsKey(name)) {
            spanCounterMeta.put(name, new String[] {unit, description});
        }
    }

    @Override
    public void accept(int metricId, long value) {
        ringValues++;
        if (metricId >= ringCells.length) {
            ringCells = java.util.Arrays.copyOf(ringCells, Math.max(metricId + 1, ringCells.length * 2));
            ringHdr = java.util.Arrays.copyOf(ringHdr, ringCells.length);
        }
        Object cell = ringCells[metricId];
        if (cell == null) {
            MetricRegistry.Definition d = MetricRegistry.definition(metricId);
            if (d == null) {
                return;
            }
            cell = d.type == MetricRegistry.COUNTER ? new long[1]
                    : new LatencyHistogram(attributesOf(d), "s".equals(d.unit));
            ringCells[metricId] = cell;
            if (d.type == MetricRegistry.HISTOGRAM) {
                ringHdr[metricId] = new Histogram(3);
            }
        }
        if (cell instanceof long[] counter) {
            counter[0] += value;
        } else {
            ((LatencyHistogram) cell).recordValue(value);
            ringHdr[metricId].recordValue(Math.max(0, value));
        }
    }

    /** Ids below this may have ring values. */
    int ringCellCount() {
        return ringCells.length;
    }

    /** The HdrHistogram of a ring histogram series, or null when it has no value. */
    Histogram ringPercentiles(int metricId) {
        return metricId < ringHdr.length ? ringHdr[metricId] : null;
    }

    /** The total of a ring counter series, 0 when it has no value. */
    long ringCounter(int metricId) {
        return metricId < ringCells.length && ringCells[metricId] instanceof long[] c ? c[0] : 0;
    }

    /** Values taken from the metric rings so far. */
    long ringValues() {
        return ringValues;
    }

    Iterable<Operation> operations() {
        return operations.values();
    }

    /** Builds every series as cumulative OTel metric data at {@code nowEpochNanos}. */
    List<MetricData> collect(io.opentelemetry.sdk.resources.Resource resource, InstrumentationScopeInfo scope,
                             long nowEpochNanos, List<MetricData> selfMetrics) {
        List<MetricData> out = new ArrayList<>();
        for (Map.Entry<String, Map<Attributes, LatencyHistogram>> e : spanHistograms.entrySet()) {
            List<HistogramPointData> points = new ArrayList<>();
            for (LatencyHistogram h : e.getValue().values()) {
                points.add(h.toPoint(startEpochNanos, nowEpochNanos));
            }
            String[] meta = spanHistogramMeta.get(e.getKey());
            out.add(ImmutableMetricData.createDoubleHistogram(resource, scope, e.getKey(), meta[1], meta[0],
                    ImmutableHistogramData.create(AggregationTemporality.CUMULATIVE, points)));
        }
        for (Map.Entry<String, Map<Attributes, long[]>> e : spanCounters.entrySet()) {
            List<LongPointData> points = new ArrayList<>();
            for (Map.Entry<Attributes, long[]> c : e.getValue().entrySet()) {
                points.add(ImmutableLongPointData.create(startEpochNanos, nowEpochNanos, c.getKey(), c.getValue()[0]));
            }
            String[] meta = spanCounterMeta.get(e.getKey());
            out.add(ImmutableMetricData.createLongSum(resource, scope, e.getKey(), meta[1], meta[0],
                    ImmutableSumData.create(true, AggregationTemporality.CUMULATIVE, points)));
        }
        collectRingSeries(resource, scope, nowEpochNanos, out);
        out.addAll(selfMetrics);
        return out;
    }

    private void collectRingSeries(io.opentelemetry.sdk.resources.Resource resource,
                                   InstrumentationScopeInfo scope, long now, List<MetricData> out) {
        Map<String, List<HistogramPointData>> histograms = new LinkedHashMap<>();
        Map<String, List<LongPointData>> counters = new LinkedHashMap<>();
        Map<String, MetricRegistry.Definition> first = new LinkedHashMap<>();
        for (int id = 0; id < ringCells.length; id++) {
            Object cell = ringCells[id];
            if (cell == null) {
                continue;
            }
            MetricRegistry.Definition d = MetricRegistry.definition(id);
            first.putIfAbsent(d.name, d);
            if (cell instanceof long[] counter) {
                counters.computeIfAbsent(d.name, k -> new ArrayList<>())
                        .add(ImmutableLongPointData.create(startEpochNanos, now, attributesOf(d), counter[0]));
            } else {
                histograms.computeIfAbsent(d.name, k -> new ArrayList<>())
                        .add(((LatencyHistogram) cell).toPoint(startEpochNanos, now));
            }
        }
        for (Map.Entry<String, List<HistogramPointData>> e : histograms.entrySet()) {
            MetricRegistry.Definition d = first.get(e.getKey());
            out.add(ImmutableMetricData.createDoubleHistogram(resource, scope, d.name, d.description, d.unit,
                    ImmutableHistogramData.create(AggregationTemporality.CUMULATIVE, e.getValue())));
        }
        for (Map.Entry<String, List<LongPointData>> e : counters.entrySet()) {
            MetricRegistry.Definition d = first.get(e.getKey());
            out.add(ImmutableMetricData.createLongSum(resource, scope, d.name, d.description, d.unit,
                    ImmutableSumData.create(true, AggregationTemporality.CUMULATIVE, e.getValue())));
        }
    }

    private static Attributes attributesOf(MetricRegistry.Definition d) {
        AttributesBuilder b = Attributes.builder();
        for (int i = 0; i < d.attributeKeys.length; i++) {
            b.put(d.attributeKeys[i], d.attributeValues[i]);
        }
        return b.build();
    }
}
