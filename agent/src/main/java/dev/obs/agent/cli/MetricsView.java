package dev.obs.agent.cli;

import dev.obs.exporter.container.ContainerStoreView;
import dev.obs.exporter.fs.FsStoreFamily;
import dev.obs.exporter.store.MetricPoint;
import dev.obs.exporter.store.MetricsWindow;
import dev.obs.exporter.store.OperationRow;
import dev.obs.exporter.store.OperationsTable;
import dev.obs.exporter.store.SelfHealth;
import dev.obs.exporter.store.SeriesKey;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Everything {@code obs metrics} shows for one window, computed once for text and JSON. */
record MetricsView(MetricsWindow window, String service, String family, List<OperationRow> operations,
                   List<FsStoreFamily.GroupRow> fsGroups, List<ContainerStoreView.ContainerRow> containers,
                   SelfHealth self, Set<String> services, long damagedLines, String source) {

    static MetricsView of(MetricsWindow w, String service, String family, String operationGlob, long damaged,
                          String source) {
        Map<SeriesKey, MetricPoint> series = w.totals(service);
        boolean all = family == null;
        List<OperationRow> rows = family == null || !family.equals("obs")
                ? OperationsTable.rows(series, w.seconds(), family, operationGlob) : List.of();
        List<FsStoreFamily.GroupRow> groups = all || family.equals("fs") ? FsStoreFamily.groups(series) : List.of();
        List<ContainerStoreView.ContainerRow> containers = all || family.equals("docker")
                ? ContainerStoreView.containers(w).stream()
                        .filter(c -> service == null || service.equals(c.service())).toList()
                : List.of();
        SelfHealth self = all || family.equals("obs") ? SelfHealth.of(series) : null;
        return new MetricsView(w, service, family, rows, groups, containers, self, w.services(), damaged, source);
    }
}
