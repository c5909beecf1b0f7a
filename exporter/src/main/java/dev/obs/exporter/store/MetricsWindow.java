package dev.obs.exporter.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the metrics of a store say about one time window: per series, what was added inside the window
 * (counters and histograms) or the latest value (gauges), added up over every process that wrote in it, and
 * optionally the same per equal time bucket for charts. Built by {@link StoreReader#metrics}.
 */
public final class MetricsWindow {
    private final TimeWindow window;
    private final long startNanos;
    private final long endNanos;
    private final int buckets;
    private final long[] boundaries;
    /** Per run: its snapshots at each boundary. */
    private final List<StoreReader.RunWindow> runs;
    private final int processes;

    private MetricsWindow(TimeWindow window, long startNanos, long endNanos, int buckets, long[] boundaries,
                          List<StoreReader.RunWindow> runs) {
        this.window = window;
        this.startNanos = startNanos;
        this.endNanos = endNanos;
        this.buckets = buckets;
        this.boundaries = boundaries;
        this.runs = runs;
        int n = 0;
        for (StoreReader.RunWindow r : runs) {
            if (wroteInWindow(r, 0, boundaries.length - 1)) {
                n++;
            }
        }
        this.processes = n;
    }

    static MetricsWindow of(TimeWindow window, long startNanos, long endNanos, int buckets, long[] boundaries,
                            List<StoreReader.RunWindow> runs) {
        return new MetricsWindow(window, startNanos, endNanos, buckets, boundaries, runs);
    }

    /**
     * A window over one live snapshot (a running agent's {@code /metrics/json}): everything since that
     * process started, up to the snapshot.
     */
    public static MetricsWindow ofSnapshot(MetricsSnapshot snapshot) {
        long start = snapshot.points().values().stream().mapToLong(p -> p.startNanos).filter(t -> t > 0).min()
                .orElse(snapshot.timeNanos());
        long end = Math.max(snapshot.timeNanos(), start + 1);
        StoreReader.RunWindow run = new StoreReader.RunWindow("live", new MetricsSnapshot[] {null, snapshot},
                snapshot);
        return new MetricsWindow(new TimeWindow(start, end + 1), start, end, 0, new long[] {start, end + 1},
                List.of(run));
    }

    public TimeWindow window() {
        return window;
    }

    /** The window's start: {@code --since}, or the first run's start when the window is open. */
    public long startNanos() {
        return startNanos;
    }

    /** The window's end: {@code --until}, or now when the window is open. */
    public long endNanos() {
        return endNanos;
    }

    /** Length of the window in seconds, the divisor of every rate. */
    public double seconds() {
        return Math.max(1e-9, (endNanos - startNanos) / 1e9);
    }

    /** Processes (runs of the agent) that wrote metrics inside the window. */
    public int processes() {
        return processes;
    }

    /** Service names of the processes that wrote inside the window, sorted. */
    public Set<String> services() {
        Set<String> out = new TreeSet<>();
        for (StoreReader.RunWindow r : runs) {
            MetricsSnapshot last = r.atBoundary()[boundaries.length - 1];
            if (wroteInWindow(r, 0, boundaries.length - 1)) {
                out.add(last.service());
            }
        }
        return out;
    }

    /** Every series over the whole window; {@code service} null adds up all services. */
    public Map<SeriesKey, MetricPoint> totals(String service) {
        return between(0, boundaries.length - 1, service);
    }

    /** Chart buckets (0 when none were asked for). */
    public int bucketCount() {
        return buckets;
    }

    /** Start of bucket {@code i} (0-based), epoch nanoseconds. */
    public long bucketStartNanos(int i) {
        return i == 0 ? startNanos : boundaries[i];
    }

    public long bucketEndNanos(int i) {
        return i == buckets - 1 ? endNanos : boundaries[i + 1];
    }

    /** Every series over bucket {@code i}. */
    public Map<SeriesKey, MetricPoint> bucket(int i, String service) {
        if (i < 0 || i >= buckets) {
            throw new IndexOutOfBoundsException("bucket " + i + " of " + buckets);
        }
        return between(i, i + 1, service);
    }

    private static boolean wroteInWindow(StoreReader.RunWindow r, int from, int to) {
        MetricsSnapshot last = r.atBoundary()[to];
        return last != null && last != r.atBoundary()[from];
    }

    private Map<SeriesKey, MetricPoint> between(int from, int to, String service) {
        Map<SeriesKey, MetricPoint> out = new HashMap<>();
        for (StoreReader.RunWindow r : runs) {
            if (!wroteInWindow(r, from, to)) {
                continue;
            }
            MetricsSnapshot last = r.atBoundary()[to];
            MetricsSnapshot base = r.atBoundary()[from];
            if (service != null && !service.equals(last.service())) {
                continue;
            }
            for (Map.Entry<SeriesKey, MetricPoint> e : last.points().entrySet()) {
                MetricPoint earlier = base == null ? null : base.points().get(e.getKey());
                MetricPoint delta = e.getValue().minus(earlier);
                out.merge(e.getKey(), delta, MetricPoint::plus);
            }
        }
        return out;
    }

    /**
     * Per process that wrote in the window: {earliest, latest} snapshot, the earliest being its last before the
     * window or else its first inside. For values that are cumulative since something other than the
     * agent's start (a container's CPU time since the container started), whose first point is no difference.
     */
    public List<MetricsSnapshot[]> firstAndLast() {
        List<MetricsSnapshot[]> out = new ArrayList<>();
        for (StoreReader.RunWindow r : runs) {
            if (wroteInWindow(r, 0, boundaries.length - 1)) {
                MetricsSnapshot base = r.atBoundary()[0] != null ? r.atBoundary()[0] : r.firstInWindow();
                out.add(new MetricsSnapshot[] {base, r.atBoundary()[boundaries.length - 1]});
            }
        }
        return out;
    }

    /** The runs that wrote in the window, for views that need per-process values (a container's memory). */
    public List<MetricsSnapshot> lastSnapshots() {
        List<MetricsSnapshot> out = new ArrayList<>();
        for (StoreReader.RunWindow r : runs) {
            if (wroteInWindow(r, 0, boundaries.length - 1)) {
                out.add(r.atBoundary()[boundaries.length - 1]);
            }
        }
        return out;
    }
}
