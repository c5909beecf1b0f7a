package dev.obs.bootstrap;

/**
 * How obs spreads the adds of many threads: a fixed number of stripes, a thread adding to the one its id
 * hashes to. Shared by the file-system counters (boot) and the metric path's histograms (agent's loader).
 */
public final class Stripes {
    /** Stripes per series: twice the processors (so collisions are rare), a power of two from 4 to 64. */
    public static final int COUNT = Math.max(4, Math.min(64,
            Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 4 - 1)));

    private Stripes() {
    }

    /** A thread's stripe: its id, mixed (ids are sequential), so neighbours land apart. */
    public static int of(Thread thread) {
        @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; getId() is the same number
        long id = thread.getId();
        return (int) ((id * 0x9E3779B97F4A7C15L) >>> 58) & (COUNT - 1);
    }
}
