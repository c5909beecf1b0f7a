package dev.obs.exporter.process;

import dev.obs.exporter.store.MetricPoint;
import dev.obs.exporter.store.OperationRow;
import dev.obs.exporter.store.SeriesKey;
import dev.obs.exporter.store.StoreFamily;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Subprocesses started, from {@code obs.process.started}, by executable. Their durations are on their spans
 * only (see {@code obs traces}), so these rows have counts and no latency.
 */
public final class ProcessStoreFamily implements StoreFamily {
    @Override
    public String name() {
        return "process";
    }

    @Override
    public void operations(Map<SeriesKey, MetricPoint> series, double seconds, List<OperationRow> out) {
        Map<String, Long> started = new TreeMap<>();
        series.forEach((k, v) -> {
            if (k.metric().equals("obs.process.started")) {
                started.merge(k.attributes().getOrDefault("process.executable.name", "?"), v.longValue, Long::sum);
            }
        });
        started.forEach((exe, n) -> {
            if (n > 0) {
                out.add(new OperationRow(name(), "exec " + exe, n, 0, n / seconds, Double.NaN, Double.NaN,
                        Double.NaN, Double.NaN, -1, false, null));
            }
        });
    }
}
