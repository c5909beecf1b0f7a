package dev.obs.bootstrap;

/**
 * What obs keeps per thread: the current span, the thread's metric ring and its file-system counters.
 * One ThreadLocal lookup serves a whole record. Public only so that file-system advice can carry it from
 * its enter to its exit advice ({@link FsRecorder#enter}); its fields are private to this package.
 */
public final class ThreadState {
    private static final ThreadLocal<ThreadState> STATE = new ThreadLocal<ThreadState>() {
        @Override
        protected ThreadState initialValue() {
            return new ThreadState();
        }
    };

    /** The innermost obs span open on this thread, or null. */
    ObsSpan current;
    /**
     * The span the concurrent family made current for the task a pool worker took (or for the run of a
     * thread started under it), or null: the worker drops it, and only it, before its next task.
     */
    ObsSpan carried;
    /** True on obs's own threads: nothing they do is recorded. */
    boolean suppressed;
    private MetricRing ring;

    // File-system state, owner thread only (see FsRecorder).
    /** True between an outermost file operation's enter and exit: nested operations are not counted again. */
    boolean fsBusy;
    /** Start of the current operation: System.nanoTime() | 1 when timed precisely, the coarse clock & ~1 else. */
    long fsStart;
    /** Calls left until the next precisely timed one. */
    int fsCountdown = 1;
    /** xorshift state for the sampling interval; never 0. */
    int fsRandom = (int) (System.identityHashCode(this) * 0x9E3779B9L) | 1;
    /** This thread's counters (FsRecorder.Counters), created on its first file operation. */
    long[] fsCounts;

    private ThreadState() {
    }

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
