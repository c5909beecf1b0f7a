package dev.obs.exporter;

import java.util.Arrays;

/** Finds a series of the metric path by its exported name and attribute values, for tests. */
public final class ExactSeries {
    private ExactSeries() {
    }

    /** The histogram {@code metric} with exactly these attribute values, or null. */
    public static StripedHistogram histogram(String metric, String... attributes) {
        for (StripedHistogram h : ExactMetrics.histograms()) {
            if (metric.equals(h.metric) && Arrays.equals(h.attributeValues, attributes)) {
                return h;
            }
        }
        return null;
    }

    /** The sum {@code metric} with exactly these attribute values, or null. */
    public static ExactCounter counter(String metric, String... attributes) {
        for (ExactCounter c : ExactMetrics.counters()) {
            if (metric.equals(c.metric) && Arrays.equals(c.attributeValues, attributes)) {
                return c;
            }
        }
        return null;
    }
}
