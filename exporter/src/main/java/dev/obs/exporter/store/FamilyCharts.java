package dev.obs.exporter.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Time series for charts: per family (or per operation), each bucket of a window read with buckets
 * ({@link StoreReader#metrics(TimeWindow, long, int)}): operations counted, their rate, and the latency
 * percentiles of the bucket's merged histogram.
 */
public final class FamilyCharts {
    /** One bucket of one series: NaN latencies when nothing with a latency ran in it. */
    public record Point(long startNanos, long endNanos, long count, long errors, double ratePerSecond,
                        double p50Seconds, double p95Seconds, double p99Seconds) {
    }

    private FamilyCharts() {
    }

    /** Family name → one point per bucket (families in table order; only those with operations). */
    public static Map<String, List<Point>> byFamily(MetricsWindow w, String service) {
        return build(w, service, true);
    }

    /** Operation name → one point per bucket. */
    public static Map<String, List<Point>> byOperation(MetricsWindow w, String service) {
        return build(w, service, false);
    }

    private static Map<String, List<Point>> build(MetricsWindow w, String service, boolean family) {
        int n = w.bucketCount();
        Map<String, List<Point>> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            long start = w.bucketStartNanos(i);
            long end = w.bucketEndNanos(i);
            double seconds = Math.max(1e-9, (end - start) / 1e9);
            Map<String, long[]> counts = new LinkedHashMap<>();
            Map<String, MetricPoint> latency = new LinkedHashMap<>();
            for (OperationRow r : OperationsTable.rows(w.bucket(i, service), seconds, null, null)) {
                String key = family ? r.family() : r.operation();
                long[] c = counts.computeIfAbsent(key, k -> new long[2]);
                c[0] += r.count();
                c[1] += r.errors();
                if (r.latency() != null && r.latency().count > 0) {
                    latency.merge(key, r.latency(), MetricPoint::plus);
                }
            }
            for (Map.Entry<String, long[]> e : counts.entrySet()) {
                MetricPoint l = latency.get(e.getKey());
                List<Point> series = out.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
                // a series that starts later gets empty points for the buckets before it
                while (series.size() < i) {
                    int j = series.size();
                    series.add(new Point(w.bucketStartNanos(j), w.bucketEndNanos(j), 0, 0, 0, Double.NaN,
                            Double.NaN, Double.NaN));
                }
                series.add(new Point(start, end, e.getValue()[0], e.getValue()[1], e.getValue()[0] / seconds,
                        l == null ? Double.NaN : l.quantile(0.5), l == null ? Double.NaN : l.quantile(0.95),
                        l == null ? Double.NaN : l.quantile(0.99)));
            }
        }
        for (List<Point> series : out.values()) {
            while (series.size() < n) {
                int j = series.size();
                series.add(new Point(w.bucketStartNanos(j), w.bucketEndNanos(j), 0, 0, 0, Double.NaN, Double.NaN,
                        Double.NaN));
            }
        }
        return out;
    }
}
