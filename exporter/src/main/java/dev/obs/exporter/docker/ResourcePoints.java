package dev.obs.exporter.docker;

import dev.obs.exporter.MetricSource;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableDoublePointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableGaugeData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableLongPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSumData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code container.*} points of one collection, gathered per metric name, so that the JVM's own cgroup
 * and every started container share one metric each. One per collection, exporter thread only.
 */
final class ResourcePoints {
    private static final AttributeKey<String> CPU_MODE = AttributeKey.stringKey("cpu.mode");
    private static final AttributeKey<String> DISK_DIRECTION = AttributeKey.stringKey("disk.io.direction");
    private static final AttributeKey<String> NET_DIRECTION = AttributeKey.stringKey("network.io.direction");

    private final Resource resource;
    private final InstrumentationScopeInfo scope;
    private final long start;
    private final long now;
    private final Map<String, List<DoublePointData>> doubleSums = new LinkedHashMap<>();
    private final Map<String, List<LongPointData>> longSums = new LinkedHashMap<>();
    private final Map<String, List<LongPointData>> gauges = new LinkedHashMap<>();
    private final Map<String, String[]> meta = new LinkedHashMap<>();

    ResourcePoints(Resource resource, InstrumentationScopeInfo scope, long start, long now) {
        this.resource = resource;
        this.scope = scope;
        this.start = start;
        this.now = now;
    }

    void add(Sample s, Attributes base) {
        dsum("container.cpu.time", "s", "CPU time of the container, by mode", s.cpuUserSeconds(),
                with(base, CPU_MODE, "user"));
        dsum("container.cpu.time", "s", "CPU time of the container, by mode", s.cpuSystemSeconds(),
                with(base, CPU_MODE, "system"));
        lsum("container.cpu.throttling_data.periods", "{period}", "Enforcement periods elapsed",
                s.throttlingPeriods(), base);
        lsum("container.cpu.throttling_data.throttled_periods", "{period}", "Periods the container was throttled",
                s.throttledPeriods(), base);
        dsum("container.cpu.throttling_data.throttled_time", "s", "Time the container was throttled",
                s.throttledSeconds(), base);
        gauge("container.memory.usage", "By", "Memory used by the container", s.memoryUsage(), base);
        gauge("container.memory.usage.limit", "By", "Memory limit of the container", s.memoryLimit(), base);
        lsum("container.disk.io", "By", "Block I/O bytes, by direction", s.diskReadBytes(),
                with(base, DISK_DIRECTION, "read"));
        lsum("container.disk.io", "By", "Block I/O bytes, by direction", s.diskWriteBytes(),
                with(base, DISK_DIRECTION, "write"));
        lsum("container.network.io", "By", "Network bytes, by direction", s.networkReceiveBytes(),
                with(base, NET_DIRECTION, "receive"));
        lsum("container.network.io", "By", "Network bytes, by direction", s.networkTransmitBytes(),
                with(base, NET_DIRECTION, "transmit"));
    }

    private static Attributes with(Attributes base, AttributeKey<String> key, String value) {
        return base.toBuilder().put(key, value).build();
    }

    private void dsum(String name, String unit, String description, double v, Attributes a) {
        if (v >= 0) {
            meta.putIfAbsent(name, new String[] {unit, description});
            MetricSource.pointsOf(doubleSums, name).add(ImmutableDoublePointData.create(start, now, a, v));
        }
    }

    private void lsum(String name, String unit, String description, long v, Attributes a) {
        if (v >= 0) {
            meta.putIfAbsent(name, new String[] {unit, description});
            MetricSource.pointsOf(longSums, name).add(ImmutableLongPointData.create(start, now, a, v));
        }
    }

    private void gauge(String name, String unit, String description, long v, Attributes a) {
        if (v >= 0) {
            meta.putIfAbsent(name, new String[] {unit, description});
            MetricSource.pointsOf(gauges, name).add(ImmutableLongPointData.create(start, now, a, v));
        }
    }

    List<MetricData> build() {
        List<MetricData> out = new ArrayList<>();
        for (Map.Entry<String, List<DoublePointData>> e : doubleSums.entrySet()) {
            String[] m = meta.get(e.getKey());
            out.add(ImmutableMetricData.createDoubleSum(resource, scope, e.getKey(), m[1], m[0],
                    ImmutableSumData.create(true, AggregationTemporality.CUMULATIVE, e.getValue())));
        }
        for (Map.Entry<String, List<LongPointData>> e : longSums.entrySet()) {
            String[] m = meta.get(e.getKey());
            out.add(ImmutableMetricData.createLongSum(resource, scope, e.getKey(), m[1], m[0],
                    ImmutableSumData.create(true, AggregationTemporality.CUMULATIVE, e.getValue())));
        }
        for (Map.Entry<String, List<LongPointData>> e : gauges.entrySet()) {
            String[] m = meta.get(e.getKey());
            out.add(ImmutableMetricData.createLongGauge(resource, scope, e.getKey(), m[1], m[0],
                    ImmutableGaugeData.create(e.getValue())));
        }
        return out;
    }
}
