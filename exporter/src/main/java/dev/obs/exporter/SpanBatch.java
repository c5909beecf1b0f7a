package dev.obs.exporter;

import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The outcome of one span export, settled exactly once: by the export's result (on a sender thread), or
 * as abandoned at the shutdown deadline (exporter thread), whichever comes first. So a batch answered
 * just as the deadline passes is counted as exported or as dropped, never both. It is itself the callback
 * of its export's result ({@link #run}): a lambda there would spin a class at the first export of every run.
 */
final class SpanBatch implements Runnable {
    private final int size;
    private final SelfMetrics.ExporterCounters counters;
    private final AtomicBoolean settled = new AtomicBoolean();
    private CompletableResultCode result;

    SpanBatch(int size, SelfMetrics.ExporterCounters counters) {
        this.size = size;
        this.counters = counters;
        counters.health.batchStarted();
    }

    void watch(CompletableResultCode r) {
        result = r;
        r.whenComplete(this);
    }

    /** The export's result has come (sender thread, or the caller of {@link #watch} when it had already). */
    @Override
    public void run() {
        settle(result.isSuccess());
    }

    void settle(boolean success) {
        if (settled.compareAndSet(false, true)) {
            if (success) {
                counters.spansExported.addAndGet(size);
                counters.health.succeeded();
            } else {
                counters.spansFailed.addAndGet(size);
                counters.spanFailures.incrementAndGet();
                counters.health.failed(result == null ? null : result.getFailureThrowable(), size);
            }
            counters.health.batchSettled();
        }
    }

    void abandon() {
        if (settled.compareAndSet(false, true)) {
            counters.spansAbandoned.addAndGet(size);
            counters.health.batchSettled();
        }
    }

    boolean isSettled() {
        return settled.get();
    }

    void await(long deadline) {
        long left = deadline - System.nanoTime();
        if (left > 0 && result != null) {
            result.join(left, TimeUnit.NANOSECONDS);
        }
    }
}
