package dev.obs.exporter.http;

import io.opentelemetry.sdk.metrics.data.MetricData;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Hands fresh metric collections from the exporter thread to the HTTP threads. The aggregation state belongs
 * to the exporter thread alone, so a scrape does not read it: it asks ({@link #await}), the exporter thread
 * sees the request at its next turn ({@link #requested}), collects exactly as for an OTLP export and publishes
 * the list ({@link #publish}). Concurrent scrapes share one collection. The monitor here is taken by HTTP
 * threads and, briefly, by the exporter thread; never by an application thread.
 */
final class ScrapeExchange {
    private final Object lock = new Object();
    /** Generation last asked for; written under {@link #lock}, read by the exporter thread without it. */
    private volatile long asked;
    /** Generation of {@link #latest}; volatile so the exporter thread's check needs no lock. */
    private volatile long answered;
    private List<MetricData> latest;
    private volatile Thread exporter;

    void exporterThread(Thread t) {
        exporter = t;
    }

    /** Exporter thread: the latest request when a scrape waits for a collection, else 0. */
    long pending() {
        long a = asked;
        return a > answered ? a : 0;
    }

    /**
     * Exporter thread: a collection begun after {@link #pending} returned {@code request}; it answers that
     * request and every earlier one (a later one waits for the next turn).
     */
    void publish(List<MetricData> metrics, long request) {
        synchronized (lock) {
            latest = metrics;
            answered = Math.max(answered, request);
            lock.notifyAll();
        }
    }

    /**
     * HTTP thread: a collection made after this call, or the latest one when the exporter thread does not
     * answer within {@code timeoutNanos} (null when there is none yet).
     */
    List<MetricData> await(long timeoutNanos) throws InterruptedException {
        long generation;
        synchronized (lock) {
            generation = asked + 1;
            asked = generation;
        }
        Thread t = exporter;
        if (t != null) {
            LockSupport.unpark(t);
        }
        long deadline = System.nanoTime() + timeoutNanos;
        synchronized (lock) {
            while (answered < generation) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return latest;
        }
    }
}
