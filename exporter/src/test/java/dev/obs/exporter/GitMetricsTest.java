package dev.obs.exporter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.List;
import org.junit.jupiter.api.Test;

class GitMetricsTest {
    @Test
    void gitSpansBecomeDurationConflictAndTransferSeries() {
        MetricsAggregator aggregator = new MetricsAggregator(0);
        Attributes jgitMerge = Attributes.of(AttributeKey.stringKey("git.outcome"), "CONFLICTING",
                AttributeKey.longKey("git.conflicts.count"), 3L);
        GitMetrics.record(aggregator, "git merge", jgitMerge, 2_000_000, false);
        Attributes cliFetch = Attributes.of(AttributeKey.stringKey("process.executable.name"), "git",
                AttributeKey.longKey("git.transfer.bytes.received"), 4096L);
        GitMetrics.record(aggregator, "git fetch", cliFetch, 5_000_000, false);
        GitMetrics.record(aggregator, "git fetch", cliFetch, 7_000_000, true);

        List<MetricData> metrics = aggregator.collect(Resource.empty(), InstrumentationScopeInfo.create("t"), 1,
                List.of());
        MetricData duration = find(metrics, GitMetrics.DURATION);
        assertEquals(3, duration.getHistogramData().getPoints().size(), "merge, fetch ok, fetch failed");
        HistogramPointData merge = duration.getHistogramData().getPoints().stream()
                .filter(p -> "merge".equals(p.getAttributes().get(GitMetrics.OPERATION))).findFirst().orElseThrow();
        assertEquals("jgit", merge.getAttributes().get(GitMetrics.CLIENT));
        assertEquals("CONFLICTING", merge.getAttributes().get(GitMetrics.OUTCOME));
        LongPointData conflicts = find(metrics, GitMetrics.CONFLICTS).getLongSumData().getPoints().iterator().next();
        assertEquals(3, conflicts.getValue());
        LongPointData received = find(metrics, GitMetrics.TRANSFER).getLongSumData().getPoints().iterator().next();
        assertEquals(8192, received.getValue());
        assertEquals("receive", received.getAttributes().get(GitMetrics.DIRECTION));
        assertEquals("cli", received.getAttributes().get(GitMetrics.CLIENT));
    }

    private static MetricData find(List<MetricData> metrics, String name) {
        return metrics.stream().filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
    }
}
