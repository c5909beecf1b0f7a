package dev.obs.exporter;

import io.opentelemetry.exporter.internal.marshal.Marshaler;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.util.Collection;

/** Span, metric and log exporters writing the local store ({@link JsonLinesStore}). */
final class FileExporters {
    private FileExporters() {
    }

    static final class Spans implements SpanExporter {
        private final JsonLinesStore store;

        Spans(JsonLinesStore store) {
            this.store = store;
        }

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            return append(store, TraceRequestMarshaler.create(spans));
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return closeStore(store);
        }
    }

    static final class Metrics implements MetricExporter {
        private final JsonLinesStore store;

        Metrics(JsonLinesStore store) {
            this.store = store;
        }

        @Override
        public CompletableResultCode export(Collection<MetricData> metrics) {
            return append(store, MetricsRequestMarshaler.create(metrics));
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
            return AggregationTemporality.CUMULATIVE;
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return closeStore(store);
        }
    }

    static final class Logs implements io.opentelemetry.sdk.logs.export.LogRecordExporter {
        private final JsonLinesStore store;

        Logs(JsonLinesStore store) {
            this.store = store;
        }

        @Override
        public CompletableResultCode export(Collection<io.opentelemetry.sdk.logs.data.LogRecordData> logs) {
            return append(store, io.opentelemetry.exporter.internal.otlp.logs.LogsRequestMarshaler.create(logs));
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return closeStore(store);
        }
    }

    /** One request as one line of the store; a failed write fails the export, never the caller. */
    private static CompletableResultCode append(JsonLinesStore store, Marshaler request) {
        try {
            store.append(request);
            return CompletableResultCode.ofSuccess();
        } catch (IOException | RuntimeException e) {
            return CompletableResultCode.ofFailure();
        }
    }

    private static CompletableResultCode closeStore(JsonLinesStore store) {
        try {
            store.close();
            return CompletableResultCode.ofSuccess();
        } catch (IOException e) {
            return CompletableResultCode.ofFailure();
        }
    }
}
