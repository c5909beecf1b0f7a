package dev.obs.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded single-producer/single-consumer ring of {@code (metricId, value)} pairs, one per application
 * thread. The owning thread is the only producer and the exporter thread the only consumer, so recording
 * takes no lock and no CAS, touches no cache line shared with other application threads, and allocates
 * nothing: two plain array stores and one release store of the producer index.
 *
 * <p>Memory ordering: the producer writes the slot with plain stores, then publishes it with a release
 * store of {@code producerIndex}; the consumer reads {@code producerIndex} with acquire, reads the slots,
 * then frees them with a release store of {@code consumerIndex}, which the producer reads with acquire only
 * when its cached copy says the ring is full. The padding classes keep the two indices on separate cache
 * lines so the two threads do not false-share.
 *
 * <p>A full ring drops the value and counts it in {@link #dropped()}; recorded + dropped = produced.
 */
public final class MetricRing extends MetricRingConsumerFields {
    private static final VarHandle PRODUCER_INDEX;
    private static final VarHandle CONSUMER_INDEX;
    private static final VarHandle DROPPED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PRODUCER_INDEX = lookup.findVarHandle(MetricRingProducerFields.class, "producerIndex", long.class);
            CONSUMER_INDEX = lookup.findVarHandle(MetricRingConsumerFields.class, "consumerIndex", long.class);
            DROPPED = lookup.findVarHandle(MetricRingProducerFields.class, "dropped", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    long q0, q1, q2, q3, q4, q5, q6, q7;

    /** Receives drained pairs on the consumer thread. */
    public interface Consumer {
        void accept(int metricId, long value);
    }

    private final long[] buffer;
    private final int mask;
    private final Thread owner;

    /** @param capacity entries, rounded up to a power of two */
    public MetricRing(int capacity, Thread owner) {
        int entries = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
        this.buffer = new long[entries * 2];
        this.mask = entries - 1;
        this.owner = owner;
    }

    /** Producer side: owning thread only. Never blocks, never allocates. */
    public boolean offer(int metricId, long value) {
        long p = producerIndex;
        if (p - cachedConsumerIndex > mask) {
            cachedConsumerIndex = (long) CONSUMER_INDEX.getAcquire(this);
            if (p - cachedConsumerIndex > mask) {
                DROPPED.setOpaque(this, dropped + 1);
                return false;
            }
        }
        int slot = ((int) p & mask) << 1;
        buffer[slot] = metricId;
        buffer[slot + 1] = value;
        PRODUCER_INDEX.setRelease(this, p + 1);
        return true;
    }

    /** Consumer side: exporter thread only. Returns how many pairs it handed over. */
    public int drain(Consumer consumer) {
        long c = consumerIndex;
        long p = (long) PRODUCER_INDEX.getAcquire(this);
        int n = 0;
        for (; c < p; c++, n++) {
            int slot = ((int) c & mask) << 1;
            consumer.accept((int) buffer[slot], buffer[slot + 1]);
        }
        CONSUMER_INDEX.setRelease(this, c);
        return n;
    }

    /** Values dropped because the ring was full; read racily (opaque) by the consumer, which is benign. */
    public long dropped() {
        return (long) DROPPED.getOpaque(this);
    }

    /** The thread that writes this ring; once it has died and the ring is drained, the ring can go. */
    public Thread owner() {
        return owner;
    }

    /** Entries the ring holds. */
    public int capacity() {
        return mask + 1;
    }
}

abstract class MetricRingPad0 {
    long p0, p1, p2, p3, p4, p5, p6, p7;
}

abstract class MetricRingProducerFields extends MetricRingPad0 {
    /** Written only by the owning thread; published with release. */
    long producerIndex;
    /** The owner's last acquire-read of consumerIndex, so a non-full ring never reads the consumer's line. */
    long cachedConsumerIndex;
    /** Written only by the owning thread, with opaque stores. */
    long dropped;
}

abstract class MetricRingPad1 extends MetricRingProducerFields {
    long p10, p11, p12, p13, p14, p15, p16, p17;
}

abstract class MetricRingConsumerFields extends MetricRingPad1 {
    /** Written only by the exporter thread; published with release. */
    long consumerIndex;
}
