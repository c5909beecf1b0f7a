package dev.obs.bootstrap;

/**
 * What obs keeps per thread: the current span and the thread's metric ring. One ThreadLocal lookup
 * serves a whole record.
 */
final class ThreadState {
    private static final ThreadLocal<ThreadState> STATE = new ThreadLocal<ThreadState>() {
        @Override
        protected ThreadState initialValue() {
            return new ThreadState();
        }
    };

    /** The innermost obs span open on this thread, or null. */
    ObsSpan current;
    /** True on obs's own threads: nothing they do is recorded. */
    boolean suppressed;
    private MetricRing ring;

    static ThreadState get() {
        return STATE.get();
    }

    MetricRing ring() {
        MetricRing r = ring;
        if (r == null) {
            r = ring = MetricRegistry.newRing(Thread.currentThread());
        }
        return r;
    }
}
