package dev.obs.exporter.store;

import dev.obs.exporter.docker.ContainerStoreView;
import dev.obs.exporter.fs.FsStoreFamily;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything {@code obs metrics} shows for one window, computed once for the table, {@code --json} and the
 * HTML report: the operations table, file system by group, containers, obs's own health. {@code family}
 * null shows every family; {@code source} names the store directory or the live URL.
 */
public record MetricsSummary(MetricsWindow window, String service, String family, List<OperationRow> operations,
                             List<FsStoreFamily.GroupRow> fsGroups, List<ContainerStoreView.ContainerRow> containers,
                             SelfHealth self, Set<String> services, long damagedLines, String source) {

    public static MetricsSummary of(MetricsWindow w, String service, String family, String operationGlob,
                                    long damagedLines, String source) {
        Map<SeriesKey, MetricPoint> series = w.totals(service);
        boolean all = family == null;
        List<OperationRow> rows = all || !family.equals("obs")
                ? OperationsTable.rows(series, w.seconds(), family, operationGlob) : List.of();
        List<FsStoreFamily.GroupRow> groups = all || family.equals("fs") ? FsStoreFamily.groups(series) : List.of();
        List<ContainerStoreView.ContainerRow> containers = all || family.equals("docker")
                ? ContainerStoreView.containers(w).stream()
                        .filter(c -> service == null || service.equals(c.service())).toList()
                : List.of();
        SelfHealth self = all || family.equals("obs") ? SelfHealth.of(series) : null;
        return new MetricsSummary(w, service, family, rows, groups, containers, self, w.services(), damagedLines,
                source);
    }
}
