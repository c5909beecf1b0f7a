package dev.obs.exporter.store;

import java.util.Map;

/** One stored span. Status codes are OTLP's: 0 unset, 1 ok, 2 error. Attribute values are shown as text. */
public record SpanRecord(String traceId, String spanId, String parentSpanId, String name, int kind, long startNanos,
                         long endNanos, int statusCode, String statusMessage, Map<String, String> attributes,
                         String service) {
    public long durationNanos() {
        return Math.max(0, endNanos - startNanos);
    }

    public boolean isError() {
        return statusCode == 2;
    }

    public boolean isRoot() {
        return parentSpanId == null || parentSpanId.isEmpty();
    }

    static final class Builder {
        String traceId = "";
        String spanId = "";
        String parentSpanId = "";
        String name = "";
        int kind;
        long startNanos;
        long endNanos;
        int statusCode;
        String statusMessage = "";
        Map<String, String> attributes = Map.of();

        SpanRecord build(String service) {
            return new SpanRecord(traceId, spanId, parentSpanId, name, kind, startNanos, endNanos, statusCode,
                    statusMessage, attributes, service);
        }
    }
}
