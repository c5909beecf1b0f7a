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
 * builds its series and publishes the table with it by a compare-and-set, without a lock: a virtual thread
 * that waits for a monitor unmounts, and a burst of new threads that all reach an operation's first span
 * while it is being built would then pass the monitor one scheduling turn each (hundreds of milliseconds
 * for 10 000 threads). A thread that loses the race drops what it built; only the published series is
 * registered with {@link ExactMetrics}. The table is bounded; operations beyond {@link #MAX_OPERATIONS}
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

    /** Power-of-two open-addressing table, at most half full; replaced whole by compare-and-set. */
    private static final java.util.concurrent.atomic.AtomicReference<Operation[]> TABLE =
            new java.util.concurrent.atomic.AtomicReference<>(new Operation[64]);

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
        Operation op = find(TABLE.get(), span.origin, span.name, span.function);
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

    private static Operation find(Operation[] t, byte origin, String name, String function) {
        int h = hash(origin, name, function);
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
        Operation fresh = null;
        while (true) {
            Operation[] t = TABLE.get();
            Operation op = find(t, origin, name, function);
            if (op != null) {
                return op;
            }
            int size = 0;
            for (Operation o : t) {
                size += o == null ? 0 : 1;
            }
            if (size >= MAX_OPERATIONS && name != OTHER) {
                // the shared _OTHER operations are the only ones past the bound
                return register(origin, OTHER, origin == ObsSpan.ORIGIN_METHOD ? OTHER : null);
            }
            fresh = fresh != null ? fresh : new Operation(origin, name, function, hash(origin, name, function));
            Operation[] next = new Operation[(size + 1) * 2 > t.length ? t.length * 2 : t.length];
            for (Operation o : t) {
                if (o != null) {
                    insert(next, o);
                }
            }
            insert(next, fresh);
            if (TABLE.compareAndSet(t, next)) {
                ExactMetrics.register(fresh.success);
                return fresh;
            }
        }
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
        /** Series by error type of a method. Copy-on-write, published by compare-and-set as the table is. */
        private volatile Variant[] variants = new Variant[0];
        private static final java.util.concurrent.atomic.AtomicReferenceFieldUpdater<Operation, Variant[]> VARIANTS =
                java.util.concurrent.atomic.AtomicReferenceFieldUpdater.newUpdater(Operation.class, Variant[].class, "variants");

        Operation(byte origin, String name, String function, int hash) {
            this.origin = origin;
            this.name = name;
            this.function = function;
            this.hash = hash;
            if (origin == ObsSpan.ORIGIN_METHOD) {
                summaryName = name.substring(name.lastIndexOf('.') + 1) + "." + function;
                success = ExactMetrics.series(METHOD_DURATION, "Duration of configured method calls",
                        METHOD_KEYS, new String[] {name, function}, summaryName);
            } else {
                summaryName = name;
                success = ExactMetrics.series(null, null, new String[0], new String[0], name);
            }
        }

        boolean matches(byte origin, String name, String function) {
            // woven and cached names are the same String every call: the reference comparisons decide
            return this.origin == origin && (this.name == name || this.name.equals(name))
                    && (this.function == function || this.function != null && this.function.equals(function));
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
            StripedHistogram series = null;
            while (true) {
                Variant[] v = variants;
                for (Variant x : v) {
                    if (x.key.equals(key)) {
                        return x.series;
                    }
                }
                if (v.length >= MAX_VARIANTS && !key.equals(OTHER)) {
                    return variant(OTHER);
                }
                series = series != null ? series : ExactMetrics.series(METHOD_DURATION,
                        "Duration of configured method calls", METHOD_ERROR_KEYS, new String[] {name, function, key},
                        summaryName);
                Variant[] next = java.util.Arrays.copyOf(v, v.length + 1);
                next[v.length] = new Variant(key, series);
                if (VARIANTS.compareAndSet(this, v, next)) {
                    return ExactMetrics.register(series);
                }
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
