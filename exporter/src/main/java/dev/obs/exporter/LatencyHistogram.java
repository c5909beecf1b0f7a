package dev.obs.exporter;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableDoubleExemplarData;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramPointData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One exported histogram series, recorded on the exporter thread only. Bucket counts are exact (a binary
 * search per value). The exit summary's percentiles come from the metric path's finer slots
 * ({@link StripedHistogram}), not from here.
 */
final class LatencyHistogram {
    /** Seconds: from 1 µs to 10 s, fine enough for method, file and Git latencies. */
    static final double[] SECONDS_BOUNDS = {0.000001, 0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025,
            0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    /** Sizes (bytes, counts): powers of four from 1 to 64 Mi. */
    static final double[] SIZE_BOUNDS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576,
            4194304, 16777216, 67108864};

    private final Attributes attributes;
    /** Values are nanoseconds exported as seconds when true, raw values otherwise. */
    private final boolean nanosAsSeconds;
    private final double[] bounds;
    private final long[] rawBounds;
    private final long[] bucketCounts;
    private long count;
    private long sum;
    private long min = Long.MAX_VALUE;
    private long max = Long.MIN_VALUE;

    LatencyHistogram(Attributes attributes, boolean nanosAsSeconds) {
        this.attributes = attributes;
        this.nanosAsSeconds = nanosAsSeconds;
        this.bounds = nanosAsSeconds ? SECONDS_BOUNDS : SIZE_BOUNDS;
        this.rawBounds = new long[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            rawBounds[i] = nanosAsSeconds ? Math.round(bounds[i] * 1e9) : (long) bounds[i];
        }
        this.bucketCounts = new long[bounds.length + 1];
    }

    void recordValue(long value) {
        long v = Math.max(0, value);
        int i = Arrays.binarySearch(rawBounds, v);
        // Explicit buckets are upper-inclusive: a value equal to a bound falls in that bound's bucket.
        bucketCounts[i >= 0 ? i : -i - 1]++;
        count++;
        sum += v;
        min = Math.min(min, v);
        max = Math.max(max, v);
    }

    HistogramPointData toPoint(long startEpochNanos, long nowEpochNanos) {
        return point(attributes, bounds, bucketCounts, count, sum, min, max, nanosAsSeconds ? 1e9 : 1,
                startEpochNanos, nowEpochNanos);
    }

    /**
     * A point of an exact series of the metric path (nanoseconds, exported in seconds): its slots fall
     * into {@link #SECONDS_BOUNDS} exactly (the bounds are {@link StripedHistogram#EXPORT_BOUNDS_NANOS}).
     */
    static HistogramPointData toPoint(Attributes attributes, StripedHistogram.Snapshot s, long startEpochNanos,
                                      long nowEpochNanos) {
        return toPoint(attributes, s, startEpochNanos, nowEpochNanos, List.of());
    }

    /** As above, with the series' exemplars ({@link #exemplars}). */
    static HistogramPointData toPoint(Attributes attributes, StripedHistogram.Snapshot s, long startEpochNanos,
                                      long nowEpochNanos, List<DoubleExemplarData> exemplars) {
        HistogramPointData p = point(attributes, SECONDS_BOUNDS, s.exportBuckets(), s.count, s.sum, s.min, s.max, 1e9,
                startEpochNanos, nowEpochNanos);
        if (exemplars.isEmpty()) {
            return p;
        }
        return ImmutableHistogramPointData.create(p.getStartEpochNanos(), p.getEpochNanos(), attributes, p.getSum(),
                p.hasMin(), p.getMin(), p.hasMax(), p.getMax(), p.getBoundaries(), p.getCounts(), exemplars);
    }

    /**
     * The exemplars of an exact series, one at most per bucket, in seconds; {@code epochOffsetNanos} turns the
     * spans' nanoTime ends into epoch time.
     */
    static List<DoubleExemplarData> exemplars(StripedHistogram.Exemplars e, long epochOffsetNanos) {
        long[] x = new long[5];
        List<DoubleExemplarData> out = null;
        for (int b = 0; b < e.buckets(); b++) {
            if (e.read(b, x)) {
                if (out == null) {
                    out = new ArrayList<>();
                }
                SpanContext context = SpanContext.create(TraceId.fromLongs(x[0], x[1]), SpanId.fromLong(x[2]),
                        TraceFlags.getSampled(), TraceState.getDefault());
                out.add(ImmutableDoubleExemplarData.create(Attributes.empty(), x[4] + epochOffsetNanos, context,
                        x[3] / 1e9));
            }
        }
        return out == null ? List.of() : out;
    }

    private static HistogramPointData point(Attributes attributes, double[] bounds, long[] bucketCounts, long count,
                                            long sum, long min, long max, double divisor, long startEpochNanos,
                                            long nowEpochNanos) {
        List<Double> boundaries = new ArrayList<>(bounds.length);
        for (double b : bounds) {
            boundaries.add(b);
        }
        List<Long> counts = new ArrayList<>(bucketCounts.length);
        for (long c : bucketCounts) {
            counts.add(c);
        }
        boolean any = count > 0;
        return ImmutableHistogramPointData.create(startEpochNanos, nowEpochNanos, attributes, sum / divisor, any,
                any ? min / divisor : 0, any, any ? max / divisor : 0, boundaries, counts);
    }
}
