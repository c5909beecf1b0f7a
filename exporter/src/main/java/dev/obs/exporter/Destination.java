package dev.obs.exporter;

import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/** One place records go (otlp, file or console): an OTel SDK span exporter and metric exporter. */
record Destination(String name, SpanExporter spans, MetricExporter metrics) {
    void shutdown() {
        spans.shutdown();
        metrics.shutdown();
    }
}
