package dev.obs.exporter.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns one OTLP-JSON request (a store line) into the same request in protobuf, for {@code obs replay}. The
 * OTLP JSON mapping is protobuf's with hex ids: the walk below is driven by a table of OTLP's messages (field
 * names to numbers and wire types, from opentelemetry-proto), so every field the agent or a Collector writes
 * is carried over; a field the table does not know is left out.
 */
public final class OtlpProtoEncoder {
    private static final JsonFactory JSON = new JsonFactory();

    /** How a JSON value is written. */
    private enum Type { STRING, BYTES_HEX, BYTES_B64, ENUM, BOOL, INT64, FIXED32, FIXED64, SFIXED64, DOUBLE, UINT32, MESSAGE }

    private record Field(int number, Type type, String message, boolean packed) {
    }

    private static final Map<String, Map<String, Field>> MESSAGES = new HashMap<>();

    private static void message(String name, Object... fields) {
        Map<String, Field> m = new HashMap<>();
        for (int i = 0; i < fields.length; i += 3) {
            String json = (String) fields[i];
            int number = (Integer) fields[i + 1];
            Object type = fields[i + 2];
            if (type instanceof Type t) {
                m.put(json, new Field(number, t, null, false));
            } else if (((String) type).startsWith("packed:")) {
                m.put(json, new Field(number, Type.valueOf(((String) type).substring(7)), null, true));
            } else {
                m.put(json, new Field(number, Type.MESSAGE, (String) type, false));
            }
        }
        MESSAGES.put(name, m);
    }

    static {
        message("ExportTraceServiceRequest", "resourceSpans", 1, "ResourceSpans");
        message("ExportMetricsServiceRequest", "resourceMetrics", 1, "ResourceMetrics");
        message("ResourceSpans", "resource", 1, "Resource", "scopeSpans", 2, "ScopeSpans", "schemaUrl", 3, Type.STRING);
        message("ResourceMetrics", "resource", 1, "Resource", "scopeMetrics", 2, "ScopeMetrics",
                "schemaUrl", 3, Type.STRING);
        message("Resource", "attributes", 1, "KeyValue", "droppedAttributesCount", 2, Type.UINT32);
        message("InstrumentationScope", "name", 1, Type.STRING, "version", 2, Type.STRING, "attributes", 3, "KeyValue",
                "droppedAttributesCount", 4, Type.UINT32);
        message("ScopeSpans", "scope", 1, "InstrumentationScope", "spans", 2, "Span", "schemaUrl", 3, Type.STRING);
        message("ScopeMetrics", "scope", 1, "InstrumentationScope", "metrics", 2, "Metric", "schemaUrl", 3, Type.STRING);
        message("Span", "traceId", 1, Type.BYTES_HEX, "spanId", 2, Type.BYTES_HEX, "traceState", 3, Type.STRING,
                "parentSpanId", 4, Type.BYTES_HEX, "flags", 16, Type.FIXED32, "name", 5, Type.STRING,
                "kind", 6, Type.ENUM, "startTimeUnixNano", 7, Type.FIXED64, "endTimeUnixNano", 8, Type.FIXED64,
                "attributes", 9, "KeyValue", "droppedAttributesCount", 10, Type.UINT32, "events", 11, "Event",
                "droppedEventsCount", 12, Type.UINT32, "links", 13, "Link", "droppedLinksCount", 14, Type.UINT32,
                "status", 15, "Status");
        message("Event", "timeUnixNano", 1, Type.FIXED64, "name", 2, Type.STRING, "attributes", 3, "KeyValue",
                "droppedAttributesCount", 4, Type.UINT32);
        message("Link", "traceId", 1, Type.BYTES_HEX, "spanId", 2, Type.BYTES_HEX, "traceState", 3, Type.STRING,
                "attributes", 4, "KeyValue", "droppedAttributesCount", 5, Type.UINT32, "flags", 6, Type.FIXED32);
        message("Status", "message", 2, Type.STRING, "code", 3, Type.ENUM);
        message("KeyValue", "key", 1, Type.STRING, "value", 2, "AnyValue");
        message("AnyValue", "stringValue", 1, Type.STRING, "boolValue", 2, Type.BOOL, "intValue", 3, Type.INT64,
                "doubleValue", 4, Type.DOUBLE, "arrayValue", 5, "ArrayValue", "kvlistValue", 6, "KeyValueList",
                "bytesValue", 7, Type.BYTES_B64);
        message("ArrayValue", "values", 1, "AnyValue");
        message("KeyValueList", "values", 1, "KeyValue");
        message("Metric", "name", 1, Type.STRING, "description", 2, Type.STRING, "unit", 3, Type.STRING,
                "gauge", 5, "Gauge", "sum", 7, "Sum", "histogram", 9, "Histogram", "metadata", 12, "KeyValue");
        message("Gauge", "dataPoints", 1, "NumberDataPoint");
        message("Sum", "dataPoints", 1, "NumberDataPoint", "aggregationTemporality", 2, Type.ENUM,
                "isMonotonic", 3, Type.BOOL);
        message("Histogram", "dataPoints", 1, "HistogramDataPoint", "aggregationTemporality", 2, Type.ENUM);
        message("NumberDataPoint", "attributes", 7, "KeyValue", "startTimeUnixNano", 2, Type.FIXED64,
                "timeUnixNano", 3, Type.FIXED64, "asDouble", 4, Type.DOUBLE, "asInt", 6, Type.SFIXED64,
                "exemplars", 5, "Exemplar", "flags", 8, Type.UINT32);
        message("HistogramDataPoint", "attributes", 9, "KeyValue", "startTimeUnixNano", 2, Type.FIXED64,
                "timeUnixNano", 3, Type.FIXED64, "count", 4, Type.FIXED64, "sum", 5, Type.DOUBLE,
                "bucketCounts", 6, "packed:FIXED64", "explicitBounds", 7, "packed:DOUBLE", "exemplars", 8, "Exemplar",
                "flags", 10, Type.UINT32, "min", 11, Type.DOUBLE, "max", 12, Type.DOUBLE);
        message("Exemplar", "filteredAttributes", 7, "KeyValue", "timeUnixNano", 2, Type.FIXED64,
                "asDouble", 3, Type.DOUBLE, "asInt", 6, Type.SFIXED64, "spanId", 4, Type.BYTES_HEX,
                "traceId", 5, Type.BYTES_HEX);
    }

    private OtlpProtoEncoder() {
    }

    /** A traces line as an {@code ExportTraceServiceRequest} in protobuf. */
    public static byte[] traces(byte[] buf, int off, int len) throws IOException {
        return encode(buf, off, len, "ExportTraceServiceRequest");
    }

    /** A metrics line as an {@code ExportMetricsServiceRequest} in protobuf. */
    public static byte[] metrics(byte[] buf, int off, int len) throws IOException {
        return encode(buf, off, len, "ExportMetricsServiceRequest");
    }

    private static byte[] encode(byte[] buf, int off, int len, String root) throws IOException {
        try (JsonParser p = JSON.createParser(buf, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(len / 2);
            writeMessage(p, root, out);
            return out.toByteArray();
        }
    }

    /** Reads the object the parser is at (after its START_OBJECT) and writes its fields. */
    private static void writeMessage(JsonParser p, String message, ByteArrayOutputStream out) throws IOException {
        Map<String, Field> fields = MESSAGES.get(message);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            Field f = fields.get(p.currentName());
            JsonToken t = p.nextToken();
            if (f == null || t == JsonToken.VALUE_NULL) {
                p.skipChildren();
                continue;
            }
            if (t == JsonToken.START_ARRAY) {
                if (f.packed) {
                    ByteArrayOutputStream packed = new ByteArrayOutputStream();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        writeScalar(p, f.type, packed);
                    }
                    tag(out, f.number, 2);
                    varint(out, packed.size());
                    packed.writeTo(out);
                } else {
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        writeField(p, f, out);
                    }
                }
            } else {
                writeField(p, f, out);
            }
        }
    }

    private static void writeField(JsonParser p, Field f, ByteArrayOutputStream out) throws IOException {
        if (f.type == Type.MESSAGE) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw new IOException("expected an object for a " + f.message);
            }
            ByteArrayOutputStream inner = new ByteArrayOutputStream();
            writeMessage(p, f.message, inner);
            tag(out, f.number, 2);
            varint(out, inner.size());
            inner.writeTo(out);
            return;
        }
        int wire = switch (f.type) {
            case STRING, BYTES_HEX, BYTES_B64 -> 2;
            case FIXED32 -> 5;
            case FIXED64, SFIXED64, DOUBLE -> 1;
            default -> 0;
        };
        tag(out, f.number, wire);
        writeScalar(p, f.type, out);
    }

    private static void writeScalar(JsonParser p, Type type, ByteArrayOutputStream out) throws IOException {
        switch (type) {
            case STRING -> bytes(out, p.getText().getBytes(StandardCharsets.UTF_8));
            case BYTES_HEX -> bytes(out, hex(p.getText()));
            case BYTES_B64 -> bytes(out, Base64.getDecoder().decode(p.getText()));
            case ENUM -> varint(out, enumOf(p));
            case UINT32, INT64 -> varint(out, longOf(p));
            case BOOL -> varint(out, p.getValueAsBoolean() ? 1 : 0);
            case FIXED32 -> {
                long v = longOf(p);
                for (int i = 0; i < 4; i++) {
                    out.write((int) (v >>> (8 * i)));
                }
            }
            case FIXED64, SFIXED64 -> fixed64(out, longOf(p));
            case DOUBLE -> fixed64(out, Double.doubleToLongBits(doubleOf(p)));
            default -> throw new IOException("unexpected " + type);
        }
    }

    private static long longOf(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            String s = p.getText();
            try {
                return Long.parseUnsignedLong(s);
            } catch (NumberFormatException e) {
                try {
                    return Long.parseLong(s);
                } catch (NumberFormatException e2) {
                    throw new IOException("not an integer: " + s);
                }
            }
        }
        return p.getValueAsLong();
    }

    /** Numbers, or the names a Collector may write for span kinds, status codes and temporalities. */
    private static long enumOf(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING && !p.getText().isEmpty()
                && !Character.isDigit(p.getText().charAt(0))) {
            String name = p.getText();
            return switch (name) {
                case "SPAN_KIND_INTERNAL", "STATUS_CODE_OK", "AGGREGATION_TEMPORALITY_DELTA" -> 1;
                case "SPAN_KIND_SERVER", "STATUS_CODE_ERROR", "AGGREGATION_TEMPORALITY_CUMULATIVE" -> 2;
                case "SPAN_KIND_CLIENT" -> 3;
                case "SPAN_KIND_PRODUCER" -> 4;
                case "SPAN_KIND_CONSUMER" -> 5;
                default -> 0;
            };
        }
        return longOf(p);
    }

    private static double doubleOf(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            return switch (p.getText()) {
                case "NaN" -> Double.NaN;
                case "Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(p.getText());
            };
        }
        return p.getValueAsDouble();
    }

    private static byte[] hex(String s) throws IOException {
        if (s.length() % 2 != 0) {
            throw new IOException("odd hex id: " + s);
        }
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            int hi = Character.digit(s.charAt(2 * i), 16);
            int lo = Character.digit(s.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IOException("not a hex id: " + s);
            }
            b[i] = (byte) (hi << 4 | lo);
        }
        return b;
    }

    private static void tag(ByteArrayOutputStream out, int number, int wire) {
        varint(out, ((long) number << 3) | wire);
    }

    private static void bytes(ByteArrayOutputStream out, byte[] b) {
        varint(out, b.length);
        out.writeBytes(b);
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static void fixed64(ByteArrayOutputStream out, long v) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }
}
