package dev.obs.exporter;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Stripes;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One exact latency series of the metric path: every value recorded on the application thread, nothing
 * queued, nothing dropped, a fixed amount of memory however many threads record.
 *
 * <p><b>Cells.</b> The series has {@link #STRIPES} stripes; a thread records into the stripe its id hashes
 * to, with atomic adds ({@link VarHandle#getAndAdd}), so two threads that share a stripe still count
 * exactly and a stripe outlives no thread: a million short-lived (or virtual) threads cost no memory of
 * their own. A stripe's block is allocated by the first value that lands in it (published with a CAS), so a
 * series one thread records costs one block (about 9 KiB), and at most {@code STRIPES} blocks.
 *
 * <p><b>Buckets.</b> Nanoseconds, log-linear: one slot per nanosecond below 64 ns, then 32 slots per power
 * of two up to 2^40 ns (18 min), then one overflow slot; a value is reported to within 1/64 (1.6 %) of itself
 * by the midpoint of its slot. Slots that contain one of the exported explicit bounds
 * ({@link #EXPORT_BOUNDS_NANOS}, 1 µs to 10 s) are split in two at the bound, so every slot lies inside
 * one exported bucket and the exported bucket counts are exact sums of slots. Count, sum, exact min and max
 * and the number of failed calls are kept beside the slots; the count is the sum of the slots.
 *
 * <p><b>Memory ordering.</b> Writers use volatile read-modify-writes (getAndAdd, CAS for min/max); the
 * exporter reads with {@code getVolatile}. An add that completed before the exporter's read is in that
 * read (synchronization order); one racing with it is in the next. A snapshot is therefore not atomic
 * across slots (the sum can be a few values ahead of the slots), but cumulative totals never lose a value,
 * and once the recording threads are done (the shutdown hook runs after them) the snapshot is exact.
 */
public final class StripedHistogram {
    /** Exported histogram bounds in nanoseconds: 1 µs to 10 s, upper-inclusive like OTel's explicit buckets. */
    public static final long[] EXPORT_BOUNDS_NANOS = {1_000L, 5_000L, 10_000L, 25_000L, 50_000L, 100_000L,
            250_000L, 500_000L, 1_000_000L, 2_500_000L, 5_000_000L, 10_000_000L, 25_000_000L, 50_000_000L,
            100_000_000L, 250_000_000L, 500_000_000L, 1_000_000_000L, 2_500_000_000L, 5_000_000_000L,
            10_000_000_000L};

    private static final int SUB_BITS = 5;
    private static final int SUB = 1 << SUB_BITS;
    /** Values below this have a slot each. */
    private static final int LINEAR = 2 * SUB;
    /** Highest power of two with slots of its own; larger values go to the overflow slot. */
    private static final int MAX_EXPONENT = 39;
    private static final int FINE = LINEAR + (MAX_EXPONENT - SUB_BITS) * SUB + 1;
    private static final int OVERFLOW_FINE = FINE - 1;
    /** Per fine bucket: {@code [2i]} the bound it is split at (MAX_VALUE: none), {@code [2i+1]} its first slot. */
    private static final long[] SLOT_OF_FINE = new long[FINE * 2];
    /** Slots: fine buckets plus one per split. */
    public static final int SLOTS;
    /** Smallest value of each slot, and one past the last slot's largest (the overflow slot ends at MAX_VALUE). */
    private static final long[] SLOT_LOW;
    /** Exported bucket (0 to EXPORT_BOUNDS_NANOS.length) of each slot. */
    private static final int[] SLOT_EXPORT_BUCKET;

    static {
        int slot = 0;
        int bound = 0;
        long[] low = new long[FINE + EXPORT_BOUNDS_NANOS.length + 1];
        for (int i = 0; i < FINE; i++) {
            long lo = fineLow(i);
            long hi = i == OVERFLOW_FINE ? Long.MAX_VALUE : fineLow(i + 1);
            SLOT_OF_FINE[2 * i] = Long.MAX_VALUE;
            SLOT_OF_FINE[2 * i + 1] = slot;
            low[slot++] = lo;
            while (bound < EXPORT_BOUNDS_NANOS.length && EXPORT_BOUNDS_NANOS[bound] < lo) {
                bound++;
            }
            // a bound b with b and b + 1 both in [lo, hi) splits the bucket: <= b below, > b above
            if (bound < EXPORT_BOUNDS_NANOS.length && EXPORT_BOUNDS_NANOS[bound] + 1 < hi) {
                SLOT_OF_FINE[2 * i] = EXPORT_BOUNDS_NANOS[bound];
                low[slot++] = EXPORT_BOUNDS_NANOS[bound] + 1;
                bound++;
            }
        }
        SLOTS = slot;
        SLOT_LOW = java.util.Arrays.copyOf(low, slot + 1);
        SLOT_LOW[slot] = Long.MAX_VALUE;
        SLOT_EXPORT_BUCKET = new int[slot];
        int b = 0;
        for (int s = 0; s < slot; s++) {
            // the slot's largest value decides: bucket b holds (bound[b-1], bound[b]]
            long largest = SLOT_LOW[s + 1] - 1;
            while (b < EXPORT_BOUNDS_NANOS.length && EXPORT_BOUNDS_NANOS[b] < largest) {
                b++;
            }
            SLOT_EXPORT_BUCKET[s] = b;
        }
    }

    /** Stripes per series ({@link Stripes#COUNT}). */
    public static final int STRIPES = Stripes.COUNT;
    private static final int SUM = SLOTS;
    /**
     * {@code Long.MAX_VALUE - min}: raised, never lowered, like {@link #MAX}, so a block of zeros (a new one) is
     * an empty block and needs no initial values (see {@link #block}).
     */
    private static final int MIN_COMPLEMENT = SLOTS + 1;
    /** The largest value; 0 in an empty block, which values (never negative) cannot be below. */
    private static final int MAX = SLOTS + 2;
    private static final int ERRORS = SLOTS + 3;
    /** Padding after the hot cells: the next object on the heap never shares their cache line. */
    private static final int BLOCK = SLOTS + 4 + 8;

    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle BLOCKS = MethodHandles.arrayElementVarHandle(long[][].class);

    private final long[][] blocks = new long[STRIPES][];
    /** Metric name, or null for a series that only feeds the exit summary. */
    public final String metric;
    public final String description;
    public final String[] attributeKeys;
    public final String[] attributeValues;
    /** The exit summary's operation this series counts in, or null. */
    public final String operation;
    /** A recent span of each exported bucket ({@link #record(long, boolean, ObsSpan)}), for exemplars. */
    public final Exemplars exemplars = new Exemplars(EXPORT_BOUNDS_NANOS.length + 1);

    StripedHistogram(String metric, String description, String[] keys, String[] values, String operation) {
        this.metric = metric;
        this.description = description;
        this.attributeKeys = keys;
        this.attributeValues = values;
        this.operation = operation;
    }

    /** Records one duration; never blocks, allocates only the first value of a stripe's block. */
    public void record(long nanos, boolean error) {
        recordSlot(nanos, error);
    }

    /** As {@link #record(long, boolean)}, offering an exported span as its bucket's exemplar. */
    public void record(long nanos, boolean error, ObsSpan span) {
        int slot = recordSlot(nanos, error);
        if (span.sampled()) {
            exemplars.offer(SLOT_EXPORT_BUCKET[slot], nanos, span.traceIdHigh, span.traceIdLow, span.spanId,
                    span.endNanos);
        }
    }

    private int recordSlot(long nanos, boolean error) {
        long v = Math.max(0L, nanos);
        long[] b = block();
        int fine = fineIndex(v);
        // (split - v) is negative exactly when v lies above the split bound: the upper half's slot
        int slot = (int) SLOT_OF_FINE[2 * fine + 1] + (int) ((SLOT_OF_FINE[2 * fine] - v) >>> 63);
        // the results are assigned: a VarHandle call whose type is exactly the access mode's (returning the
        // long) links directly, one that drops it adapts its type on every call until C2 compiles this
        long unused = (long) CELLS.getAndAdd(b, slot, 1L);
        unused = (long) CELLS.getAndAdd(b, SUM, v);
        // plain reads as hints (64-bit JVMs read a long whole): both cells only rise, so a stale value can only
        // send v to the CAS loop, which reads the current one. A VarHandle call costs far more than a plain read
        // until the JIT has compiled this, i.e. for the first thousands of values of a JVM
        long complement = Long.MAX_VALUE - v;
        long seen = b[MIN_COMPLEMENT];
        if (complement > seen) {
            raise(b, MIN_COMPLEMENT, seen, complement);
        }
        seen = b[MAX];
        if (v > seen) {
            raise(b, MAX, seen, v);
        }
        if (error) {
            unused = (long) CELLS.getAndAdd(b, ERRORS, 1L);
        }
        return slot;
    }

    /**
     * The calling thread's block. A plain read: a block's cells start at zero, which means "empty" for every
     * cell, and every later write to them is an atomic read-modify-write, so a thread that sees the block
     * through a racy read sees zeros or newer values (JLS 17.4.4: the default values are visible to every
     * thread); one that still sees null goes to {@link #newBlock}, whose CAS returns the published block. An
     * acquiring VarHandle read costs 15-22 ns in C1 code and ~250 ns interpreted, which is how a burst of new
     * threads first runs this.
     */
    private long[] block() {
        int stripe = stripe(Thread.currentThread());
        long[] b = blocks[stripe];
        return b != null ? b : newBlock(stripe);
    }

    /** A thread's stripe ({@link Stripes#of}). */
    public static int stripe(Thread thread) {
        return Stripes.of(thread);
    }

    private long[] newBlock(int stripe) {
        long[] b = new long[BLOCK];
        // the loser of the CAS takes the winner's block
        long[] witness = (long[]) BLOCKS.compareAndExchange(blocks, stripe, (long[]) null, b);
        return witness == null ? b : witness;
    }

    /**
     * Raises cell {@code i} to {@code v} unless another thread raised it past v. {@code seen}, a plain read, is
     * only the first guess: a stale one fails the CAS, which returns the current value (one VarHandle call
     * fewer: this runs interpreted for long, a value rarely being a new minimum or maximum).
     */
    private static void raise(long[] b, int i, long seen, long v) {
        long m = seen;
        while (v > m) {
            long witness = (long) CELLS.compareAndExchange(b, i, m, v);
            if (witness == m) {
                return;
            }
            m = witness;
        }
    }

    static int fineIndex(long v) {
        if (v < LINEAR) {
            return (int) v;
        }
        int e = 63 - Long.numberOfLeadingZeros(v);
        if (e > MAX_EXPONENT) {
            return OVERFLOW_FINE;
        }
        return LINEAR + ((e - SUB_BITS - 1) << SUB_BITS) + (int) ((v >>> (e - SUB_BITS)) & (SUB - 1));
    }

    private static long fineLow(int i) {
        if (i < LINEAR) {
            return i;
        }
        if (i == OVERFLOW_FINE) {
            return 1L << (MAX_EXPONENT + 1);
        }
        int k = i - LINEAR;
        int e = (k >>> SUB_BITS) + SUB_BITS + 1;
        return (long) (SUB + (k & (SUB - 1))) << (e - SUB_BITS);
    }

    // ---------------------------------------------------------------------------------------- exporter side

    /** Sum of every stripe at one moment (see the class comment for what "moment" means). */
    public Snapshot snapshot() {
        Snapshot s = new Snapshot();
        for (int i = 0; i < STRIPES; i++) {
            long[] b = (long[]) BLOCKS.getAcquire(blocks, i);
            if (b != null) {
                s.add(b);
            }
        }
        return s;
    }

    /** Cumulative figures of a series (or of several, merged with {@link #add(Snapshot)}). */
    public static final class Snapshot {
        public final long[] slots = new long[SLOTS];
        public long count;
        public long sum;
        public long min = Long.MAX_VALUE;
        public long max = Long.MIN_VALUE;
        public long errors;

        void add(long[] block) {
            long values = 0;
            for (int i = 0; i < SLOTS; i++) {
                long c = (long) CELLS.getVolatile(block, i);
                slots[i] += c;
                values += c;
            }
            count += values;
            sum += (long) CELLS.getVolatile(block, SUM);
            min = Math.min(min, Long.MAX_VALUE - (long) CELLS.getVolatile(block, MIN_COMPLEMENT));
            if (values > 0) { // an empty block's max cell, 0, is no value
                max = Math.max(max, (long) CELLS.getVolatile(block, MAX));
            }
            errors += (long) CELLS.getVolatile(block, ERRORS);
        }

        /** Merges another snapshot into this one. */
        public void add(Snapshot other) {
            for (int i = 0; i < SLOTS; i++) {
                slots[i] += other.slots[i];
            }
            count += other.count;
            sum += other.sum;
            min = Math.min(min, other.min);
            max = Math.max(max, other.max);
            errors += other.errors;
        }

        /** Counts of the exported buckets ({@link #EXPORT_BOUNDS_NANOS}.length + 1, the last unbounded). */
        public long[] exportBuckets() {
            long[] out = new long[EXPORT_BOUNDS_NANOS.length + 1];
            for (int i = 0; i < SLOTS; i++) {
                out[SLOT_EXPORT_BUCKET[i]] += slots[i];
            }
            return out;
        }

        /**
         * The value at {@code percentile} (0 to 100): the midpoint of the slot holding it, within 1/64 of the
         * value, and never outside the exact min and max (100: the max). 0 when empty.
         */
        public long valueAtPercentile(double percentile) {
            if (count == 0) {
                return 0;
            }
            if (percentile >= 100) {
                return max;
            }
            long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * count));
            long seen = 0;
            for (int i = 0; i < SLOTS; i++) {
                seen += slots[i];
                if (seen >= rank) {
                    long lo = SLOT_LOW[i];
                    long hi = SLOT_LOW[i + 1] - 1;
                    long mid = hi == Long.MAX_VALUE - 1 ? lo : lo + (hi - lo) / 2;
                    return Math.max(min, Math.min(max, mid));
                }
            }
            return max;
        }
    }

    /**
     * One exemplar per exported bucket of a series: the trace and span of a recent value that
     * fell in it, so a latency panel can open a trace of that latency. An application thread writes a bucket's
     * exemplar at most once a second ({@link #INTERVAL_NANOS}); otherwise {@link #offer} costs one plain read and a
     * compare, and it never allocates.
     *
     * <p><b>Memory ordering.</b> Each bucket is a sequence lock over its own cache line: a writer claims it by a CAS
     * of the sequence from even to odd (a writer that loses, or finds it odd, drops its exemplar: another one is being
     * written), writes the fields with opaque stores and releases the sequence at the next even number. The reader
     * (the exporter) reads the sequence with acquire, the fields, an acquire fence, and the sequence again: equal
     * and even means the fields belong together; otherwise the bucket is skipped for that collection.
     */
    public static final class Exemplars {
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
            // a plain read as a hint (the CAS of the sequence decides): stale, it skips or writes one exemplar early
            if (at - cells[base + NEXT] < 0) {
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
}
