package dev.obs.exporter.docker;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableDoublePointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableGaugeData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableLongPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSumData;
import io.opentelemetry.sdk.resources.Resource;
import java.lang.management.MemoryMXBean;
import java.util.List;

/**
 * The JVM's own resources, read when metrics are exported, on the exporter thread: its cgroup and network
 * namespace ({@link CgroupStats}, exported as the {@code container.*} metrics without container attributes),
 * and the JVM process (CPU and open file descriptors from {@code /proc/self}, see {@link ProcessStats}; heap,
 * non-heap and threads from their MXBeans). Off with {@code obs.container.self=false}.
 */
final class JvmResources {
    private static final AttributeKey<String> MEMORY_TYPE = AttributeKey.stringKey("jvm.memory.type");

    /**
     * Found at the first collection (reading {@code /proc/self/mountinfo} and {@code cgroup}), not when the
     * source is made: a JVM whose metrics are never collected ({@code obs.exporter=none}) never reads them.
     * Exporter thread only.
     */
    private CgroupStats cgroup;

    /** The JVM's own cgroup as an unlabelled container, when it can be read. */
    void addOwnCgroup(ResourcePoints points) {
        if (cgroup == null) {
            cgroup = CgroupStats.self();
        }
        if (cgroup.available()) {
            points.add(cgroup.read(), Attributes.empty());
        }
    }

    /** The {@code jvm.*} metrics of this process. */
    static void addJvm(List<MetricData> out, Resource resource, InstrumentationScopeInfo scope, long start,
                            long now) {
        long cpuNanos = ProcessStats.cpuNanos();
        if (cpuNanos >= 0) {
            out.add(ImmutableMetricData.createDoubleSum(resource, scope, "jvm.cpu.time", "CPU time of the JVM process",
                    "s", ImmutableSumData.create(true, AggregationTemporality.CUMULATIVE, List.of(
                            ImmutableDoublePointData.create(start, now, Attributes.empty(), cpuNanos / 1e9)))));
        }
        MemoryMXBean memory = JvmBeans.MEMORY;
        out.add(ImmutableMetricData.createLongGauge(resource, scope, "jvm.memory.used", "Memory used by the JVM",
                "By", ImmutableGaugeData.create(List.of(
                        ImmutableLongPointData.create(start, now, Attributes.of(MEMORY_TYPE, "heap"),
                                memory.getHeapMemoryUsage().getUsed()),
                        ImmutableLongPointData.create(start, now, Attributes.of(MEMORY_TYPE, "non_heap"),
                                memory.getNonHeapMemoryUsage().getUsed())))));
        out.add(ImmutableMetricData.createLongGauge(resource, scope, "jvm.thread.count", "Live threads", "{thread}",
                ImmutableGaugeData.create(List.of(ImmutableLongPointData.create(start, now, Attributes.empty(),
                        JvmBeans.THREADS.getThreadCount())))));
        long fds = ProcessStats.openFileDescriptors();
        if (fds >= 0) {
            out.add(ImmutableMetricData.createLongGauge(resource, scope, "jvm.file_descriptor.count",
                    "Open file descriptors", "{file_descriptor}",
                    ImmutableGaugeData.create(List.of(ImmutableLongPointData.create(start, now, Attributes.empty(),
                            fds)))));
        }
    }

}
