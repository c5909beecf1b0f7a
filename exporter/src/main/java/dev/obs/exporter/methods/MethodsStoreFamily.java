package dev.obs.exporter.methods;

import dev.obs.exporter.store.HistogramRows;
import dev.obs.exporter.store.MetricPoint;
import dev.obs.exporter.store.OperationRow;
import dev.obs.exporter.store.SeriesKey;
import dev.obs.exporter.store.StoreFamily;
import java.util.List;
import java.util.Map;

/**
 * Configured methods from {@code obs.method.duration}, named as their spans are ({@code Class.method}, the
 * class without its package); a series with {@code error.type} counts as errors.
 */
public final class MethodsStoreFamily implements StoreFamily {
    @Override
    public String name() {
        return "methods";
    }

    @Override
    public void operations(Map<SeriesKey, MetricPoint> series, double seconds, List<OperationRow> out) {
        HistogramRows.add(series, "obs.method.duration", name(), MethodsStoreFamily::operation,
                k -> k.attributes().containsKey("error.type"), seconds, out);
    }

    private static String operation(SeriesKey k) {
        String namespace = k.attributes().getOrDefault("code.namespace", "?");
        String simple = namespace.substring(namespace.lastIndexOf('.') + 1);
        return simple + "." + k.attributes().getOrDefault("code.function", "?");
    }
}
