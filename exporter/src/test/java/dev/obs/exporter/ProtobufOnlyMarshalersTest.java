package dev.obs.exporter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.internal.marshal.Marshaler;
import io.opentelemetry.exporter.internal.otlp.metrics.LowAllocationMetricsRequestMarshaler;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableLongPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSumData;
import io.opentelemetry.sdk.resources.Resource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The seeded resource and scope marshal to the same protobuf as the SDK's own (compared with an equal
 * resource and scope the SDK marshals itself, through the marshaler the OTLP exporters use), and they are the
 * ones used: the SDK's own carry their JSON, the seeded ones none. Fails when the pinned SDK's internals
 * change under {@link ProtobufOnlyMarshalers}.
 */
class ProtobufOnlyMarshalersTest {
    private static final Attributes RESOURCE = Attributes.builder()
            .put("service.name", "seeded-service")
            .put("process.pid", 4242L)
            .put(AttributeKey.stringArrayKey("process.command_args"), List.of("java", "-jar", "app.jar"))
            .build();

    @Test
    void seededResourceAndScopeMarshalToTheSdksProtobufAndCarryNoJson() throws IOException {
        Resource seeded = Resource.create(RESOURCE);
        Resource sdks = Resource.create(RESOURCE);
        InstrumentationScopeInfo seededScope = InstrumentationScopeInfo.builder("dev.obs").setVersion("9.9").build();
        InstrumentationScopeInfo sdksScope = InstrumentationScopeInfo.builder("dev.obs").setVersion("9.9").build();

        assertTrue(ProtobufOnlyMarshalers.seed(seeded, seededScope), "the pinned SDK's internals are not as expected");

        assertArrayEquals(binary(request(sdks, sdksScope)), binary(request(seeded, seededScope)),
                "the seeded resource and scope marshal to other protobuf than the SDK's");
        String sdksJson = json(request(sdks, sdksScope));
        String seededJson = json(request(seeded, seededScope));
        // positive control: the SDK's own carry the resource and the scope as JSON ...
        assertTrue(sdksJson.contains("seeded-service") && sdksJson.contains("9.9"), sdksJson);
        // ... the seeded ones were used, and have none
        assertFalse(seededJson.contains("seeded-service") || seededJson.contains("9.9"), seededJson);
    }

    private static Marshaler request(Resource resource, InstrumentationScopeInfo scope) {
        MetricData sum = ImmutableMetricData.createLongSum(resource, scope, "obs.test", "a test sum", "1",
                ImmutableSumData.create(true, AggregationTemporality.CUMULATIVE,
                        List.of(ImmutableLongPointData.create(1, 2, Attributes.empty(), 5))));
        LowAllocationMetricsRequestMarshaler m = new LowAllocationMetricsRequestMarshaler();
        m.initialize(List.of(sum));
        return m;
    }

    private static byte[] binary(Marshaler m) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeBinaryTo(out);
        return out.toByteArray();
    }

    private static String json(Marshaler m) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeJsonTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
