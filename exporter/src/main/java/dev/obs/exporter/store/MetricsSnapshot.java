package dev.obs.exporter.store;

import java.util.Map;

/** One collection of a process: every cumulative series at {@link #timeNanos}, with the resource that wrote it. */
public record MetricsSnapshot(Map<String, String> resource, long timeNanos, Map<SeriesKey, MetricPoint> points) {
    public String service() {
        return resource.getOrDefault("service.name", "unknown_service");
    }
}
