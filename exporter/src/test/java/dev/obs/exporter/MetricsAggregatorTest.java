package dev.obs.exporter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.obs.bootstrap.MetricRegistry;
import dev.obs.bootstrap.MetricRing;
import dev.obs.bootstrap.Recorder;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Values recorded through {@link Recorder#recordValue} come out of the rings as exact OTel metrics. */
class MetricsAggregatorTest {
    @Test
    void ringValuesBecomeExactHistogramsAndSums() {
        int latency = MetricRegistry.register("test.op.duration", "s", "d", MetricRegistry.HISTOGRAM,
                new String[] {"op"}, new String[] {"read"});
        int bytes = MetricRegistry.register("test.bytes", "By", "d", MetricRegistry.COUNTER,
                new String[] {"op"}, new String[] {"read"});
        assertEquals(latency, MetricRegistry.register("test.op.duration", "s", "d", MetricRegistry.HISTOGRAM,
                new String[] {"op"}, new String[] {"read"}), "same series, same id");
        for (int i = 1; i <= 1000; i++) {
            Recorder.recordValue(latency, i * 1_000L);
            Recorder.recordValue(bytes, 4096);
        }
        MetricsAggregator aggregator = new MetricsAggregator(0);
        for (MetricRing ring : MetricRegistry.rings()) {
            ring.drain(aggregator);
        }
        List<MetricData> metrics = aggregator.collect(Resource.empty(), InstrumentationScopeInfo.create("t"), 1,
                List.of());
        MetricData histogram = metrics.stream().filter(m -> m.getName().equals("test.op.duration")).findFirst()
                .orElseThrow();
        HistogramPointData point = histogram.getHistogramData().getPoints().iterator().next();
        assertEquals(1000, point.getCount());
        assertEquals("read", point.getAttributes().get(AttributeKey.stringKey("op")));
        assertEquals(500_500 * 1_000L / 1e9, point.getSum(), 1e-9);
        MetricData sum = metrics.stream().filter(m -> m.getName().equals("test.bytes")).findFirst().orElseThrow();
        LongPointData total = sum.getLongSumData().getPoints().iterator().next();
        assertEquals(4096L * 1000, total.getValue());
        assertEquals(2000, aggregator.ringValues());
    }
}
