package dev.obs.exporter;

import dev.obs.bootstrap.ObsSpan;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns recorded spans into OTel {@link SpanData}: conversion only. The spans' durations are counted on
 * the metric path when they end (dev.obs.exporter.SpanMetrics), so what the queue sheds is still counted.
 * Method names and their attribute sets are computed once per method and cached.
 */
final class SpanConverter {
    static final AttributeKey<String> CODE_NAMESPACE = AttributeKey.stringKey("code.namespace");
    static final AttributeKey<String> CODE_FUNCTION = AttributeKey.stringKey("code.function");
    static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
    static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
    private static final SpanKind[] KINDS = SpanKind.values();

    /** Name and attributes of one configured method, computed once. */
    private static final class MethodInfo {
        final String name;
        final Attributes attributes;

        MethodInfo(String namespace, String function) {
            String simple = namespace.substring(namespace.lastIndexOf('.') + 1);
            this.name = simple + "." + function;
            this.attributes = Attributes.of(CODE_NAMESPACE, namespace, CODE_FUNCTION, function);
        }
    }

    private final Map<String, Map<String, MethodInfo>> methods = new HashMap<>();
    private final Resource resource;
    private final InstrumentationScopeInfo scope;
    private final long epochOffsetNanos;

    SpanConverter(Resource resource, InstrumentationScopeInfo scope, long epochOffsetNanos) {
        this.resource = resource;
        this.scope = scope;
        this.epochOffsetNanos = epochOffsetNanos;
    }

    /** The span's SpanData (the queue carries spans of exported traces only). */
    SpanData convert(ObsSpan span) {
        String name;
        Attributes attributes;
        if (span.origin == ObsSpan.ORIGIN_METHOD) {
            MethodInfo info = method(span);
            name = info.name;
            attributes = info.attributes;
        } else {
            name = span.name;
            attributes = libraryAttributes(span);
        }
        SpanContext context = SpanContext.create(TraceId.fromLongs(span.traceIdHigh, span.traceIdLow),
                SpanId.fromLong(span.spanId), TraceFlags.getSampled(), TraceState.getDefault());
        SpanContext parent = span.parentSpanId == 0 ? SpanContext.getInvalid()
                : SpanContext.create(context.getTraceId(), SpanId.fromLong(span.parentSpanId),
                TraceFlags.getSampled(), TraceState.getDefault());
        long start = span.startNanos + epochOffsetNanos;
        long end = span.endNanos + epochOffsetNanos;
        StatusData status = StatusData.unset();
        List<EventData> events = Collections.emptyList();
        if (span.errorType != null) {
            status = StatusData.create(StatusCode.ERROR, span.errorMessage == null ? "" : span.errorMessage);
            AttributesBuilder e = Attributes.builder().put(EXCEPTION_TYPE, span.errorType);
            if (span.errorMessage != null) {
                e.put(EXCEPTION_MESSAGE, span.errorMessage);
            }
            events = List.of(EventData.create(end, "exception", e.build()));
        } else if (span.failed) {
            status = StatusData.error();
        }
        SpanKind kind = span.spanKind >= 0 && span.spanKind < KINDS.length ? KINDS[span.spanKind] : SpanKind.INTERNAL;
        return new ObsSpanData(name, kind, context, parent, status, start, end, attributes, events, scope,
                resource);
    }

    private MethodInfo method(ObsSpan span) {
        Map<String, MethodInfo> byFunction = methods.computeIfAbsent(span.name, k -> new HashMap<>());
        MethodInfo info = byFunction.get(span.function);
        if (info == null) {
            info = new MethodInfo(span.name, span.function);
            byFunction.put(span.function, info);
        }
        return info;
    }

    private static Attributes libraryAttributes(ObsSpan span) {
        int n = span.attributeCount();
        if (n == 0) {
            return Attributes.empty();
        }
        AttributesBuilder b = Attributes.builder();
        for (int i = 0; i < n; i++) {
            String key = span.attributeKey(i);
            Object v = span.attributeValue(i);
            if (v instanceof Long l) {
                b.put(AttributeKey.longKey(key), l);
            } else if (v instanceof Integer x) {
                b.put(AttributeKey.longKey(key), x.longValue());
            } else if (v instanceof Double d) {
                b.put(AttributeKey.doubleKey(key), d);
            } else if (v instanceof String[] strings) {
                b.put(AttributeKey.stringArrayKey(key), java.util.Arrays.asList(strings));
            } else if (v instanceof Boolean bool) {
                b.put(AttributeKey.booleanKey(key), bool);
            } else {
                b.put(AttributeKey.stringKey(key), String.valueOf(v));
            }
        }
        return b.build();
    }
}
