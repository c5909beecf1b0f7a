package dev.obs.exporter;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;
import dev.obs.bootstrap.SpanMeasurement;

/**
 * The metric path of every span: when a span ends, on the thread that ends it, its duration is added to
 * the exact series of its operation, whether or not the span itself is sampled, queued or shed. Spans and
 * metrics are two paths from here: the span queue may drop, this never does.
 *
 * <p><b>Operations.</b> A span's operation is found from what the span already carries (origin, name and, for
 * a method, its function), in an open-addressing table that is copy-on-write (volatile publication of
 * fully built {@link Operation}s): the lookup compares references first (woven and cached names are the
 * same String every call), costs a few nanoseconds and allocates nothing. The first span of an operation
 * creates its series under a lock, once. The table is bounded; operations beyond {@link #MAX_OPERATIONS}
 * share one {@code _OTHER} operation.
 *
 * <p><b>Series.</b> A configured method has {@code obs.method.duration} with its {@code code.*} attributes,
 * plus one series per exception type it threw ({@code error.type}, at most {@link #MAX_VARIANTS}, then
 * {@code _OTHER}). Any other span (docker, subprocesses, slow file operations, git trace2 regions) has a
 * series that only the exit summary shows. Each series is named after the summary's operation, so the
 * summary's counts are the exported counts. A span whose family measures it itself (Git: see
 * {@link SpanMeasurement}) does not come here.
 *
 * <p>It lives in the agent's class loader: {@link Recorder} reaches it as the measurement of spans that bring
 * none ({@link #INSTANCE}, installed with {@link Recorder#measureSpansWith}).
 */
public final class SpanMetrics implements SpanMeasurement {
    /** The measurement {@link Recorder} hands every span that brings none of its own. */
    public static final SpanMetrics INSTANCE = new SpanMetrics();

    static final String METHOD_DURATION = "obs.method.duration";
    static final String OTHER = "_OTHER";
    static final int MAX_OPERATIONS = 4096;
    static final int MAX_VARIANTS = 32;
    private static final String[] METHOD_KEYS = {"code.namespace", "code.function"};
    private static final String[] METHOD_ERROR_KEYS = {"code.namespace", "code.function", "error.type"};

    private static final Object LOCK = new Object();
    /** Power-of-two open-addressing table, at most half full; replaced whole under LOCK. */
    private static volatile Operation[] table = new Operation[64];
    private static int size;
    private static Operation overflowMethod;
    private static Operation overflowLibrary;

    private SpanMetrics() {
    }

    @Override
    public void record(ObsSpan span, long durationNanos, boolean error) {
        record(span);
    }

    /** Adds an ended span ({@code endNanos} and its error set) to its operation's series. */
    static void record(ObsSpan span) {
        if (span.name == null) {
            return;
        }
        Operation op = find(span.origin, span.name, span.function);
        if (op == null) {
            op = register(span.origin, span.name, span.function);
        }
        long duration = span.endNanos - span.startNanos;
        if (span.errorType == null && !span.failed) {
            op.success.record(duration, false, span);
        } else {
            // a library span (docker, a subprocess) that failed has one series: the summary counts its errors
            StripedHistogram h = span.origin == ObsSpan.ORIGIN_METHOD ? op.variant(span.errorType) : op.success;
            h.record(duration, true, span);
        }
    }

    private static int hash(byte origin, String name, String function) {
        int h = name.hashCode() * 31 + (function == null ? 0 : function.hashCode()) + origin;
        return h ^ (h >>> 16);
    }

    private static Operation find(byte origin, String name, String function) {
        int h = hash(origin, name, function);
        Operation[] t = table;
        int mask = t.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            Operation op = t[i];
            if (op == null) {
                return null;
            }
            if (op.hash == h && op.matches(origin, name, function)) {
                return op;
            }
        }
    }

    private static Operation register(byte origin, String name, String function) {
        synchronized (LOCK) {
            Operation op = find(origin, name, function);
            if (op != null) {
                return op;
            }
            if (size >= MAX_OPERATIONS) {
                return overflow(origin);
            }
            op = new Operation(origin, name, function, hash(origin, name, function));
            Operation[] t = table;
            if ((size + 1) * 2 > t.length) {
                t = new Operation[t.length * 2];
                for (Operation o : table) {
                    if (o != null) {
                        insert(t, o);
                    }
                }
            } else {
                t = t.clone();
            }
            insert(t, op);
            size++;
            table = t;
            return op;
        }
    }

    private static Operation overflow(byte origin) {
        if (origin == ObsSpan.ORIGIN_METHOD) {
            if (overflowMethod == null) {
                overflowMethod = new Operation(origin, OTHER, OTHER, 0);
            }
            return overflowMethod;
        }
        if (overflowLibrary == null) {
            overflowLibrary = new Operation(origin, OTHER, null, 0);
        }
        return overflowLibrary;
    }

    private static void insert(Operation[] t, Operation op) {
        int mask = t.length - 1;
        int i = op.hash & mask;
        while (t[i] != null) {
            i = (i + 1) & mask;
        }
        t[i] = op;
    }

    /** One operation: a configured method or a library span name. */
    static final class Operation {
        final byte origin;
        final String name;
        final String function;
        final int hash;
        /** The summary's name: {@code Repo.sync} for a method, the span name otherwise. */
        final String summaryName;
        /** Successful calls (method), or every call (library). */
        final StripedHistogram success;
        /** Series by error type of a method. Copy-on-write. */
        private volatile Variant[] variants = new Variant[0];

        Operation(byte origin, String name, String function, int hash) {
            this.origin = origin;
            this.name = name;
            this.function = function;
            this.hash = hash;
            if (origin == ObsSpan.ORIGIN_METHOD) {
                summaryName = name.substring(name.lastIndexOf('.') + 1) + "." + function;
                success = ExactMetrics.histogram(METHOD_DURATION, "Duration of configured method calls",
                        METHOD_KEYS, new String[] {name, function}, summaryName);
            } else {
                summaryName = name;
                success = ExactMetrics.histogram(null, null, new String[0], new String[0], name);
            }
        }

        boolean matches(byte origin, String name, String function) {
            return this.origin == origin && this.name.equals(name)
                    && (this.function == null ? function == null : this.function.equals(function));
        }

        /** The series of error type {@code key}; created once. */
        StripedHistogram variant(String key) {
            Variant[] v = variants;
            for (Variant x : v) {
                if (x.key.equals(key)) {
                    return x.series;
                }
            }
            return addVariant(key);
        }

        private StripedHistogram addVariant(String key) {
            synchronized (this) {
                Variant[] v = variants;
                for (Variant x : v) {
                    if (x.key.equals(key)) {
                        return x.series;
                    }
                }
                if (v.length >= MAX_VARIANTS && !key.equals(OTHER)) {
                    return variant(OTHER);
                }
                StripedHistogram series = ExactMetrics.histogram(METHOD_DURATION, "Duration of configured method calls",
                        METHOD_ERROR_KEYS, new String[] {name, function, key}, summaryName);
                Variant[] next = java.util.Arrays.copyOf(v, v.length + 1);
                next[v.length] = new Variant(key, series);
                variants = next;
                return series;
            }
        }
    }

    private static final class Variant {
        final String key;
        final StripedHistogram series;

        Variant(String key, StripedHistogram series) {
            this.key = key;
            this.series = series;
        }
    }

}
