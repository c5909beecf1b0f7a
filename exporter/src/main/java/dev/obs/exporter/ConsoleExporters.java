package dev.obs.exporter;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.PrintStream;
import java.util.Collection;

/** One human-readable line per span or metric point, on stderr (stdout belongs to the application). */
final class ConsoleExporters {
    private static final PrintStream OUT = System.err;

    private ConsoleExporters() {
    }

    static final class Spans implements SpanExporter {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            StringBuilder b = new StringBuilder();
            for (SpanData s : spans) {
                b.append("obs span ").append(s.getName())
                        .append(' ').append(String.format("%.3fms", (s.getEndEpochNanos() - s.getStartEpochNanos()) / 1e6))
                        .append(" trace=").append(s.getTraceId()).append(" span=").append(s.getSpanId())
                        .append(" parent=").append(s.getParentSpanId())
                        .append(" status=").append(s.getStatus().getStatusCode())
                        .append(' ').append(s.getAttributes()).append('\n');
            }
            OUT.print(b);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }

    static final class Metrics implements MetricExporter {
        @Override
        public CompletableResultCode export(Collection<MetricData> metrics) {
            StringBuilder b = new StringBuilder();
            for (MetricData m : metrics) {
                for (PointData p : m.getData().getPoints()) {
                    b.append("obs metric ").append(m.getName()).append(p.getAttributes()).append(' ')
                            .append(describe(p)).append('\n');
                }
            }
            OUT.print(b);
            return CompletableResultCode.ofSuccess();
        }

        private static String describe(PointData p) {
            if (p instanceof io.opentelemetry.sdk.metrics.data.HistogramPointData h) {
                return "count=" + h.getCount() + " sum=" + h.getSum();
            }
            if (p instanceof io.opentelemetry.sdk.metrics.data.LongPointData l) {
                return "value=" + l.getValue();
            }
            return p.toString();
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
            return CompletableResultCode.ofSuccess();
        }
    }
}
