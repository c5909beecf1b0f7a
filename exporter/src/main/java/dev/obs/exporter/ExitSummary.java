package dev.obs.exporter;

import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.PrintStream;

/**
 * The exit summary ({@code obs.summary}): what was recorded, exported and dropped by reason, the latency of
 * each operation, and each metric source's part (the fs family's table, a line of others). Written with
 * {@link SummaryText}: this runs in the exit every program waits for.
 */
final class ExitSummary {
    private ExitSummary() {
    }

    /** {@code valuesExport}: the metric export that covers every value; its outcome is theirs. */
    static void print(PrintStream out, ExporterSettings settings, ExportSession session, SpanShipper spans,
                      MetricShipper metrics, CompletableResultCode valuesExport) {
        SelfMetrics.Drops d = spans.drops();
        long spansExported = session.counters.length > 0 ? session.counters[0].spansExported.get() : 0;
        StripedHistogram[] series = ExactMetrics.histograms();
        StripedHistogram.Snapshot[] snapshots = MetricShipper.snapshots(series);
        long values = MetricShipper.metricValues(snapshots);
        boolean lastDone = valuesExport != null && valuesExport.isDone();
        long valuesExported = lastDone && valuesExport.isSuccess() ? values
                : Math.min(values, metrics.valuesExported());
        long valuesLost = values - valuesExported;
        long valuesFailed = lastDone ? valuesLost : 0;
        long valuesShutdown = lastDone ? 0 : valuesLost;
        StringBuilder b = new StringBuilder();
        SummaryText t = SummaryText.of(b);
        t.text("obs summary: ").number(spans.accepted() + d.queueFull() + d.shed()).text(" spans: ")
                .number(spansExported).text(" exported, ").number(d.spans()).text(" dropped spans (shed ")
                .number(d.shed()).text(" in ").number(d.shedTraces()).text(" traces, queue_full ").number(d.queueFull())
                .text(", backlog ").number(d.backlog()).text(", export_failed ").number(d.exportFailed())
                .text(", shutdown ").number(d.shutdown());
        if (d.noExporter() > 0) {
            t.text(", no_exporter " + d.noExporter()); // concatenated, not formatted: ASCII digits in every locale
        }
        t.text("); ").number(values).text(" metric values: ").number(valuesExported).text(" exported, ")
                .number(valuesLost).text(" dropped values (export_failed ").number(valuesFailed).text(", shutdown ")
                .number(valuesShutdown).text("); ").number(session.self.exportFailures()).text(" export failures")
                .newline();
        t.text("  ").left("operation", 40).text(" ").right("count", 10).text(" ").right("errors", 8).text(" ")
                .right("p50 us", 12).text(" ").right("p95 us", 12).text(" ").right("p99 us", 12).newline();
        for (MetricsAggregator.Operation op : session.aggregator.operations(series, snapshots)) {
            t.text("  ").left(op.name, 40).text(" ").right(op.count(), 10).text(" ").right(op.errors(), 8).text(" ")
                    .right(op.valueAtPercentile(50) / 1e3, 1, 12).text(" ")
                    .right(op.valueAtPercentile(95) / 1e3, 1, 12).text(" ")
                    .right(op.valueAtPercentile(99) / 1e3, 1, 12).newline();
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
