package dev.obs.bootstrap;

import dev.obs.bootstrap.fs.FsRecorder;

/**
 * What obs keeps per thread: the current span and its file-system state (the sampling countdown, the
 * recursion guard; the counters are FsRecorder's shared stripes). A few dozen bytes that die with the
 * thread; nothing of obs refers to the thread. One ThreadLocal lookup serves a
 * whole record. Public only so that file-system advice can carry it from its enter to its exit advice
 * ({@link FsRecorder#enter}); its fields are private to this package.
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
    public boolean suppressed;

    // File-system state, owner thread only (see FsRecorder).
    /** True between an outermost file operation's enter and exit: nested operations are not counted again. */
    public boolean fsBusy;
    /** Start of the current operation: System.nanoTime() | 1 when timed precisely, the coarse clock & ~1 else. */
    public long fsStart;
    /**
     * Calls left until the next precisely timed one. The first interval is random like the others (1 to 128):
     * a thread that makes one or two file calls (a short task on a virtual thread) is then sampled about 1 in
     * 64 like any other, not on its first call.
     */
    public int fsCountdown;
    /** The counter stripe this thread adds to (shared with the threads hashed to it), set on its first file operation. */
    public long[] fsCounts;
    /** File operations in the configured groups on this thread (FsRecorder.countedOnThisThreadInConfiguredGroups). */
    public long fsConfiguredGroupCalls;

    /**
     * This JVM's, so that another JVM's threads draw other ids: the clocks, as ThreadLocalRandom's default seed
     * (not ThreadLocalRandom itself, whose initialization may read a file while this class initializes).
     */
    private static final long ID_SALT = System.nanoTime() ^ System.currentTimeMillis() * 0xBF58476D1CE4E5B9L;
    /** SplitMix64 state of the span and trace ids this thread draws ({@link #nextId}). */
    private long ids;

    @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; getId() is the same number
    private ThreadState() {
        // ids are sequential: the golden-ratio multiply spreads them over the seed space
        ids = ID_SALT ^ Thread.currentThread().getId() * 0x9E3779B97F4A7C15L;
        ids = nextId(); // a start hashed from the thread's id: no two threads' streams run into each other
        fsCountdown = fsInterval();
    }

    /** A file-sampling interval, 1 to 128 calls, from the thread's id stream (FsRecorder.enter). */
    public int fsInterval() {
        return 1 + ((int) nextId() & 127);
    }

    /**
     * The thread's next span or trace id, never 0: SplitMix64 over a per-thread state, so a new thread's first
     * span touches nothing shared (ThreadLocalRandom's first use on a thread adds to two JVM-wide atomics, a
     * cache line every new virtual thread's first span would pull from the other cores).
     */
    long nextId() {
        long z = ids += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^= z >>> 31) == 0 ? 1 : z;
    }

    public static ThreadState get() {
        return STATE.get();
    }
}
