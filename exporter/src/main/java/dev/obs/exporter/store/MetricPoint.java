package dev.obs.exporter.store;

/**
 * One data point of a metrics line, or the difference of two (see {@link #minus}). Sums hold an integer or a
 * floating value; histograms their explicit buckets, count, sum, min and max.
 */
public final class MetricPoint {
    public enum Kind { SUM, GAUGE, HISTOGRAM }

    public final Kind kind;
    public final String unit;
    public final long startNanos;
    public final long timeNanos;
    public final boolean isDouble;
    public final long longValue;
    public final double doubleValue;
    public final long count;
    public final double sum;
    /** NaN when unknown (a window's histogram that began before the window: see {@link #minus}). */
    public final double min;
    public final double max;
    public final double[] bounds;
    public final long[] bucketCounts;

    MetricPoint(Kind kind, String unit, long startNanos, long timeNanos, boolean isDouble, long longValue,
                double doubleValue, long count, double sum, double min, double max, double[] bounds,
                long[] bucketCounts) {
        this.kind = kind;
        this.unit = unit;
        this.startNanos = startNanos;
        this.timeNanos = timeNanos;
        this.isDouble = isDouble;
        this.longValue = longValue;
        this.doubleValue = doubleValue;
        this.count = count;
        this.sum = sum;
        this.min = min;
        this.max = max;
        this.bounds = bounds;
        this.bucketCounts = bucketCounts;
    }

    public double value() {
        return isDouble ? doubleValue : longValue;
    }

    /**
     * What this cumulative point added since {@code earlier} of the same series. A different start time or a
     * smaller value is a restart of the process that counts (a reset): then all of this point is new. A
     * gauge is not a difference: its latest value stands. The maximum of a difference is not recorded by the
     * agent: it is bounded by the highest bucket that grew (and by the cumulative maximum); min and max are
     * kept exact only when nothing came before.
     */
    public MetricPoint minus(MetricPoint earlier) {
        if (earlier == null || kind == Kind.GAUGE || earlier.kind != kind || earlier.startNanos != startNanos
                || isReset(earlier)) {
            return this;
        }
        if (kind == Kind.SUM) {
            return new MetricPoint(kind, unit, earlier.timeNanos, timeNanos, isDouble, longValue - earlier.longValue,
                    doubleValue - earlier.doubleValue, 0, 0, Double.NaN, Double.NaN, null, null);
        }
        long[] counts = bucketCounts.clone();
        if (earlier.bucketCounts.length == counts.length) {
            for (int i = 0; i < counts.length; i++) {
                counts[i] -= earlier.bucketCounts[i];
            }
        }
        long c = count - earlier.count;
        double windowMax = c == 0 ? Double.NaN : (max == earlier.max ? Double.NaN : max);
        return new MetricPoint(kind, unit, earlier.timeNanos, timeNanos, false, 0, 0, c, sum - earlier.sum,
                Double.NaN, windowMax, bounds, counts);
    }

    private boolean isReset(MetricPoint earlier) {
        return kind == Kind.SUM ? (isDouble ? doubleValue < earlier.doubleValue : longValue < earlier.longValue)
                : count < earlier.count;
    }

    /** Adds two differences of the same metric (several processes, several series of one operation). */
    public static MetricPoint plus(MetricPoint a, MetricPoint b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        if (a.kind == Kind.GAUGE) {
            return a.timeNanos >= b.timeNanos ? a : b;
        }
        if (a.kind == Kind.SUM) {
            return new MetricPoint(a.kind, a.unit, Math.min(a.startNanos, b.startNanos),
                    Math.max(a.timeNanos, b.timeNanos), a.isDouble || b.isDouble, a.longValue + b.longValue,
                    a.doubleValue + b.doubleValue, 0, 0, Double.NaN, Double.NaN, null, null);
        }
        long[] counts = a.bucketCounts.clone();
        if (b.bucketCounts.length == counts.length) {
            for (int i = 0; i < counts.length; i++) {
                counts[i] += b.bucketCounts[i];
            }
        }
        return new MetricPoint(a.kind, a.unit, Math.min(a.startNanos, b.startNanos),
                Math.max(a.timeNanos, b.timeNanos), false, 0, 0, a.count + b.count, a.sum + b.sum,
                minKnown(a.min, b.min), maxKnown(a.max, b.max), a.bounds, counts);
    }

    private static double minKnown(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b);
    }

    private static double maxKnown(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
    }

    /**
     * The value below which {@code q} (0..1) of the recorded values lie, interpolated linearly inside the
     * bucket that holds it: exact to the width of that bucket. The first bucket starts at 0 (or the known
     * minimum); the overflow bucket ends at the known maximum, else at its lower bound.
     */
    public double quantile(double q) {
        if (kind != Kind.HISTOGRAM || count <= 0) {
            return Double.NaN;
        }
        double rank = q * count;
        long seen = 0;
        for (int i = 0; i < bucketCounts.length; i++) {
            long c = bucketCounts[i];
            if (c <= 0) {
                continue;
            }
            if (seen + c >= rank) {
                double lower = i == 0 ? (Double.isNaN(min) ? 0 : Math.min(min, bounds.length > 0 ? bounds[0] : min))
                        : bounds[i - 1];
                double upper = i < bounds.length ? bounds[i] : (Double.isNaN(max) ? lower : max);
                if (!Double.isNaN(max)) {
                    upper = Math.min(upper, max);
                }
                if (!Double.isNaN(min)) {
                    lower = Math.max(lower, Math.min(min, upper));
                }
                double fraction = (rank - seen) / c;
                return lower + (upper - lower) * Math.max(0, Math.min(1, fraction));
            }
            seen += c;
        }
        return Double.isNaN(max) ? (bounds.length == 0 ? Double.NaN : bounds[bounds.length - 1]) : max;
    }

    /** The largest value: exact when known, else the upper bound of the highest bucket holding a value. */
    public double maxOrBound() {
        if (!Double.isNaN(max)) {
            return max;
        }
        for (int i = bucketCounts == null ? -1 : bucketCounts.length - 1; i >= 0; i--) {
            if (bucketCounts[i] > 0) {
                return i < bounds.length ? bounds[i] : (bounds.length == 0 ? Double.NaN : bounds[bounds.length - 1]);
            }
        }
        return Double.NaN;
    }
}
