package dev.obs.exporter;

import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * One place records go (otlp, file or console): an OTel SDK metric exporter, and for spans either an SDK
 * span exporter or, for OTLP/HTTP protobuf, obs's own poster of {@link OtlpSpanEncoder} requests (then
 * {@code spans} is null).
 */
record Destination(String name, SpanExporter spans, MetricExporter metrics, OtlpHttpSpanPoster poster) {
    Destination(String name, SpanExporter spans, MetricExporter metrics) {
        this(name, spans, metrics, null);
    }

    void shutdown() {
        if (spans != null) {
            spans.shutdown();
        }
        if (poster != null) {
            poster.shutdown();
        }
        metrics.shutdown();
    }
}
