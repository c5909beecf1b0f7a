package dev.obs.exporter;

import dev.obs.bootstrap.ObsSpan;
import io.opentelemetry.exporter.internal.otlp.ResourceMarshaler;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes recorded spans straight into an OTLP {@code ExportTraceServiceRequest} (protobuf), the body obs
 * posts to an OTLP/HTTP collector, without building SDK {@code SpanData}: no span context objects, no hex
 * trace ids made and parsed back, one pass instead of the marshaler's size pass and write pass. A method
 * span's name and {@code code.*} attributes are encoded once per method and copied. At a few hundred
 * thousand spans in a burst, this is most of what the export path costs per span.
 *
 * <p>Field numbers are those of {@code opentelemetry/proto/trace/v1/trace.proto}; the resource is encoded by
 * the SDK's own marshaler, once. Exporter thread only.
 */
final class OtlpSpanEncoder {
    private static final int LEN = 2;
    private static final int FIXED64 = 1;
    private static final int VARINT = 0;
    private static final int FIXED32 = 5;
    private static final byte[] EXCEPTION = utf8("exception");
    private static final byte[] EXCEPTION_TYPE = utf8("exception.type");
    private static final byte[] EXCEPTION_MESSAGE = utf8("exception.message");
    private static final byte[] CODE_NAMESPACE = utf8("code.namespace");
    private static final byte[] CODE_FUNCTION = utf8("code.function");
    /** W3C sampled, and "whether the parent is remote" is known (it is not): as the SDK marshals it. */
    private static final int FLAGS = 0x101;
    private static final int STATUS_ERROR = 2;

    private final byte[] resource;
    private final byte[] scope;
    private final long epochOffsetNanos;
    private final Map<String, Map<String, byte[]>> methods = new HashMap<>();
    private final Buffer spans = new Buffer(1 << 16);
    /** One buffer per nesting level below a span (span, key/value, any value, array). */
    private final Buffer[] nested = {new Buffer(256), new Buffer(128), new Buffer(128), new Buffer(128)};
    private int count;

    OtlpSpanEncoder(Resource resource, InstrumentationScopeInfo scope, long epochOffsetNanos) {
        ByteArrayOutputStream r = new ByteArrayOutputStream();
        try {
            ResourceMarshaler.create(resource).writeBinaryTo(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.resource = r.toByteArray();
        Buffer s = new Buffer(64);
        s.string(1, utf8(scope.getName()));
        if (scope.getVersion() != null) {
            s.string(2, utf8(scope.getVersion()));
        }
        this.scope = s.toArray();
        this.epochOffsetNanos = epochOffsetNanos;
    }

    int count() {
        return count;
    }

    /** Appends one span. */
    void add(ObsSpan span) {
        Buffer b = nested[0];
        b.reset();
        b.bytes(1, traceId(span));
        b.fixedBytes(2, span.spanId);
        if (span.parentSpanId != 0) {
            b.fixedBytes(4, span.parentSpanId);
        }
        long end = span.endNanos + epochOffsetNanos;
        if (span.kind == ObsSpan.KIND_METHOD) {
            b.raw(method(span.name, span.function));
            b.varint(6, 1);
        } else {
            b.string(5, utf8(span.name));
            b.varint(6, span.spanKind >= 0 && span.spanKind <= 4 ? span.spanKind + 1 : 1);
        }
        b.fixed64(7, span.startNanos + epochOffsetNanos);
        b.fixed64(8, end);
        if (span.kind != ObsSpan.KIND_METHOD) {
            for (int i = 0, n = span.attributeCount(); i < n; i++) {
                attribute(b, 9, utf8(span.attributeKey(i)), span.attributeValue(i), 1);
            }
        }
        if (span.errorType != null) {
            Buffer e = nested[1];
            e.reset();
            e.fixed64(1, end);
            e.string(2, EXCEPTION);
            attribute(e, 3, EXCEPTION_TYPE, span.errorType, 2);
            if (span.errorMessage != null) {
                attribute(e, 3, EXCEPTION_MESSAGE, span.errorMessage, 2);
            }
            b.message(11, e);
        }
        if (span.errorType != null || span.failed) {
            Buffer st = nested[1];
            st.reset();
            if (span.errorType != null && span.errorMessage != null && !span.errorMessage.isEmpty()) {
                st.string(2, utf8(span.errorMessage));
            }
            st.varint(3, STATUS_ERROR);
            b.message(15, st);
        }
        b.tag(16, FIXED32);
        b.fixed32(FLAGS);
        spans.message(2, b);
        count++;
    }

    /** The request for the spans added since the last call, which starts the next one empty. */
    byte[] takeRequest() {
        int scopeSpans = fieldSize(1, scope.length) + spans.length;
        int resourceSpans = fieldSize(1, resource.length) + fieldSize(2, scopeSpans);
        Buffer out = new Buffer(fieldSize(1, resourceSpans));
        out.tag(1, LEN);
        out.uvarint(resourceSpans);
        out.bytes(1, resource);
        out.tag(2, LEN);
        out.uvarint(scopeSpans);
        out.bytes(1, scope);
        out.raw(spans.data, spans.length);
        spans.reset();
        count = 0;
        return out.toArray();
    }

    private static byte[] traceId(ObsSpan span) {
        byte[] id = new byte[16];
        putLong(id, 0, span.traceIdHigh);
        putLong(id, 8, span.traceIdLow);
        return id;
    }

    /** Name (field 5) and the code.* attributes (field 9) of a method span, encoded once per method. */
    private byte[] method(String namespace, String function) {
        Map<String, byte[]> byFunction = methods.computeIfAbsent(namespace, k -> new HashMap<>());
        byte[] encoded = byFunction.get(function);
        if (encoded == null) {
            Buffer m = new Buffer(128);
            m.string(5, utf8(namespace.substring(namespace.lastIndexOf('.') + 1) + "." + function));
            attribute(m, 9, CODE_NAMESPACE, namespace, 1);
            attribute(m, 9, CODE_FUNCTION, function, 1);
            encoded = m.toArray();
            byFunction.put(function, encoded);
        }
        return encoded;
    }

    /** A KeyValue as field {@code field} of {@code out}; {@code depth} is out's nesting level. */
    private void attribute(Buffer out, int field, byte[] key, Object value, int depth) {
        Buffer kv = nested[depth];
        kv.reset();
        kv.string(1, key);
        Buffer any = nested[depth + 1];
        anyValue(any, value, depth + 1);
        kv.message(2, any);
        out.message(field, kv);
    }

    private void anyValue(Buffer any, Object value, int depth) {
        any.reset();
        if (value instanceof Long l) {
            any.varint(3, l);
        } else if (value instanceof Integer x) {
            any.varint(3, x.longValue());
        } else if (value instanceof Double d) {
            any.fixed64(4, Double.doubleToRawLongBits(d));
        } else if (value instanceof Boolean bool) {
            any.varint(2, bool ? 1 : 0);
        } else if (value instanceof String[] strings && depth + 1 < nested.length) {
            Buffer array = nested[depth + 1];
            array.reset();
            for (String s : strings) {
                byte[] v = utf8(String.valueOf(s));
                array.tag(1, LEN);
                array.uvarint(fieldSize(1, v.length));
                array.string(1, v);
            }
            any.message(5, array);
        } else {
            any.string(1, utf8(String.valueOf(value)));
        }
    }

    private static int fieldSize(int field, int length) {
        return varintSize(field << 3) + varintSize(length) + length;
    }

    private static int varintSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    /** A growable protobuf output buffer. */
    private static final class Buffer {
        byte[] data;
        int length;

        Buffer(int capacity) {
            data = new byte[Math.max(16, capacity)];
        }

        void reset() {
            length = 0;
        }

        byte[] toArray() {
            return Arrays.copyOf(data, length);
        }

        private void ensure(int more) {
            if (length + more > data.length) {
                data = Arrays.copyOf(data, Math.max(data.length * 2, length + more));
            }
        }

        void tag(int field, int wireType) {
            uvarint((field << 3) | wireType);
        }

        void uvarint(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                data[length++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            data[length++] = (byte) v;
        }

        void varint(int field, long v) {
            tag(field, VARINT);
            uvarint(v);
        }

        void fixed64(int field, long v) {
            tag(field, FIXED64);
            ensure(8);
            for (int i = 0; i < 8; i++) {
                data[length++] = (byte) v;
                v >>>= 8;
            }
        }

        void fixed32(int v) {
            ensure(4);
            for (int i = 0; i < 4; i++) {
                data[length++] = (byte) v;
                v >>>= 8;
            }
        }

        /** An 8-byte id, big-endian, as a bytes field. */
        void fixedBytes(int field, long id) {
            tag(field, LEN);
            uvarint(8);
            ensure(8);
            putLong(data, length, id);
            length += 8;
        }

        void bytes(int field, byte[] value) {
            tag(field, LEN);
            uvarint(value.length);
            raw(value, value.length);
        }

        void string(int field, byte[] utf8) {
            bytes(field, utf8);
        }

        void message(int field, Buffer body) {
            tag(field, LEN);
            uvarint(body.length);
            raw(body.data, body.length);
        }

        void raw(byte[] bytes) {
            raw(bytes, bytes.length);
        }

        void raw(byte[] bytes, int n) {
            ensure(n);
            System.arraycopy(bytes, 0, data, length, n);
            length += n;
        }
    }
}
