package dev.obs.bootstrap;

/**
 * One span as the application thread records it: plain fields, written by the thread that started it and
 * published to the exporter thread by the queue's release/acquire hand-off when it ends. Nothing here is
 * read by the exporter before {@link Recorder#endSpan} has queued it.
 *
 * <p>Method spans carry their class and method names as constants woven into the caller, so starting one
 * allocates nothing but this object. Other families add attributes with
 * {@link #setAttribute}; values must already be masked (see {@link SecretMasker}).
 */
public final class ObsSpan {
    /** A span for a configured method; name and code.* attributes derive from namespace/function. */
    public static final byte ORIGIN_METHOD = 0;
    /** A span of an instrumented library (INTERNAL kind unless {@link #spanKind} says otherwise). */
    public static final byte ORIGIN_LIBRARY = 1;

    public final long traceIdHigh;
    public final long traceIdLow;
    public final long spanId;
    public final long parentSpanId;
    /** The trace is exported: sampled and admitted at its root. Only such spans are queued. */
    public static final byte EXPORTED = 0;
    /** The sampler left the trace out. */
    public static final byte UNSAMPLED = 1;
    /**
     * The trace was sampled but shed at its root because the queue was backed up: its spans are not
     * queued, and each is counted as dropped (reason {@code shed}) when it ends.
     */
    public static final byte SHED = 2;

    /**
     * What the root decided for the trace: {@link #EXPORTED}, {@link #UNSAMPLED} or {@link #SHED}. One byte
     * next to the other small fields, so the object stays at 88 bytes.
     */
    public final byte decision;
    /** What made the span: {@link #ORIGIN_METHOD} or {@link #ORIGIN_LIBRARY} (not the OTel kind: {@link #spanKind}). */
    public final byte origin;
    /** OTel span kind as its ordinal: 0 INTERNAL, 1 SERVER, 2 CLIENT, 3 PRODUCER, 4 CONSUMER. */
    public byte spanKind;
    /**
     * Span name; for a method span the declaring class's binary name (the exporter derives the span name
     * {@code Repo.sync} and the code.* attributes from it and {@link #function}).
     */
    public final String name;
    /** The method's name for a method span, else null. */
    public final String function;
    /** {@link System#nanoTime()} at start and end; the exporter converts them to epoch time. */
    public final long startNanos;
    public long endNanos;
    /** Exception type and masked message when the operation failed, else null. */
    public String errorType;
    public String errorMessage;
    /** Set by a library family that ends with an error status without an exception (e.g. exit code 1). */
    public boolean failed;
    /**
     * Key/value pairs: String keys, values String, String[], Long, Double or Boolean; null until the first one, and
     * the pairs end at the first null key. (No count field: the object stays at 88 bytes, so a span with
     * two attributes costs 120.)
     */
    Object[] attributes;
    /** The span that was current when this one started; restored as current when this one ends. */
    final ObsSpan previous;

    ObsSpan(long traceIdHigh, long traceIdLow, long spanId, long parentSpanId, byte decision, byte origin,
            String name, String function, long startNanos, ObsSpan previous) {
        this.traceIdHigh = traceIdHigh;
        this.traceIdLow = traceIdLow;
        this.spanId = spanId;
        this.parentSpanId = parentSpanId;
        this.decision = decision;
        this.origin = origin;
        this.name = name;
        this.function = function;
        this.startNanos = startNanos;
        this.previous = previous;
    }

    /** Whether the span is exported (its trace sampled and not shed). */
    public boolean sampled() {
        return decision == EXPORTED;
    }

    /** Whether the span's trace was shed at its root. */
    public boolean shed() {
        return decision == SHED;
    }

    /** Adds an attribute; the value must be a String, String[], Long, Double or Boolean, already masked. */
    public ObsSpan setAttribute(String key, Object value) {
        if (key == null || value == null) {
            return this;
        }
        Object[] a = attributes;
        int n = attributeCount();
        if (a == null) {
            a = attributes = new Object[4];
        } else if (n * 2 == a.length) {
            Object[] grown = new Object[a.length * 2];
            System.arraycopy(a, 0, grown, 0, a.length);
            a = attributes = grown;
        }
        a[n * 2] = key;
        a[n * 2 + 1] = value;
        return this;
    }

    /**
     * Adds {@code delta} to the Long attribute {@code key}, setting it to {@code delta} when absent (so a
     * delta of 0 makes sure the attribute is there). For counters that several calls add to.
     */
    public ObsSpan addToLong(String key, long delta) {
        Object[] a = attributes;
        int n = attributeCount();
        for (int i = 0; i < n; i++) {
            if (key.equals(a[i * 2]) && a[i * 2 + 1] instanceof Long) {
                a[i * 2 + 1] = (Long) a[i * 2 + 1] + delta;
                return this;
            }
        }
        return setAttribute(key, delta);
    }

    /** Number of attributes set with {@link #setAttribute}. */
    public int attributeCount() {
        Object[] a = attributes;
        if (a == null) {
            return 0;
        }
        int n = 0;
        while (n * 2 < a.length && a[n * 2] != null) {
            n++;
        }
        return n;
    }

    /** Key of attribute {@code i}, {@code 0 <= i < attributeCount()}. */
    public String attributeKey(int i) {
        return (String) attributes[i * 2];
    }

    /** Value of attribute {@code i}, {@code 0 <= i < attributeCount()}. */
    public Object attributeValue(int i) {
        return attributes[i * 2 + 1];
    }
}
