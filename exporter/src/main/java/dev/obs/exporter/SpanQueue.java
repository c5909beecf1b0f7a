package dev.obs.exporter;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.SpanSink;
import dev.obs.bootstrap.Stripes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;

/**
 * The bounded queue between application threads (many producers) and the exporter thread (one
 * consumer), and the place where whole traces are shed.
 *
 * <p>A new trace is admitted only while the queue is below its high-water mark (three quarters full);
 * once a root finds it there, new traces are shed until the queue has drained to its low-water mark (a
 * quarter full). The quarter above the high-water mark is room for the spans of traces admitted before:
 * they are queued whole, and a full queue (dropping single spans, reason {@code queue_full}) is left for
 * a trace larger than that room. Nothing blocks. Every decision and drop is counted in a striped counter,
 * so a storm of them does not make producers contend on one cache line.
 *
 * <p>Memory ordering: {@code shedding} is a plain volatile hint read and written by producers; racing
 * roots may take one decision each on a stale value, which only moves a transition by a trace or two.
 * The counts stay exact: each decision adds to at most one counter. Spans are published to the exporter
 * by the JCTools queue's release/acquire hand-off. The atomic-field variant of the queue is used because
 * the Unsafe one makes JDK 24+ print a deprecation warning on the application's stderr.
 *
 * <p>With no destination ({@code obs.exporter=none}) nothing is queued: a span is only counted (a striped
 * add, no shared index for the producers and the exporter thread to bounce between cores), and the queue is
 * a token one that stays empty.
 *
 * <p>The JCTools queue is created when first needed, not with this object in premain (loading its classes
 * took milliseconds of the program's start): by the first span offered, or by the exporter thread 50 ms
 * after it starts, whichever comes first (a short program that records nothing never creates it). Creators
 * that race each build one and keep the one published first; the other was never offered anything, so no
 * span is lost and no thread waits for another's creation.
 */
final class SpanQueue implements SpanSink {
    /** Empty until the queue is first needed (see the class comment). */
    private final AtomicReference<MpscAtomicArrayQueue<ObsSpan>> queue = new AtomicReference<>();
    /** What the queue is created with, and its capacity: the power of two JCTools rounds it up to. */
    private final int requestedCapacity;
    private final int capacity;
    private final int highWater;
    private final int lowWater;
    private volatile boolean shedding;
    private final LongAdder queueFull = new LongAdder();
    private final LongAdder shedTraces = new LongAdder();
    private final LongAdder shedSpans = new LongAdder();
    /**
     * Spans ended with no destination to go to, one cell per stripe ({@link Stripes}) 16 longs apart (a cache
     * line of its own); null when there are destinations. Not a LongAdder: a new (virtual) thread has no
     * probe yet, so a burst of them would all contend on its base first.
     */
    private final long[] unexported;
    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int CELL_SPACING = 16;

    SpanQueue(int capacity, boolean anyDestination) {
        this.unexported = anyDestination ? null : new long[Stripes.COUNT * CELL_SPACING];
        this.requestedCapacity = anyDestination ? capacity : 2;
        // JCTools' Pow2.roundToPowerOfTwo, without loading it
        int actual = 1 << (32 - Integer.numberOfLeadingZeros(requestedCapacity - 1));
        this.capacity = actual;
        this.highWater = actual - actual / 4;
        this.lowWater = actual / 4;
    }

    /** The queue's capacity (without creating it). */
    int capacity() {
        return capacity;
    }

    /** The queue, created if this is its first use. */
    private MpscAtomicArrayQueue<ObsSpan> created() {
        MpscAtomicArrayQueue<ObsSpan> mine = new MpscAtomicArrayQueue<>(requestedCapacity);
        MpscAtomicArrayQueue<ObsSpan> published = queue.compareAndExchange(null, mine);
        return published != null ? published : mine;
    }

    @Override
    public boolean offer(ObsSpan span) {
        long[] counted = unexported;
        if (counted != null) {
            // assigned, so the call's type is exactly the access mode's and links directly (StripedHistogram)
            long unused = (long) CELLS.getAndAdd(counted,
                    Stripes.of(Thread.currentThread()) * CELL_SPACING + CELL_SPACING / 2, 1L);
            return true;
        }
        MpscAtomicArrayQueue<ObsSpan> q = queue.get();
        if (q == null) {
            q = created();
        }
        if (q.offer(span)) {
            return true;
        }
        queueFull.increment();
        return false;
    }

    @Override
    public boolean admitTrace() {
        if (unexported != null) {
            return true; // nothing backs up
        }
        MpscAtomicArrayQueue<ObsSpan> q = queue.get();
        int depth = q == null ? 0 : q.size();
        if (shedding) {
            if (depth > lowWater) {
                shedTraces.increment();
                return false;
            }
            shedding = false;
            return true;
        }
        if (depth >= highWater) {
            shedding = true;
            shedTraces.increment();
            return false;
        }
        return true;
    }

    @Override
    public void countShedSpan() {
        shedSpans.increment();
    }

    /** Whether no span is queued (without creating the queue). */
    boolean isEmpty() {
        MpscAtomicArrayQueue<ObsSpan> q = queue.get();
        return q == null || q.isEmpty();
    }

    /** Consumer side: the exporter thread only (created here if no span came first). */
    MpscAtomicArrayQueue<ObsSpan> queue() {
        MpscAtomicArrayQueue<ObsSpan> q = queue.get();
        return q != null ? q : created();
    }

    /** Spans ended with {@code obs.exporter=none}: counted, never queued. */
    long unexported() {
        long sum = 0;
        for (int i = CELL_SPACING / 2; unexported != null && i < unexported.length; i += CELL_SPACING) {
            sum += (long) CELLS.getVolatile(unexported, i);
        }
        return sum;
    }

    /** Spans of admitted traces that found the queue full. */
    long queueFull() {
        return queueFull.sum();
    }

    /** Traces shed at their root. */
    long shedTraces() {
        return shedTraces.sum();
    }

    /** Spans of shed traces (ended so far). */
    long shedSpans() {
        return shedSpans.sum();
    }
}
