package dev.obs.exporter.http;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What one destination's exports came to, for {@code /health}: written by the sender threads as exports
 * complete (and by the exporter thread as span batches leave), read by the HTTP threads. Lock-free; each field
 * is its own atomic, so a reader may see a success and the failure that followed it a moment apart.
 */
public final class DestinationHealth {
    /** Span export batches a destination may have unanswered; the pipeline's bound, shown as the capacity. */
    private final int inFlightCapacity;
    private final String name;
    private final AtomicLong lastSuccessMillis = new AtomicLong();
    private final AtomicLong lastErrorMillis = new AtomicLong();
    private volatile String lastError;
    private final AtomicLong consecutiveFailures = new AtomicLong();
    /** Epoch millis of the first failure since the last success, 0 while not failing. */
    private final AtomicLong failingSinceMillis = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final DropWindow drops = new DropWindow();

    public DestinationHealth(String name, int inFlightCapacity) {
        this.name = name;
        this.inFlightCapacity = inFlightCapacity;
    }

    public String name() {
        return name;
    }

    /** A span batch was handed to the destination. */
    public void batchStarted() {
        inFlight.incrementAndGet();
    }

    /** A span batch handed over is settled (answered, failed, or abandoned at the shutdown deadline). */
    public void batchSettled() {
        inFlight.decrementAndGet();
    }

    /** An export (spans or metrics) succeeded. */
    public void succeeded() {
        lastSuccessMillis.set(System.currentTimeMillis());
        consecutiveFailures.set(0);
        failingSinceMillis.set(0);
    }

    /**
     * An export failed; {@code spansLost} spans went with it (0 for metrics). {@code cause} may be null; its
     * message is shown as it is: the SDK's exporters name the endpoint but never its headers.
     */
    public void failed(Throwable cause, long spansLost) {
        long now = System.currentTimeMillis();
        lastError = cause == null ? "export failed" : oneLine(cause);
        lastErrorMillis.set(now);
        consecutiveFailures.incrementAndGet();
        failingSinceMillis.compareAndSet(0, now);
        if (spansLost > 0) {
            drops.add(now, spansLost);
        }
    }

    long lastSuccessMillis() {
        return lastSuccessMillis.get();
    }

    long lastErrorMillis() {
        return lastErrorMillis.get();
    }

    String lastError() {
        return lastError;
    }

    long consecutiveFailures() {
        return consecutiveFailures.get();
    }

    long failingSinceMillis() {
        return failingSinceMillis.get();
    }

    int inFlight() {
        return Math.max(0, inFlight.get());
    }

    int inFlightCapacity() {
        return inFlightCapacity;
    }

    long dropsLastMinute(long nowMillis) {
        return drops.lastMinute(nowMillis);
    }

    private static String oneLine(Throwable t) {
        String m = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        m = dev.obs.bootstrap.SecretMasker.mask(m.replace('\n', ' ').replace('\r', ' '));
        return m.length() > 300 ? m.substring(0, 300) + "..." : m;
    }

    /**
     * Counts per second over the last 60 seconds: slot {@code second % 60} holds the count of that second,
     * tagged with the second so a slot left from a minute ago reads as empty.
     */
    static final class DropWindow {
        private final AtomicLongArray seconds = new AtomicLongArray(60);
        private final AtomicLongArray counts = new AtomicLongArray(60);

        void add(long nowMillis, long n) {
            long second = nowMillis / 1000;
            int slot = (int) (second % 60);
            long tagged = seconds.get(slot);
            if (tagged != second && seconds.compareAndSet(slot, tagged, second)) {
                counts.set(slot, 0);
            }
            counts.addAndGet(slot, n);
        }

        long lastMinute(long nowMillis) {
            long second = nowMillis / 1000;
            long total = 0;
            for (int slot = 0; slot < 60; slot++) {
                if (second - seconds.get(slot) < 60) {
                    total += counts.get(slot);
                }
            }
            return total;
        }
    }
}
