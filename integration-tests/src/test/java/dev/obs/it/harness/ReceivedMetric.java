package dev.obs.it.harness;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;

/** One metric (with all data points of one export) together with its resource and scope. */
public record ReceivedMetric(Resource resource, InstrumentationScope scope, Metric metric) {

    public String name() {
        return metric.getName();
    }

    public String resourceAttribute(String key) {
        return Otlp.attributes(resource.getAttributesList()).get(key);
    }
}
