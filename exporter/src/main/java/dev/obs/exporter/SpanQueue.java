package dev.obs.exporter;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.SpanSink;
import java.util.concurrent.atomic.LongAdder;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;

/**
 * The bounded queue between application threads (many producers) and the exporter thread (one
 * consumer). A full queue never blocks: the span is dropped and counted in a striped counter, so even a
 * storm of drops does not make producers contend on one cache line. The atomic-field variant of JCTools'
 * queue is used because the Unsafe one makes JDK 24+ print a deprecation warning on the application's
 * stderr.
 */
final class SpanQueue implements SpanSink {
    private final MpscAtomicArrayQueue<ObsSpan> queue;
    private final LongAdder dropped = new LongAdder();

    SpanQueue(int capacity) {
        this.queue = new MpscAtomicArrayQueue<>(capacity);
    }

    @Override
    public boolean offer(ObsSpan span) {
        if (queue.offer(span)) {
            return true;
        }
        dropped.increment();
        return false;
    }

    /** Consumer side: the exporter thread only. */
    MpscAtomicArrayQueue<ObsSpan> queue() {
        return queue;
    }

    long dropped() {
        return dropped.sum();
    }
}
