package dev.obs.exporter.sync;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.Body;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.resources.Resource;

/**
 * A sync event as an OTLP log record: event name {@code sync.transition}, {@code sync.error} or
 * {@code sync.conflict}, the body a line for people, the details as attributes ({@code sync.from},
 * {@code sync.to}, {@code sync.reason}; {@code error.type}, {@code sync.operation}, {@code sync.peer},
 * {@code sync.model}, {@code sync.message}; {@code sync.path}, {@code sync.ours}, {@code sync.theirs}), and
 * {@code sync.service} for a service of obs's own (Git).
 */
final class SyncEventRecord implements LogRecordData {
    private final Resource resource;
    private final InstrumentationScopeInfo scope;
    private final SyncRecorder.Event event;
    private final Attributes attributes;

    SyncEventRecord(Resource resource, InstrumentationScopeInfo scope, SyncRecorder.Event event) {
        this.resource = resource;
        this.scope = scope;
        this.event = event;
        AttributesBuilder b = Attributes.builder().put("event.name", getEventName());
        for (int i = 0; i < event.keys.length; i++) {
            String key = event.keys[i].equals("error.type") || event.keys[i].startsWith("sync.") ? event.keys[i]
                    : "sync." + event.keys[i];
            b.put(key, event.values[i]);
        }
        this.attributes = b.build();
    }

    @Override
    public Resource getResource() {
        return resource;
    }

    @Override
    public InstrumentationScopeInfo getInstrumentationScopeInfo() {
        return scope;
    }

    @Override
    public long getTimestampEpochNanos() {
        return event.epochMillis * 1_000_000L;
    }

    @Override
    public long getObservedTimestampEpochNanos() {
        return event.epochMillis * 1_000_000L;
    }

    @Override
    public SpanContext getSpanContext() {
        return SpanContext.getInvalid();
    }

    @Override
    public Severity getSeverity() {
        return event.type.equals("error") ? Severity.ERROR : Severity.INFO;
    }

    @Override
    public String getSeverityText() {
        return event.type.equals("error") ? "ERROR" : "INFO";
    }

    @Override
    @SuppressWarnings("deprecation")
    public Body getBody() {
        return Body.string(event.body);
    }

    @Override
    public Attributes getAttributes() {
        return attributes;
    }

    @Override
    public int getTotalAttributeCount() {
        return attributes.size();
    }

    @Override
    public String getEventName() {
        return "sync." + event.type;
    }
}
