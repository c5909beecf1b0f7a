package dev.obs.exporter;

/**
 * The series of the metric path, which never drops: every {@link StripedHistogram} and {@link ExactCounter}
 * created, in creation order, for the exporter to read. Creation takes a lock and is done once per series
 * (at the first call of an operation, or when a family starts); recording into a series takes none.
 * The arrays are copy-on-write: a reader sees a complete array of fully constructed series (volatile
 * publication).
 */
public final class ExactMetrics {
    private static final Object LOCK = new Object();
    private static volatile StripedHistogram[] histograms = new StripedHistogram[0];
    private static volatile ExactCounter[] counters = new ExactCounter[0];

    private ExactMetrics() {
    }

    /**
     * A new latency series in seconds.
     *
     * @param metric    exported name, or null for a series that only feeds the exit summary
     * @param operation the exit summary's operation it counts in, or null
     */
    public static StripedHistogram histogram(String metric, String description, String[] keys, String[] values,
                                             String operation) {
        return register(series(metric, description, keys, values, operation));
    }

    /** As {@link #histogram}, but the exporter sees it only once it is {@link #register}ed. */
    public static StripedHistogram series(String metric, String description, String[] keys, String[] values, String operation) {
        return new StripedHistogram(metric, description, keys.clone(), values.clone(), operation);
    }

    public static StripedHistogram register(StripedHistogram h) {
        synchronized (LOCK) {
            histograms = append(histograms, h);
        }
        return h;
    }

    /** A new monotonic sum. */
    public static ExactCounter counter(String metric, String unit, String description, String[] keys,
                                       String[] values) {
        return register(new ExactCounter(metric, unit, description, keys.clone(), values.clone()));
    }

    /** As {@link #counter}, but the exporter sees it only once it is {@link #register}ed. */
    public static ExactCounter sum(String metric, String unit, String description, String[] keys, String[] values) {
        return new ExactCounter(metric, unit, description, keys.clone(), values.clone());
    }

    public static ExactCounter register(ExactCounter c) {
        synchronized (LOCK) {
            counters = append(counters, c);
        }
        return c;
    }

    private static <T> T[] append(T[] current, T element) {
        T[] next = java.util.Arrays.copyOf(current, current.length + 1);
        next[current.length] = element;
        return next;
    }

    public static StripedHistogram[] histograms() {
        return histograms;
    }

    public static ExactCounter[] counters() {
        return counters;
    }

    /** True once any series exists (something was recorded or is about to be). */
    public static boolean any() {
        return histograms.length > 0 || counters.length > 0;
    }
}
