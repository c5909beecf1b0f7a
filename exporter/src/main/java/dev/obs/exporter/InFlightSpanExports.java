package dev.obs.exporter;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The span exports each destination has not answered yet, at most {@link #MAX_IN_FLIGHT} per destination.
 * Exporter thread only; the batches themselves are settled on sender threads ({@link SpanBatch}).
 */
final class InFlightSpanExports {
    /** Span batches a destination may have unanswered before new batches wait (first) or drop (others). */
    static final int MAX_IN_FLIGHT = 32;

    private final List<ArrayDeque<SpanBatch>> pendingByDestination = new ArrayList<>();

    InFlightSpanExports(int destinations) {
        for (int i = 0; i < destinations; i++) {
            pendingByDestination.add(new ArrayDeque<>());
        }
    }

    /** Whether destination {@code i} has fewer than {@link #MAX_IN_FLIGHT} span exports unanswered. */
    boolean hasRoom(int i) {
        if (i >= pendingByDestination.size()) {
            return true;
        }
        ArrayDeque<SpanBatch> pending = pendingByDestination.get(i);
        for (Iterator<SpanBatch> it = pending.iterator(); it.hasNext(); ) {
            if (it.next().isSettled()) {
                it.remove();
            }
        }
        return pending.size() < MAX_IN_FLIGHT;
    }

    void add(int destination, SpanBatch batch) {
        pendingByDestination.get(destination).addLast(batch);
    }

    /** Waits, at most until {@code deadline}, for the oldest unanswered export of destination {@code i}. */
    void awaitOldest(int i, long deadline) {
        pendingByDestination.get(i).peekFirst().await(deadline);
    }

    /** Waits, at most until {@code deadline}, for every export still unanswered. */
    void awaitAll(long deadline) {
        for (ArrayDeque<SpanBatch> pending : pendingByDestination) {
            for (SpanBatch b : pending) {
                b.await(deadline);
            }
        }
    }

    /** Counts every export still unanswered as abandoned (once: an answer that came first keeps its count). */
    void abandonAll() {
        for (ArrayDeque<SpanBatch> pending : pendingByDestination) {
            for (SpanBatch b : pending) {
                b.abandon();
            }
        }
    }
}
