package dev.obs.exporter.store;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/** Builds operation rows from one duration histogram whose series are split by attributes. */
public final class HistogramRows {
    private HistogramRows() {
    }

    /**
     * One row per operation name of {@code metric}'s series: counts, errors (series that {@code isError}
     * accepts) and the merged histogram.
     */
    public static void add(Map<SeriesKey, MetricPoint> series, String metric, String family,
                           Function<SeriesKey, String> operation, Predicate<SeriesKey> isError, double seconds,
                           List<OperationRow> out) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, MetricPoint> latency = new LinkedHashMap<>();
        series.entrySet().stream()
                .filter(e -> e.getKey().metric().equals(metric) && e.getValue().kind == MetricPoint.Kind.HISTOGRAM)
                .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(k -> k.attributes().toString())))
                .forEach(e -> {
                    String op = operation.apply(e.getKey());
                    long[] c = counts.computeIfAbsent(op, k -> new long[2]);
                    c[0] += e.getValue().count;
                    if (isError.test(e.getKey())) {
                        c[1] += e.getValue().count;
                    }
                    latency.merge(op, e.getValue(), MetricPoint::plus);
                });
        counts.forEach((op, c) -> {
            if (c[0] > 0) {
                out.add(OperationRow.of(family, op, c[0], c[1], seconds, latency.get(op), -1, false));
            }
        });
    }

    /** The sum of a counter's series that {@code match} accepts. */
    public static long sum(Map<SeriesKey, MetricPoint> series, String metric, Predicate<SeriesKey> match) {
        long total = 0;
        for (Map.Entry<SeriesKey, MetricPoint> e : series.entrySet()) {
            if (e.getKey().metric().equals(metric) && match.test(e.getKey())) {
                total += e.getValue().isDouble ? Math.round(e.getValue().doubleValue) : e.getValue().longValue;
            }
        }
        return total;
    }
}
