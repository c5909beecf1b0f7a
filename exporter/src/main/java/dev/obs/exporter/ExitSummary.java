package dev.obs.exporter;

import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.PrintStream;

/**
 * The exit summary ({@code obs.summary}): what was recorded, exported and dropped by reason, the latency of
 * each operation, and each metric source's part (the fs family's table, a line of others).
 */
final class ExitSummary {
    private ExitSummary() {
    }

    /** {@code valuesExport}: the metric export that covers every value; its outcome is theirs. */
    static void print(PrintStream out, ExporterSettings settings, ExportSession session, SpanShipper spans,
                      MetricShipper metrics, CompletableResultCode valuesExport) {
        SelfMetrics.Drops d = spans.drops();
        long spansExported = session.counters.length > 0 ? session.counters[0].spansExported.get() : 0;
        long values = MetricShipper.metricValues();
        boolean lastDone = valuesExport != null && valuesExport.isDone();
        long valuesExported = lastDone && valuesExport.isSuccess() ? values
                : Math.min(values, metrics.valuesExported());
        long valuesLost = values - valuesExported;
        long valuesFailed = lastDone ? valuesLost : 0;
        long valuesShutdown = lastDone ? 0 : valuesLost;
        StringBuilder b = new StringBuilder();
        b.append(String.format("obs summary: %d spans: %d exported, %d dropped spans (shed %d in %d traces,"
                        + " queue_full %d, backlog %d, export_failed %d, shutdown %d%s); %d metric values: %d exported,"
                        + " %d dropped values (export_failed %d, shutdown %d); %d export failures%n",
                spans.accepted() + d.queueFull() + d.shed(), spansExported, d.spans(), d.shed(), d.shedTraces(),
                d.queueFull(), d.backlog(), d.exportFailed(), d.shutdown(),
                d.noExporter() > 0 ? ", no_exporter " + d.noExporter() : "", values, valuesExported,
                valuesLost, valuesFailed, valuesShutdown, session.self.exportFailures()));
        b.append(String.format("  %-40s %10s %8s %12s %12s %12s%n", "operation", "count", "errors", "p50 us",
                "p95 us", "p99 us"));
        for (MetricsAggregator.Operation op : session.aggregator.operations()) {
            b.append(String.format("  %-40s %10d %8d %12.1f %12.1f %12.1f%n", op.name, op.count(), op.errors(),
                    op.valueAtPercentile(50) / 1e3, op.valueAtPercentile(95) / 1e3, op.valueAtPercentile(99) / 1e3));
        }
        for (MetricSource source : session.sources) {
            source.appendSummary(b);
        }
        if (settings.exporters().contains("file")) {
            b.append("  store: ").append(settings.storeDir().toAbsolutePath()).append(System.lineSeparator());
        }
        out.print(b);
        out.flush();
    }
}
