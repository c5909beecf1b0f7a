package dev.obs.exporter.fs;

import dev.obs.exporter.store.HistogramRows;
import dev.obs.exporter.store.MetricPoint;
import dev.obs.exporter.store.OperationRow;
import dev.obs.exporter.store.SeriesKey;
import dev.obs.exporter.store.StoreFamily;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * File-system operations: counts from the exact {@code fs.operations}, errors from {@code fs.errors}, bytes
 * from {@code fs.io.bytes} (reads for {@code read}, writes for {@code write}), and percentiles from the sampled
 * {@code fs.operation.duration}. The table is by operation over all groups; {@link #groups} is by group.
 */
public final class FsStoreFamily implements StoreFamily {
    /** One file group over a window: every operation counted, bytes read and written. */
    public record GroupRow(String group, long operations, long readBytes, long writeBytes,
                           Map<String, Long> operationsByType) {
    }

    @Override
    public String name() {
        return "fs";
    }

    @Override
    public void operations(Map<SeriesKey, MetricPoint> series, double seconds, List<OperationRow> out) {
        Map<String, Long> counts = new TreeMap<>();
        Map<String, MetricPoint> latency = new LinkedHashMap<>();
        series.forEach((k, v) -> {
            String op = k.attribute("fs.operation");
            if (op == null) {
                return;
            }
            if (k.metric().equals("fs.operations")) {
                counts.merge(op, v.longValue, Long::sum);
            } else if (k.metric().equals("fs.operation.duration") && v.kind == MetricPoint.Kind.HISTOGRAM) {
                latency.merge(op, v, MetricPoint::plus);
            }
        });
        List<String> ops = new ArrayList<>(counts.keySet());
        for (String op : ops) {
            long n = counts.get(op);
            if (n == 0) {
                continue;
            }
            long errors = HistogramRows.sum(series, "fs.errors", k -> op.equals(k.attribute("fs.operation")));
            long bytes = op.equals("read") || op.equals("write")
                    ? HistogramRows.sum(series, "fs.io.bytes", k -> (op.equals("read") ? "read" : "write")
                            .equals(k.attribute("fs.io.direction")))
                    : -1;
            MetricPoint l = latency.get(op);
            OperationRow sampled = new OperationRow(name(), "fs " + op, n, errors, n / seconds,
                    l == null ? Double.NaN : l.quantile(0.5), l == null ? Double.NaN : l.quantile(0.95),
                    l == null ? Double.NaN : l.quantile(0.99), l == null ? Double.NaN : l.maxOrBound(), bytes,
                    true, l);
            out.add(sampled);
        }
    }

    /** File system by group over a window's series, most operations first. */
    public static List<GroupRow> groups(Map<SeriesKey, MetricPoint> series) {
        Map<String, Map<String, Long>> ops = new TreeMap<>();
        Map<String, long[]> bytes = new TreeMap<>();
        series.forEach((k, v) -> {
            String group = k.attribute("file.group");
            if (group == null) {
                return;
            }
            if (k.metric().equals("fs.operations")) {
                ops.computeIfAbsent(group, g -> new TreeMap<>())
                        .merge(k.attributes().getOrDefault("fs.operation", "?"), v.longValue, Long::sum);
            } else if (k.metric().equals("fs.io.bytes")) {
                long[] b = bytes.computeIfAbsent(group, g -> new long[2]);
                b["write".equals(k.attribute("fs.io.direction")) ? 1 : 0] += v.longValue;
            }
        });
        List<GroupRow> out = new ArrayList<>();
        java.util.Set<String> groups = new java.util.TreeSet<>(ops.keySet());
        groups.addAll(bytes.keySet());
        for (String g : groups) {
            Map<String, Long> byType = ops.getOrDefault(g, Map.of());
            long total = byType.values().stream().mapToLong(Long::longValue).sum();
            long[] b = bytes.getOrDefault(g, new long[2]);
            if (total > 0 || b[0] > 0 || b[1] > 0) {
                out.add(new GroupRow(g, total, b[0], b[1], byType));
            }
        }
        out.sort((a, b) -> Long.compare(b.operations(), a.operations()));
        return out;
    }
}
