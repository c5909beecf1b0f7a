package dev.obs.exporter.store;

import java.util.Map;

/** One time series: a metric name and its point attributes (resource attributes are the run's, not here). */
public record SeriesKey(String metric, Map<String, String> attributes) {
    public String attribute(String key) {
        return attributes.get(key);
    }
}
