package dev.obs.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One exemplar per exported bucket of a {@link StripedHistogram}: the trace and span of a recent value that
 * fell in it, so a latency panel can open a trace of that latency. An application thread writes a bucket's
 * exemplar at most once a second ({@link #INTERVAL_NANOS}); otherwise {@link #offer} costs one opaque read and a
 * compare, and it never allocates.
 *
 * <p><b>Memory ordering.</b> Each bucket is a sequence lock over its own cache line: a writer claims it by a CAS
 * of the sequence from even to odd (a writer that loses, or finds it odd, drops its exemplar: another one is being
 * written), writes the fields with opaque stores and releases the sequence at the next even number. The reader
 * (the exporter) reads the sequence with acquire, the fields, an acquire fence, and the sequence again: equal
 * and even means the fields belong together; otherwise the bucket is skipped for that collection.
 */
public final class Exemplars {
    /** Shortest time between two exemplars of one bucket, per series. */
    public static final long INTERVAL_NANOS = 1_000_000_000L;
    private static final int SEQ = 0;
    /** nanoTime from which the next exemplar may be written. */
    private static final int NEXT = 1;
    private static final int TRACE_HIGH = 2;
    private static final int TRACE_LOW = 3;
    private static final int SPAN = 4;
    private static final int VALUE = 5;
    private static final int AT = 6;
    /** A cache line per bucket: writers of neighbouring buckets do not share one. */
    private static final int STRIDE = 8;
    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] cells;

    Exemplars(int buckets) {
        cells = new long[buckets * STRIDE];
        // an hour back: the span that creates the series ended before it, and its exemplar is due at once
        long due = System.nanoTime() - 3_600_000_000_000L;
        for (int b = 0; b < buckets; b++) {
            cells[b * STRIDE + NEXT] = due;
        }
    }

    /** Application thread: {@code nanos} of the span ({@code traceHigh}, {@code traceLow}, {@code spanId}) ended at {@code at}. */
    void offer(int bucket, long nanos, long traceHigh, long traceLow, long spanId, long at) {
        int base = bucket * STRIDE;
        if (at - (long) CELLS.getOpaque(cells, base + NEXT) < 0) {
            return;
        }
        long seq = (long) CELLS.getOpaque(cells, base + SEQ);
        if ((seq & 1) != 0 || !CELLS.compareAndSet(cells, base + SEQ, seq, seq + 1)) {
            return;
        }
        CELLS.setOpaque(cells, base + NEXT, at + INTERVAL_NANOS);
        CELLS.setOpaque(cells, base + TRACE_HIGH, traceHigh);
        CELLS.setOpaque(cells, base + TRACE_LOW, traceLow);
        CELLS.setOpaque(cells, base + SPAN, spanId);
        CELLS.setOpaque(cells, base + VALUE, nanos);
        CELLS.setOpaque(cells, base + AT, at);
        CELLS.setRelease(cells, base + SEQ, seq + 2);
    }

    /**
     * Exporter: bucket {@code bucket}'s exemplar into {@code out} (trace high, trace low, span id, value in
     * nanoseconds, nanoTime it ended); false when it has none or is being written.
     */
    public boolean read(int bucket, long[] out) {
        int base = bucket * STRIDE;
        long seq = (long) CELLS.getAcquire(cells, base + SEQ);
        if (seq == 0 || (seq & 1) != 0) {
            return false;
        }
        out[0] = (long) CELLS.getOpaque(cells, base + TRACE_HIGH);
        out[1] = (long) CELLS.getOpaque(cells, base + TRACE_LOW);
        out[2] = (long) CELLS.getOpaque(cells, base + SPAN);
        out[3] = (long) CELLS.getOpaque(cells, base + VALUE);
        out[4] = (long) CELLS.getOpaque(cells, base + AT);
        VarHandle.acquireFence();
        return (long) CELLS.getOpaque(cells, base + SEQ) == seq;
    }

    public int buckets() {
        return cells.length / STRIDE;
    }
}
