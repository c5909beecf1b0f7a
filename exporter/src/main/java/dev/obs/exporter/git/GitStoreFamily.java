package dev.obs.exporter.git;

import dev.obs.exporter.store.HistogramRows;
import dev.obs.exporter.store.MetricPoint;
import dev.obs.exporter.store.OperationRow;
import dev.obs.exporter.store.SeriesKey;
import dev.obs.exporter.store.StoreFamily;
import java.util.List;
import java.util.Map;

/** Git operations (JGit and the git command line) from {@code git.operation.duration}, by operation. */
public final class GitStoreFamily implements StoreFamily {
    @Override
    public String name() {
        return "git";
    }

    @Override
    public void operations(Map<SeriesKey, MetricPoint> series, double seconds, List<OperationRow> out) {
        HistogramRows.add(series, "git.operation.duration", name(),
                k -> ("git " + k.attributes().getOrDefault("git.operation", "")).trim(),
                k -> "error".equals(k.attribute("git.outcome")), seconds, out);
    }
}
