package dev.obs.exporter.fs;

import dev.obs.bootstrap.fs.FsGroups;
import dev.obs.bootstrap.fs.FsRecorder;
import dev.obs.exporter.ExactMetrics;
import dev.obs.exporter.StripedHistogram;
import dev.obs.exporter.SummaryText;
import dev.obs.exporter.MetricSource;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableLongPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSumData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.List;

/**
 * The exact file-system counters ({@code fs.operations}, {@code fs.io.bytes}) read from every thread's
 * counter array by {@link FsRecorder#collect}, and the file-system part of the exit summary. The sampled
 * latency histograms, errors and slow-operation counts are exact series of the metric path
 * ({@link ExactMetrics}), exported with the others by {@code MetricsAggregator}. Exporter thread only.
 */
public final class FsMetrics implements MetricSource {
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("fs.operation");
    static final AttributeKey<String> GROUP = AttributeKey.stringKey("file.group");
    static final AttributeKey<String> DIRECTION = AttributeKey.stringKey("fs.io.direction");

    private final long[] totals;
    private final FsGroups groups;

    /** The fs family's sources: none when it is not installed. Cheap to load at premain. */
    public static final class Factory implements MetricSource.Factory {
        @Override
        public List<MetricSource> create() {
            return FsRecorder.configured() ? List.of(new FsMetrics()) : List.of();
        }

        /**
         * True once the application has done file I/O of its own: class loading ({@code jvm}) and console
         * output ({@code stdio}) alone do not start the exporter, so a program that records nothing else still
         * never loads the SDK.
         */
        @Override
        public boolean anyRecorded() {
            if (!FsRecorder.configured()) {
                return false;
            }
            return FsRecorder.collect(new long[FsRecorder.collectLength()]);
        }
    }

    private FsMetrics() {
        this.groups = FsRecorder.groups();
        this.totals = new long[FsRecorder.collectLength()];
    }

    @Override
    public void start() {
    }

    @Override
    public List<MetricData> collect(Resource resource, InstrumentationScopeInfo scope, long startEpochNanos,
                                    long nowEpochNanos) {
        List<MetricData> out = new ArrayList<>(2);
        FsRecorder.collect(totals);
        int n = groups.size();
        List<LongPointData> ops = new ArrayList<>();
        List<LongPointData> bytes = new ArrayList<>();
        for (int g = 0; g < n; g++) {
            if (g == FsGroups.OBS) {
                continue;
            }
            for (int op = 0; op < FsRecorder.OPS; op++) {
                long v = totals[g * FsRecorder.OPS + op];
                if (v != 0) {
                    ops.add(ImmutableLongPointData.create(startEpochNanos, nowEpochNanos,
                            Attributes.of(OPERATION, FsDetailRecorder.operationName(op), GROUP, groups.name(g)), v));
                }
            }
            for (int dir = 0; dir < 2; dir++) {
                long v = totals[n * FsRecorder.OPS + g * 2 + dir];
                if (v != 0) {
                    bytes.add(ImmutableLongPointData.create(startEpochNanos, nowEpochNanos,
                            Attributes.of(DIRECTION, dir == FsRecorder.DIR_READ ? "read" : "write", GROUP,
                                    groups.name(g)), v));
                }
            }
        }
        if (!ops.isEmpty()) {
            out.add(ImmutableMetricData.createLongSum(resource, scope, "fs.operations",
                    "File operations, every call counted", "{operation}",
                    ImmutableSumData.create(true, AggregationTemporality.CUMULATIVE, ops)));
        }
        if (!bytes.isEmpty()) {
            out.add(ImmutableMetricData.createLongSum(resource, scope, "fs.io.bytes",
                    "Bytes read from and written to files, every call counted", "By",
                    ImmutableSumData.create(true, AggregationTemporality.CUMULATIVE, bytes)));
        }
        return out;
    }

    /** Summary lines: exact counts and bytes, errors, and the sampled latency percentiles. */
    @Override
    public void appendSummary(StringBuilder b) {
        FsRecorder.collect(totals);
        int n = groups.size();
        SummaryText t = SummaryText.of(b);
        t.text("  file system: exact counts and bytes; latency from a random sample of about 1 call in 64").newline();
        t.text("  ").left("operation", 12).text(" ").left("group", 10).text(" ").right("count", 12).text(" ")
                .right("bytes", 14).text(" ").right("errors", 8).text(" ").right("sampled", 10).text(" ")
                .right("p50 us", 10).text(" ").right("p95 us", 10).text(" ").right("p99 us", 10).newline();
        boolean any = false;
        for (int op = 0; op < FsRecorder.OPS; op++) {
            boolean first = true;
            for (int g = 0; g < n; g++) {
                long count = totals[g * FsRecorder.OPS + op];
                if (count == 0 || g == FsGroups.OBS) {
                    continue;
                }
                any = true;
                long bytes = op == FsRecorder.READ ? totals[n * FsRecorder.OPS + g * 2]
                        : op == FsRecorder.WRITE ? totals[n * FsRecorder.OPS + g * 2 + 1] : 0;
                StripedHistogram series = FsDetailRecorder.latency(g, op);
                StripedHistogram.Snapshot h = series == null ? null : series.snapshot();
                String e = first ? String.valueOf(FsDetailRecorder.errors(op)) : "";
                first = false;
                t.text("  ").left("fs " + FsDetailRecorder.operationName(op), 12).text(" ").left(groups.name(g), 10)
                        .text(" ").right(count, 12).text(" ").right(bytes, 14).text(" ").right(e, 8).text(" ");
                if (h == null || h.count == 0) {
                    t.right(0L, 10).text(" ").right("-", 10).text(" ").right("-", 10).text(" ").right("-", 10);
                } else {
                    t.right(h.count, 10).text(" ").right(h.valueAtPercentile(50) / 1e3, 1, 10).text(" ")
                            .right(h.valueAtPercentile(95) / 1e3, 1, 10).text(" ")
                            .right(h.valueAtPercentile(99) / 1e3, 1, 10);
                }
                t.newline();
            }
        }
        if (!any) {
            t.text("  (no file operations)").newline();
        }
    }
}
