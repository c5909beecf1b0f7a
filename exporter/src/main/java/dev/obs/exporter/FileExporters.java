package dev.obs.exporter;

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
            try {
                store.append(TraceRequestMarshaler.create(spans));
                return CompletableResultCode.ofSuccess();
            } catch (IOException | RuntimeException e) {
                return CompletableResultCode.ofFailure();
            }
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
            try {
                store.append(MetricsRequestMarshaler.create(metrics));
                return CompletableResultCode.ofSuccess();
            } catch (IOException | RuntimeException e) {
                return CompletableResultCode.ofFailure();
            }
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
            try {
                store.append(io.opentelemetry.exporter.internal.otlp.logs.LogsRequestMarshaler.create(logs));
                return CompletableResultCode.ofSuccess();
            } catch (IOException | RuntimeException e) {
                return CompletableResultCode.ofFailure();
            }
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

    private static CompletableResultCode closeStore(JsonLinesStore store) {
        try {
            store.close();
            return CompletableResultCode.ofSuccess();
        } catch (IOException e) {
            return CompletableResultCode.ofFailure();
        }
    }
}
