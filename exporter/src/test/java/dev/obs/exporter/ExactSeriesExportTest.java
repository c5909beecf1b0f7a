package dev.obs.exporter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The metric path's series as exported, and the exit summary's counts taken from the same series. */
class ExactSeriesExportTest {
    @BeforeAll
    static void measureSpans() {
        Recorder.measureSpansWith(SpanMetrics.INSTANCE); // what premain installs
    }

    @AfterEach
    void uninstallRecorder() {
        Recorder.install(null, 1.0); // the recorder is global: no later test records into this one's sink
        Recorder.swapCurrentSpan(null);
    }

    @Test
    void summaryCountsAreTheExportedCountsOfDroppedSpans() {
        Recorder.install(span -> false, 1.0);
        for (int i = 0; i < 300; i++) {
            Recorder.endSpan(Recorder.startMethodSpan("com.acme.Export", "call"), null);
        }
        ObsSpan failing = Recorder.startMethodSpan("com.acme.Export", "call");
        Recorder.endSpan(failing, new IllegalArgumentException());

        MetricsAggregator aggregator = new MetricsAggregator(0);
        List<MetricData> metrics = aggregator.collect(Resource.empty(), InstrumentationScopeInfo.create("t"), 1,
                List.of());
        MetricData duration = metrics.stream().filter(m -> m.getName().equals("obs.method.duration")).findFirst()
                .orElseThrow();
        assertEquals("s", duration.getUnit());
        long exported = 0;
        for (HistogramPointData p : duration.getHistogramData().getPoints()) {
            if ("com.acme.Export".equals(p.getAttributes().get(AttributeKey.stringKey("code.namespace")))) {
                exported += p.getCount();
                assertEquals(p.getCount(), p.getCounts().stream().mapToLong(Long::longValue).sum());
            }
        }
        assertEquals(301, exported);
        MetricsAggregator.Operation op = null;
        StripedHistogram[] series = ExactMetrics.histograms();
        for (MetricsAggregator.Operation o : aggregator.operations(series, MetricShipper.snapshots(series))) {
            if (o.name.equals("Export.call")) {
                op = o;
            }
        }
        assertEquals(exported, op.count());
        assertEquals(1, op.errors());
    }
}
