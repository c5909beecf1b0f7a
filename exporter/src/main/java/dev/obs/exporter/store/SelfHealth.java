package dev.obs.exporter.store;

import java.util.Map;
import java.util.TreeMap;

/**
 * obs's own figures over a window, from its {@code obs.*} self-metrics: records accepted, exported, dropped
 * (by signal and reason), traces shed, export failures (by exporter and signal), the deepest queue seen.
 */
public record SelfHealth(Map<String, Long> accepted, Map<String, Long> exported, Map<String, Long> dropped,
                         long tracesShed, Map<String, Long> exportFailures, long queueDepthMax) {
    public static SelfHealth of(Map<SeriesKey, MetricPoint> series) {
        Map<String, Long> accepted = new TreeMap<>();
        Map<String, Long> exported = new TreeMap<>();
        Map<String, Long> dropped = new TreeMap<>();
        Map<String, Long> failures = new TreeMap<>();
        long shed = 0;
        long depth = 0;
        for (Map.Entry<SeriesKey, MetricPoint> e : series.entrySet()) {
            SeriesKey k = e.getKey();
            long v = e.getValue().longValue;
            String signal = k.attributes().getOrDefault("signal", "?");
            switch (k.metric()) {
                case "obs.records.accepted" -> accepted.merge(signal, v, Long::sum);
                case "obs.records.exported" ->
                        exported.merge(k.attributes().getOrDefault("exporter", "?") + "/" + signal, v, Long::sum);
                case "obs.records.dropped" ->
                        dropped.merge(signal + "/" + k.attributes().getOrDefault("reason", "?"), v, Long::sum);
                case "obs.export.failures" ->
                        failures.merge(k.attributes().getOrDefault("exporter", "?") + "/" + signal, v, Long::sum);
                case "obs.traces.shed" -> shed += v;
                case "obs.queue.depth.max" -> depth = Math.max(depth, v);
                default -> {
                }
            }
        }
        return new SelfHealth(accepted, exported, dropped, shed, failures, depth);
    }

    public long totalDropped() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }

    public long totalFailures() {
        return exportFailures.values().stream().mapToLong(Long::longValue).sum();
    }
}
