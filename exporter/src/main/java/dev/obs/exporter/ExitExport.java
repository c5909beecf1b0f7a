package dev.obs.exporter;

import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.concurrent.TimeUnit;

/**
 * The last export, on the exporter thread once the shutdown began, within 90 % of the shutdown timeout:
 * everything recorded is drained; the metrics are exported first (small, and they carry the counts) unless
 * the spans left fit in one batch, then the spans with the time left (all but 200 ms or a quarter of it, and
 * only while the first destination has not failed since the exit began: a collector that refuses connections
 * is not tried batch after batch), then the metrics (again) with every span not exported by then counted as
 * dropped ({@code shutdown}). The exit summary is printed as that export starts (its span counts are final,
 * and the first metric export's outcome is that of the metric values), or once it is answered when it is the
 * only one. A short program's exit is thus one span export and one metric export (whose sources are
 * collected while the spans are on their way): a second collection of every metric would buy nothing when
 * one batch of spans goes ahead of it.
 */
final class ExitExport {
    /** The time kept for the last metrics after the spans (at most a quarter of what is left). */
    private static final long FINAL_METRICS_RESERVE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private ExitExport() {
    }

    static void run(ExportPipeline pipeline, long shutdownStartedNanos) throws Throwable {
        ExporterSettings settings = pipeline.settings();
        SessionStarter starter = pipeline.starter();
        SpanShipper spans = pipeline.spans();
        long deadline = shutdownStartedNanos + settings.shutdownTimeout().toNanos() * 9 / 10;
        if (!starter.started() && pipeline.queueEmpty() && !pipeline.anyMetricRecorded()) {
            if (settings.summary()) {
                System.err.println("obs summary: nothing recorded");
            }
            return;
        }
        // only once there is something to export, and only when something sends: a program that records
        // nothing, or exports over no OTLP, never loads the sender
        if (settings.exporters().contains("otlp")) {
            UrlConnectionSender.stopRetrying();
        }
        if (!starter.started()) {
            starter.openHere();
        } else {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            starter.join(Math.max(1, left));
            if (!starter.ready()) {
                spans.drainAll();
                if (settings.summary()) {
                    System.err.printf("obs summary: the exporter was still starting at the shutdown deadline;"
                            + " %d spans dropped (shutdown)%n", spans.staged());
                }
                return;
            }
        }
        MetricShipper metrics = pipeline.connect();
        ExportSession session = starter.session();
        spans.drainAll();
        SelfMetrics.ExporterCounters first = session.first();
        long failuresBefore = first == null ? 0 : first.spanFailures.get() + first.metricFailures.get();
        // every metric value is drained by now, so this export covers them all
        boolean oneBatch = spans.fitsOneBatch();
        CompletableResultCode metricsFirst = oneBatch ? null : metrics.export();
        long spansDeadline = deadline - Math.min((deadline - System.nanoTime()) / 4, FINAL_METRICS_RESERVE_NANOS);
        while (System.nanoTime() < spansDeadline && spans.hasUnsent()
                && (first == null || first.spanFailures.get() + first.metricFailures.get() == failuresBefore)) {
            if (!spans.firstHasRoom()) {
                spans.awaitFirstsOldest(spansDeadline);
            } else if (spans.staged() == 0) {
                spans.flush();
            } else {
                spans.convertStaged(SpanShipper.CONVERT_PER_TURN);
            }
        }
        if (oneBatch) {
            metrics.collectSourcesAhead();
        }
        spans.awaitAll(spansDeadline);
        spans.abandonUnexported();
        CompletableResultCode last = metrics.export();
        CompletableResultCode valuesExport = metricsFirst;
        if (metricsFirst == null) {
            // the only metric export: its outcome is the values', so the summary waits for it (until the deadline)
            valuesExport = last;
            if (last != null && settings.summary()) {
                last.join(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        }
        // The span counts are final now; otherwise the summary goes before the wait for the last metrics, so
        // that neither a slow collector nor a busy machine can push it past the shutdown hook's end.
        if (settings.summary()) {
            ExitSummary.print(System.err, settings, session, spans, metrics, valuesExport);
        }
        if (last != null) {
            last.join(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        metrics.closeLogs(deadline);
        session.shutdownDestinations();
    }
}
