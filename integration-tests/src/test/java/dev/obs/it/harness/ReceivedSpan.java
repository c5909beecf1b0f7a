package dev.obs.it.harness;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;

import java.util.List;
import java.util.Map;

/** One span together with the resource and scope it was exported under. */
public record ReceivedSpan(Resource resource, InstrumentationScope scope, Span span) {

    public String name() {
        return span.getName();
    }

    public String traceId() {
        return Otlp.hex(span.getTraceId());
    }

    public String spanId() {
        return Otlp.hex(span.getSpanId());
    }

    /** Empty for a root span. */
    public String parentSpanId() {
        return Otlp.hex(span.getParentSpanId());
    }

    public boolean isRoot() {
        return span.getParentSpanId().isEmpty();
    }

    public Map<String, String> attributes() {
        return Otlp.attributes(span.getAttributesList());
    }

    public String attribute(String key) {
        return attributes().get(key);
    }

    /** The elements of an array attribute (a single value as a list of one); empty when there is none. */
    public List<String> attributeList(String key) {
        return Otlp.stringList(Otlp.attributeValue(span.getAttributesList(), key));
    }

    public String resourceAttribute(String key) {
        return Otlp.attributes(resource.getAttributesList()).get(key);
    }

    public List<String> resourceAttributeList(String key) {
        return Otlp.stringList(Otlp.attributeValue(resource.getAttributesList(), key));
    }

    @Override
    public String toString() {
        return name() + "{trace=" + traceId() + ", span=" + spanId() + ", parent=" + parentSpanId()
                + ", kind=" + span.getKind() + ", status=" + span.getStatus().getCode() + ", attrs=" + attributes()
                + ", events=" + span.getEventsCount() + "}";
    }
}
