package dev.obs.exporter.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Reads one store line, an OTLP-JSON {@code ExportMetricsServiceRequest} or {@code ExportTraceServiceRequest}
 * (as the OpenTelemetry SDK and the Collector's file exporter write it: 64-bit integers as strings, ids in
 * hex), with Jackson's streaming parser. The same parser reads a live agent's {@code /metrics/json}.
 * Unknown fields are skipped, so newer writers stay readable.
 */
public final class OtlpJsonReader {
    private static final JsonFactory JSON = new JsonFactory();

    private OtlpJsonReader() {
    }

    /** A parsed metrics line: one snapshot per resource it holds (the agent writes one). */
    public static List<MetricsSnapshot> readMetrics(byte[] buf, int off, int len) throws IOException {
        List<MetricsSnapshot> out = new ArrayList<>(1);
        try (JsonParser p = JSON.createParser(buf, off, len)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, p);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("resourceMetrics")) {
                    expect(p.currentToken(), JsonToken.START_ARRAY, p);
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        out.add(resourceMetrics(p));
                    }
                } else {
                    p.skipChildren();
                }
            }
            expectEnd(p);
        }
        return out;
    }

    /** Every span of a traces line, with the service of its resource. */
    public static void readSpans(byte[] buf, int off, int len, Consumer<SpanRecord> sink) throws IOException {
        try (JsonParser p = JSON.createParser(buf, off, len)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, p);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("resourceSpans")) {
                    expect(p.currentToken(), JsonToken.START_ARRAY, p);
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        resourceSpans(p, sink);
                    }
                } else {
                    p.skipChildren();
                }
            }
            expectEnd(p);
        }
    }

    private static MetricsSnapshot resourceMetrics(JsonParser p) throws IOException {
        Map<String, String> resource = Map.of();
        Map<SeriesKey, MetricPoint> points = new HashMap<>();
        long time = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            if (field.equals("resource")) {
                resource = resource(p);
            } else if (field.equals("scopeMetrics")) {
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        p.nextToken();
                        if (f.equals("metrics")) {
                            while (p.nextToken() == JsonToken.START_OBJECT) {
                                time = Math.max(time, metric(p, points));
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        return new MetricsSnapshot(resource, time, points);
    }

    /** Reads one metric into {@code points}; returns the latest point time. */
    private static long metric(JsonParser p, Map<SeriesKey, MetricPoint> points) throws IOException {
        String name = null;
        String unit = "";
        List<Object[]> raw = new ArrayList<>();
        MetricPoint.Kind kind = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "name" -> name = p.getText();
                case "unit" -> unit = p.getText();
                case "sum", "gauge", "histogram" -> {
                    kind = field.equals("sum") ? MetricPoint.Kind.SUM
                            : field.equals("gauge") ? MetricPoint.Kind.GAUGE : MetricPoint.Kind.HISTOGRAM;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        p.nextToken();
                        if (f.equals("dataPoints")) {
                            while (p.nextToken() == JsonToken.START_OBJECT) {
                                raw.add(dataPoint(p));
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        long latest = 0;
        if (name == null || kind == null) {
            return latest;
        }
        for (Object[] r : raw) {
            @SuppressWarnings("unchecked")
            Map<String, String> attributes = (Map<String, String>) r[0];
            double[] d = (double[]) r[1];
            long[] l = (long[]) r[2];
            double[] bounds = (double[]) r[3];
            long[] counts = (long[]) r[4];
            boolean isDouble = l[3] == 1;
            MetricPoint point = new MetricPoint(kind, unit, l[0], l[1], isDouble, l[2], d[0], l[4], d[1],
                    d[2], d[3], bounds, counts);
            points.put(new SeriesKey(name, attributes), point);
            latest = Math.max(latest, l[1]);
        }
        return latest;
    }

    /** {attributes, double[value, sum, min, max], long[start, time, asInt, isDouble, count], bounds, counts}. */
    private static Object[] dataPoint(JsonParser p) throws IOException {
        Map<String, String> attributes = Map.of();
        double[] d = {0, 0, Double.NaN, Double.NaN};
        long[] l = new long[5];
        double[] bounds = new double[0];
        long[] counts = new long[0];
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "attributes" -> attributes = attributes(p, true);
                case "startTimeUnixNano" -> l[0] = longOf(p);
                case "timeUnixNano" -> l[1] = longOf(p);
                case "asInt" -> l[2] = longOf(p);
                case "asDouble" -> {
                    d[0] = p.getValueAsDouble();
                    l[3] = 1;
                }
                case "count" -> l[4] = longOf(p);
                case "sum" -> d[1] = p.getValueAsDouble();
                case "min" -> d[2] = p.getValueAsDouble();
                case "max" -> d[3] = p.getValueAsDouble();
                case "bucketCounts" -> {
                    List<Long> c = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        c.add(longOf(p));
                    }
                    counts = c.stream().mapToLong(Long::longValue).toArray();
                }
                case "explicitBounds" -> {
                    List<Double> b = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        b.add(p.getValueAsDouble());
                    }
                    bounds = b.stream().mapToDouble(Double::doubleValue).toArray();
                }
                default -> p.skipChildren();
            }
        }
        return new Object[] {attributes, d, l, bounds, counts};
    }

    private static void resourceSpans(JsonParser p, Consumer<SpanRecord> sink) throws IOException {
        Map<String, String> resource = Map.of();
        List<SpanRecord.Builder> spans = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            if (field.equals("resource")) {
                resource = resource(p);
            } else if (field.equals("scopeSpans")) {
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        p.nextToken();
                        if (f.equals("spans")) {
                            while (p.nextToken() == JsonToken.START_OBJECT) {
                                spans.add(span(p));
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        String service = resource.getOrDefault("service.name", "unknown_service");
        for (SpanRecord.Builder b : spans) {
            sink.accept(b.build(service));
        }
    }

    private static SpanRecord.Builder span(JsonParser p) throws IOException {
        SpanRecord.Builder b = new SpanRecord.Builder();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "traceId" -> b.traceId = p.getText();
                case "spanId" -> b.spanId = p.getText();
                case "parentSpanId" -> b.parentSpanId = p.getText();
                case "name" -> b.name = p.getText();
                case "kind" -> b.kind = p.getValueAsInt();
                case "startTimeUnixNano" -> b.startNanos = longOf(p);
                case "endTimeUnixNano" -> b.endNanos = longOf(p);
                case "attributes" -> b.attributes = attributes(p, false);
                case "status" -> {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        p.nextToken();
                        if (f.equals("code")) {
                            b.statusCode = p.currentToken() == JsonToken.VALUE_STRING
                                    ? statusOf(p.getText()) : p.getValueAsInt();
                        } else if (f.equals("message")) {
                            b.statusMessage = p.getText();
                        } else {
                            p.skipChildren();
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        return b;
    }

    private static int statusOf(String text) {
        return switch (text) {
            case "STATUS_CODE_OK" -> 1;
            case "STATUS_CODE_ERROR" -> 2;
            default -> 0;
        };
    }

    private static Map<String, String> resource(JsonParser p) throws IOException {
        Map<String, String> out = Map.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            if (field.equals("attributes")) {
                out = attributes(p, false);
            } else {
                p.skipChildren();
            }
        }
        return out;
    }

    /** An OTLP KeyValue list as strings; arrays joined with spaces. Sorted when used as a series identity. */
    private static Map<String, String> attributes(JsonParser p, boolean sorted) throws IOException {
        Map<String, String> out = sorted ? new TreeMap<>() : new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String key = null;
            String value = "";
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("key")) {
                    key = p.getText();
                } else if (field.equals("value")) {
                    value = anyValue(p);
                } else {
                    p.skipChildren();
                }
            }
            if (key != null) {
                out.put(key, value);
            }
        }
        return out;
    }

    private static String anyValue(JsonParser p) throws IOException {
        String value = "";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String kind = p.currentName();
            p.nextToken();
            if (kind.equals("arrayValue")) {
                StringBuilder sb = new StringBuilder();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    p.nextToken();
                    if (p.currentToken() == JsonToken.START_ARRAY) {
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            if (sb.length() > 0) {
                                sb.append(' ');
                            }
                            sb.append(anyValue(p));
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                value = sb.toString();
            } else if (p.currentToken().isScalarValue()) {
                value = p.getText();
            } else {
                p.skipChildren();
            }
        }
        return value;
    }

    private static long longOf(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            try {
                return Long.parseLong(p.getText());
            } catch (NumberFormatException e) {
                throw new IOException("not an integer: " + p.getText());
            }
        }
        return p.getValueAsLong();
    }

    private static void expect(JsonToken actual, JsonToken expected, JsonParser p) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + " but found " + actual + " at " + p.currentLocation());
        }
    }

    private static void expectEnd(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new IOException("the line ends before its JSON object");
        }
    }
}
