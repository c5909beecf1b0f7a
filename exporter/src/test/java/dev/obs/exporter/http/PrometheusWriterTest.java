package dev.obs.exporter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableGaugeData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableLongPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableDoublePointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSumData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusWriterTest {
    static final Resource RESOURCE = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "svc"));
    static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.create("dev.obs");

    static List<MetricData> sample() {
        MetricData histogram = ImmutableMetricData.createDoubleHistogram(RESOURCE, SCOPE, "git.operation.duration",
                "Duration of Git operations", "s", ImmutableHistogramData.create(AggregationTemporality.CUMULATIVE,
                        List.of(ImmutableHistogramPointData.create(0, 1, Attributes.of(
                                        AttributeKey.stringKey("git.operation"), "clone"), 2.75, true, 0.25, true, 2.5,
                                List.of(0.000001, 0.5, 1.0), List.of(0L, 1L, 0L, 1L)))));
        MetricData counter = ImmutableMetricData.createLongSum(RESOURCE, SCOPE, "fs.io.bytes", "Bytes \"moved\"\nby files",
                "By", ImmutableSumData.create(true, AggregationTemporality.CUMULATIVE, List.of(
                        ImmutableLongPointData.create(0, 1, Attributes.of(AttributeKey.stringKey("file.group"),
                                "a\"b\\c\nd"), 42))));
        MetricData upDown = ImmutableMetricData.createLongSum(RESOURCE, SCOPE, "obs.queue.used", "", "{record}",
                ImmutableSumData.create(false, AggregationTemporality.CUMULATIVE, List.of(
                        ImmutableLongPointData.create(0, 1, Attributes.builder().put("a.b", "1").put("a_b", "2")
                                .build(), 7))));
        MetricData ratio = ImmutableMetricData.createDoubleGauge(RESOURCE, SCOPE, "cpu.utilization", "CPU", "1",
                ImmutableGaugeData.create(List.of(ImmutableDoublePointData.create(0, 1, Attributes.empty(), 0.25))));
        return List.of(histogram, counter, upDown, ratio);
    }

    @Test
    void prometheusTextFollowsTheCompatibilityRules() {
        StringBuilder out = new StringBuilder();
        new PrometheusWriter().write(sample(), false, out);
        assertEquals("""
                # HELP target_info Target metadata
                # TYPE target_info gauge
                target_info{service_name="svc"} 1
                # HELP git_operation_duration_seconds Duration of Git operations
                # TYPE git_operation_duration_seconds histogram
                git_operation_duration_seconds_bucket{git_operation="clone",le="0.000001"} 0
                git_operation_duration_seconds_bucket{git_operation="clone",le="0.5"} 1
                git_operation_duration_seconds_bucket{git_operation="clone",le="1.0"} 1
                git_operation_duration_seconds_bucket{git_operation="clone",le="+Inf"} 2
                git_operation_duration_seconds_sum{git_operation="clone"} 2.75
                git_operation_duration_seconds_count{git_operation="clone"} 2
                # HELP fs_io_bytes_total Bytes "moved"\\nby files
                # TYPE fs_io_bytes_total counter
                fs_io_bytes_total{file_group="a\\"b\\\\c\\nd"} 42
                # HELP obs_queue_used obs.queue.used
                # TYPE obs_queue_used gauge
                obs_queue_used{a_b="1;2"} 7
                # HELP cpu_utilization_ratio CPU
                # TYPE cpu_utilization_ratio gauge
                cpu_utilization_ratio 0.25
                """, out.toString());
    }

    @Test
    void openMetricsNamesCounterFamiliesWithoutTotalAndEndsWithEof() {
        StringBuilder out = new StringBuilder();
        new PrometheusWriter().write(sample().subList(0, 2), true, out);
        assertEquals("""
                # HELP target_info Target metadata
                # TYPE target info
                target_info{service_name="svc"} 1
                # HELP git_operation_duration_seconds Duration of Git operations
                # TYPE git_operation_duration_seconds histogram
                # UNIT git_operation_duration_seconds seconds
                git_operation_duration_seconds_bucket{git_operation="clone",le="0.000001"} 0
                git_operation_duration_seconds_bucket{git_operation="clone",le="0.5"} 1
                git_operation_duration_seconds_bucket{git_operation="clone",le="1.0"} 1
                git_operation_duration_seconds_bucket{git_operation="clone",le="+Inf"} 2
                git_operation_duration_seconds_sum{git_operation="clone"} 2.75
                git_operation_duration_seconds_count{git_operation="clone"} 2
                # HELP fs_io_bytes Bytes \\"moved\\"\\nby files
                # TYPE fs_io_bytes counter
                # UNIT fs_io_bytes bytes
                fs_io_bytes_total{file_group="a\\"b\\\\c\\nd"} 42
                # EOF
                """, out.toString());
    }

    @Test
    void openMetricsBucketsCarryTheExemplarOfTheirRange() {
        io.opentelemetry.api.trace.SpanContext span = io.opentelemetry.api.trace.SpanContext.create(
                "0123456789abcdef0123456789abcdef", "0123456789abcdef", io.opentelemetry.api.trace.TraceFlags.getSampled(),
                io.opentelemetry.api.trace.TraceState.getDefault());
        MetricData histogram = ImmutableMetricData.createDoubleHistogram(RESOURCE, SCOPE, "d", "D", "s",
                ImmutableHistogramData.create(AggregationTemporality.CUMULATIVE, List.of(
                        ImmutableHistogramPointData.create(0, 1, Attributes.empty(), 0.75, true, 0.75, true, 0.75,
                                List.of(0.5, 1.0), List.of(0L, 1L, 0L), List.of(
                                        io.opentelemetry.sdk.metrics.internal.data.ImmutableDoubleExemplarData.create(
                                                Attributes.empty(), 1_700_000_000_123_456_789L, span, 0.75))))));
        StringBuilder out = new StringBuilder();
        new PrometheusWriter().write(List.of(histogram), true, out);
        assertEquals(List.of("d_seconds_bucket{le=\"0.5\"} 0",
                "d_seconds_bucket{le=\"1.0\"} 1 # {trace_id=\"0123456789abcdef0123456789abcdef\","
                        + "span_id=\"0123456789abcdef\"} 0.75 1700000000.123",
                "d_seconds_bucket{le=\"+Inf\"} 1"),
                out.toString().lines().filter(l -> l.startsWith("d_seconds_bucket")).toList());
        StringBuilder text = new StringBuilder();
        new PrometheusWriter().write(List.of(histogram), false, text);
        assertEquals(false, text.toString().contains("trace_id"), "0.0.4 has no exemplars");
    }

    @Test
    void namesTakeTheirUnitOnceAndLabelsLoseTheirDots() {
        PrometheusNames names = new PrometheusNames();
        assertEquals("http_server_duration_seconds", names.family("http.server.duration", "s", false, false));
        assertEquals("process_runtime_seconds", names.family("process.runtime.seconds", "s", false, false));
        assertEquals("obs_records_accepted", names.family("obs.records.accepted", "{record}", true, false));
        assertEquals("requests", names.family("requests_total", "", true, false));
        assertEquals("net_io_bytes_per_second", names.family("net.io", "By/s", false, true));
        assertEquals("git_operation", names.label("git.operation"));
        assertEquals("key_2xx", names.label("2xx"));
    }
}
