package dev.obs.exporter.docker;

import dev.obs.exporter.store.MetricPoint;
import dev.obs.exporter.store.MetricsSnapshot;
import dev.obs.exporter.store.MetricsWindow;
import dev.obs.exporter.store.SeriesKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Containers over a window, from the {@code container.*} metrics of {@link ContainerMetricSource}: CPU time used
 * (and its average in cores), the latest memory use and limit, disk and network bytes. The container's
 * counters run since the container started, not since the agent did, so a difference needs two points of
 * the same process: the first inside the window counts as its start when none came before.
 */
public final class ContainerStoreView {
    /** One container (or the cgroup obs itself runs in, named {@code own:<service>}). */
    public record ContainerRow(String name, String service, double cpuSeconds, double cpuCores, long memoryBytes,
                               long memoryLimitBytes, long diskReadBytes, long diskWriteBytes,
                               long networkReceiveBytes, long networkTransmitBytes) {
    }

    private ContainerStoreView() {
    }

    public static List<ContainerRow> containers(MetricsWindow window) {
        Map<String, ContainerRow> out = new LinkedHashMap<>();
        for (MetricsSnapshot[] pair : window.firstAndLast()) {
            MetricsSnapshot base = pair[0];
            MetricsSnapshot last = pair[1];
            Map<String, double[]> acc = new LinkedHashMap<>();
            double seconds = base == null || base == last ? 0 : (last.timeNanos() - base.timeNanos()) / 1e9;
            for (Map.Entry<SeriesKey, MetricPoint> e : last.points().entrySet()) {
                SeriesKey k = e.getKey();
                if (!k.metric().startsWith("container.")) {
                    continue;
                }
                String name = k.attribute("container.name") != null ? k.attribute("container.name")
                        : k.attribute("container.id") != null ? k.attribute("container.id") : "own:" + last.service();
                double[] a = acc.computeIfAbsent(name, n -> new double[8]);
                MetricPoint v = e.getValue();
                MetricPoint before = base == null || base == last ? null : base.points().get(k);
                double delta = before == null || v.value() < before.value() ? Double.NaN : v.value() - before.value();
                switch (k.metric()) {
                    case "container.cpu.time" -> a[0] += delta;
                    case "container.memory.usage" -> a[1] = v.value();
                    case "container.memory.usage.limit" -> a[2] = v.value();
                    case "container.disk.io" -> a["write".equals(k.attribute("disk.io.direction")) ? 4 : 3] += delta;
                    case "container.network.io" ->
                            a["transmit".equals(k.attribute("network.io.direction")) ? 6 : 5] += delta;
                    default -> {
                    }
                }
            }
            for (Map.Entry<String, double[]> e : acc.entrySet()) {
                double[] a = e.getValue();
                out.put(e.getKey() + "\u0000" + last.service(), new ContainerRow(e.getKey(), last.service(), a[0],
                        seconds > 0 ? a[0] / seconds : Double.NaN, (long) a[1], (long) a[2], whole(a[3]),
                        whole(a[4]), whole(a[5]), whole(a[6])));
            }
        }
        return new ArrayList<>(out.values());
    }

    private static long whole(double v) {
        return Double.isNaN(v) ? -1 : Math.round(v);
    }
}
