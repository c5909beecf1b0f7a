package dev.obs.bootstrap.fs;

import dev.obs.bootstrap.CoarseClock;
import dev.obs.bootstrap.Stripes;
import dev.obs.bootstrap.ThreadState;
import java.io.FileDescriptor;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import jdk.internal.vm.annotation.DontInline;
import jdk.internal.vm.annotation.ForceInline;

/**
 * What the file-system advice records. The budget is a few nanoseconds a call, so:
 *
 * <ul>
 * <li><b>Counting.</b> Every call and byte is added to one of a fixed set of counter stripes
 * ({@link Stripes#COUNT}: two to four per processor, 4 to 64), chosen by a hash of the thread's id.
 * Nothing is allocated, registered or kept per thread but the thread's small {@link ThreadState}, which dies
 * with it, so a million short-lived or virtual threads cost no memory of their own, and a count never
 * depends on the exporter seeing its thread alive: the stripes are the totals. A call claims its stripe for
 * the few nanoseconds of its adds (a CAS of the stripe's claim word from 0 to 1), adds with plain
 * read-modify-writes (opaque stores, so the exporter never reads a torn value) and releases the claim; two
 * atomic adds would cost twice that CAS. A call that finds its stripe claimed (another thread hashed to it,
 * or preempted while holding it) never waits: it adds atomically ({@link VarHandle#getAndAdd}) to the one
 * shared stripe, which is never written with plain stores. Each stripe is an array of its own, padded at both
 * ends, with its claim word on the line of its first counters, so two stripes never share a cache line.
 * <br><i>Memory ordering:</i> the claiming CAS is a volatile read-modify-write, so the new holder reads the
 * previous holder's counts (released by its {@code setRelease} of the claim word) and its own plain
 * read-modify-write loses nothing. The exporter ({@link #collect}) reads a stripe's claim word with acquire,
 * then its counters with opaque loads: every add of a call that released the claim before that read is
 * seen, one racing with it is seen by the next export. A snapshot is not atomic across cells (a read's bytes
 * can be in an export whose call count is one behind), but cumulative totals never lose an add, and the
 * exit figures are exact because the exit export runs in the shutdown hook, after the application's
 * threads are done.</li>
 * <li><b>Timing.</b> {@link System#nanoTime()} costs about 30 ns, so while calls come fast (from 125 000 a
 * second) they are not timed precisely: the start is a tick of the {@link CoarseClock} ({@code obs-fs-clock}
 * stores {@code nanoTime()} every {@code tick}); an exit whose coarse duration reaches
 * {@code threshold - tick} reads {@code nanoTime()} and becomes a slow-operation span when its duration
 * (measured from the tick: too long by at most one tick plus the clock thread's wake-up delay) reaches the
 * threshold. Slower than that, the clock does not tick (its wake-ups would cost more than the reads) and a
 * call reads {@code nanoTime()} at both ends. One call in about 64 per thread (a random interval of 1 to 128 calls, so periodic
 * workloads do not alias) is timed with two {@code nanoTime()} reads and its exact duration goes to the
 * latency histogram (the metric path that never drops).</li>
 * <li><b>Group.</b> The {@code file.group} of a stream or channel is computed once, when it is opened, and
 * kept in a table indexed by its file descriptor number, so a read or write costs a field load and an array
 * load, and the path is looked at only for a slow span.</li>
 * <li><b>Recursion.</b> A thread inside an outermost file operation is marked busy: nested operations (a
 * {@code transferTo} that reads, {@code mkdirs} calling {@code mkdir}, class loading triggered by obs's own
 * slow path) are neither counted again nor re-enter the recorder. obs's threads are suppressed; the
 * recorder itself does no file I/O.</li>
 * <li><b>Compiled code.</b> The hooks ({@link FsHooks}) are not inlined into the JDK's file methods; this
 * class's hook path is {@code @ForceInline} into them (by C1 too, so its parts never become hot methods of
 * their own, compiled again apart), and what a call rarely needs is {@code @DontInline} (the timing beyond
 * the coarse start, a sampled call's start): a hook compiles to a few hundred bytes of machine code. Both
 * annotations act on the boot loader's classes only.</li>
 * <li><b>Details.</b> What a call records beyond its counts (a sampled duration, an exception, a slow
 * operation's span and the rate limit of those) is recorded in the agent's class loader, through the
 * {@link Details} premain installs ({@code dev.obs.exporter.fs.FsDetailRecorder}); it runs while the thread is
 * still marked busy, so the classes it loads are not counted.</li>
 * </ul>
 */
public final class FsRecorder {
    public static final int READ = 0;
    public static final int WRITE = 1;
    public static final int FORCE = 2;
    public static final int OPEN = 3;
    public static final int CREATE = 4;
    public static final int DELETE = 5;
    public static final int COPY = 6;
    public static final int MOVE = 7;
    public static final int MKDIR = 8;
    public static final int LIST = 9;
    /** Number of operations. */
    public static final int OPS = 10;
    /** Padding longs at each end of a counter stripe, so two stripes never share a cache line. */
    static final int PAD = 16;
    /** The claim word of a stripe, in its leading padding (on the line of the first counters): 1 while a thread writes. */
    private static final int CLAIM = PAD - 1;
    /** Byte totals by direction. */
    public static final int DIR_READ = 0;
    public static final int DIR_WRITE = 1;

    // Set by configure() before any advice is woven; read through Configured's constants afterwards.
    private static FsGroups stagedGroups;
    private static long stagedThresholdNanos;
    private static long stagedTickNanos;
    private static Details stagedDetails;
    private static boolean configured;

    private FsRecorder() {
    }

    /**
     * What a file operation records beyond its counts, in the agent's class loader. Each runs on the calling
     * thread, inside the operation, and must neither block nor do file I/O of its own.
     */
    public interface Details {
        /** The exact duration of a sampled call (about 1 in 64) of operation {@code op} in group {@code group}. */
        void sampled(int group, int op, long nanos);

        /** A call of operation {@code op} threw {@code thrown}. */
        void failed(int op, Throwable thrown);

        /** A call at least the slow threshold long, from {@code startNanos} to {@code endNanos}. */
        void slow(int group, int op, String path, long bytes, long startNanos, long endNanos, Throwable thrown);
    }

    /** Installs the details' recorder; before {@link #configure}, which fixes it. */
    public static synchronized void recordDetailsWith(Details details) {
        stagedDetails = details;
    }

    /**
     * Configures the recorder and starts obs-fs-clock; called once by the agent before the file-system
     * advice is woven. Requires {@code java.io} to be open to this class's module (for the descriptor
     * number of a {@link FileDescriptor}).
     *
     * @param groups             path groups
     * @param slowThresholdNanos operations at least this long are slow ({@link Details#slow})
     * @return false when the descriptor field cannot be read: the family must not be installed then
     */
    public static synchronized boolean configure(FsGroups groups, long slowThresholdNanos) {
        if (configured) {
            return true;
        }
        stagedGroups = groups;
        stagedThresholdNanos = Math.max(0, slowThresholdNanos);
        // A tick of a fifth of the threshold (1 ms to 100 ms) keeps the clock thread to a few hundred
        // wake-ups a second at most while bounding the error of a slow span's duration.
        stagedTickNanos = Math.max(1_000_000L, Math.min(100_000_000L, stagedThresholdNanos / 5));
        try {
            if (Configured.FD == null || Configured.GROUPS == null) {
                return false;
            }
        } catch (Throwable e) {
            return false;
        }
        configured = true;
        return true;
    }

    /** Configuration as constants, fixed when first used (after configure): class initialization publishes them. */
    private static final class Configured {
        static final FsGroups GROUPS = stagedGroups;
        static final int GROUP_COUNT = GROUPS.size();
        static final long THRESHOLD_NANOS = stagedThresholdNanos;
        static final long TICK_NANOS = stagedTickNanos;
        /** A coarse duration at least this long is checked with nanoTime(). */
        static final long COARSE_THRESHOLD_NANOS = Math.max(0, stagedThresholdNanos - stagedTickNanos);
        /** Null when none was installed (unit tests and benchmarks of the counting alone). */
        static final Details DETAILS = stagedDetails;
        static final int BYTES_BASE = PAD + GROUP_COUNT * OPS;
        static final int LENGTH = BYTES_BASE + GROUP_COUNT * 2 + PAD;
        /** Group + 1 of each descriptor number, 0 when not yet known; racy plain bytes, see group(). */
        static final byte[] FD_GROUP = new byte[1 << 16];
        /** The claimed counter stripes; a thread adds to {@code STRIPES[stripe(thread)]} while it holds its claim. */
        static final long[][] STRIPES = newStripes(Stripes.COUNT);
        /** The stripe of atomic adds, for a call whose stripe is claimed by another thread at that moment. */
        static final long[] SHARED = newStripes(1)[0];
        static final VarHandle FD;

        static {
            VarHandle fd;
            try {
                fd = MethodHandles.privateLookupIn(FileDescriptor.class, MethodHandles.lookup())
                        .findVarHandle(FileDescriptor.class, "fd", int.class);
            } catch (ReflectiveOperationException | RuntimeException e) {
                fd = null;
            }
            FD = fd;
        }

        /**
         * The clock of the operations' starts, started with the family. It ticks from 125 000 operations a
         * second: below that, two {@code nanoTime()} reads per operation (about 50 ns) cost less CPU than
         * 500 wake-ups a second. After the rate falls it ticks on for a threshold and a tick, so an
         * operation that started from a tick and is still running is found slow at its end.
         */
        static final CoarseClock CLOCK = FD == null ? null : new CoarseClock("obs-fs-clock", TICK_NANOS,
                OPS_PER_SECOND_TO_TICK, THRESHOLD_NANOS + 2 * TICK_NANOS, new OperationCount());
    }

    private static long[][] newStripes(int n) {
        long[][] stripes = new long[n][];
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new long[Configured.LENGTH];
        }
        return stripes;
    }

    /** See {@link Configured#CLOCK}. */
    static final long OPS_PER_SECOND_TO_TICK = 125_000;

    /**
     * Operations counted so far, for the clock's rate estimate: plain reads after an acquire fence (fresh on each
     * call, possibly torn or stale by an add: an estimate), not 450 VarHandle calls a check, which ran
     * interpreted and made C2 compile the VarHandle's guard for this thread alone.
     */
    private static final class OperationCount implements java.util.function.LongSupplier {
        @Override
        public long getAsLong() {
            VarHandle.acquireFence();
            long total = 0;
            int end = Configured.BYTES_BASE;
            for (long[] c : Configured.STRIPES) {
                for (int i = PAD; i < end; i++) {
                    total += c[i];
                }
            }
            for (int i = PAD; i < end; i++) {
                total += Configured.SHARED[i];
            }
            return total;
        }
    }

    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);

    // ---------------------------------------------------------------------------------------------- advice

    /**
     * Enter advice of every file operation. Returns the thread's state, or null when this call is not
     * recorded (obs's own thread, or nested in another file operation). Allocates nothing (the thread's
     * ThreadState is created by its first record of any kind).
     */
    @ForceInline
    public static ThreadState enter() {
        ThreadState s = ThreadState.get();
        if (s.fsBusy | s.suppressed) {
            return null;
        }
        s.fsBusy = true;
        int c = s.fsCountdown - 1;
        if (c > 0 && s.fsCounts != null) {
            s.fsCountdown = c;
            s.fsStart = Configured.CLOCK.read() & ~1L;
        } else {
            startSampled(s, c);
        }
        return s;
    }

    /** A sampled call of {@link #enter}, or a thread's first (which takes its stripe): out of the fast path. */
    @DontInline
    private static void startSampled(ThreadState s, int c) {
        long[] stripe = s.fsCounts;
        s.fsCounts = stripe != null ? stripe : Configured.STRIPES[Stripes.of(Thread.currentThread())];
        s.fsCountdown = c > 0 ? c : s.fsInterval();
        s.fsStart = c > 0 ? Configured.CLOCK.read() & ~1L : System.nanoTime() | 1L;
    }

    /**
     * Exit advice of a stream's open: remembers the descriptor's group (also when {@code s} is null, so a
     * stream opened inside another operation is grouped) and counts the open.
     */
    @ForceInline
    public static void opened(ThreadState s, FileDescriptor fd, String path, Throwable thrown) {
        try {
            int g = Configured.GROUPS.classify(path, -1);
            if (thrown == null && fd != null) {
                int n = (int) Configured.FD.get(fd);
                if (n >= 0 && n < Configured.FD_GROUP.length) {
                    Configured.FD_GROUP[n] = (byte) (g + 1);
                }
            }
            if (s != null) {
                count(s, OPEN, DIR_READ, g, path, 0, thrown);
            }
        } finally {
            if (s != null) {
                s.fsBusy = false;
            }
        }
    }

    /** A file channel was created on {@code fd}: remembers the descriptor's group. Counts nothing. */
    public static void channelOpened(FileDescriptor fd, String path) {
        if (fd != null && path != null) {
            int n = (int) Configured.FD.get(fd);
            if (n >= 0 && n < Configured.FD_GROUP.length) {
                Configured.FD_GROUP[n] = (byte) (Configured.GROUPS.classify(path, n) + 1);
            }
        }
    }

    /**
     * Exit advice of a namespace operation (open through NIO, create, delete, copy, move, mkdir, list).
     *
     * @param target the file: a {@link java.nio.file.Path}, a {@link java.io.File} or a String
     */
    @ForceInline
    public static void namespace(ThreadState s, int op, Object target, Throwable thrown) {
        if (s == null) {
            return;
        }
        try {
            if (op >= 0) {
                String path = target == null ? null : target.toString();
                count(s, op, DIR_READ, Configured.GROUPS.classify(path, -1), path, 0, thrown);
            }
        } finally {
            s.fsBusy = false;
        }
    }

    // ------------------------------------------------------------------------------------------ recording

    /**
     * Exit advice of a read, write or force ({@code op}, bytes in direction {@code dir}): inlined into the one
     * compiled body every such hook calls ({@code FsHooks.exit}).
     */
    @ForceInline
    static void exit(ThreadState s, int op, int dir, FileDescriptor fd, String path, long bytes, Throwable thrown) {
        if (s == null) {
            return;
        }
        try {
            count(s, op, dir, group(fd, path), path, bytes, thrown);
        } finally {
            s.fsBusy = false;
        }
    }

    /**
     * Counts the call and its bytes (in direction {@code dir}), times it (coarse, or precisely when sampled)
     * and counts an error.
     */
    @ForceInline
    private static void count(ThreadState s, int op, int dir, int g, String path, long bytes, Throwable thrown) {
        if (g == FsGroups.OBS) {
            return;
        }
        int calls = PAD + g * OPS + op;
        int bytesCell = Configured.BYTES_BASE + (g << 1) + dir;
        long[] c = s.fsCounts;
        if (COUNTS.compareAndSet(c, CLAIM, 0L, 1L)) {
            // the stripe is ours until the release: plain read-modify-writes cannot lose an add
            COUNTS.setOpaque(c, calls, c[calls] + 1);
            if (bytes > 0) {
                COUNTS.setOpaque(c, bytesCell, c[bytesCell] + bytes);
            }
            COUNTS.setRelease(c, CLAIM, 0L);
        } else {
            long[] shared = Configured.SHARED;
            // the results are assigned: a VarHandle call of exactly its access mode's type links directly, one
            // that drops the result adapts its type on every call until C2 compiles this
            long unused = (long) COUNTS.getAndAdd(shared, calls, 1L);
            if (bytes > 0) {
                unused = (long) COUNTS.getAndAdd(shared, bytesCell, bytes);
            }
        }
        s.fsConfiguredGroupCalls += g >= FsGroups.FIRST_USER ? 1 : 0;
        long start = s.fsStart;
        if ((start & (1L | CoarseClock.PRECISE)) != 0 || thrown != null
                || Configured.CLOCK.lastTick() - start >= Configured.COARSE_THRESHOLD_NANOS) {
            timed(op, g, path, bytes, thrown, start);
        }
    }

    /**
     * What a call records beyond its counts: a sampled or slow duration (started with {@code nanoTime()},
     * or long enough by the coarse clock to be checked), an error. Out of the counting's fast path, which
     * C2 then compiles small.
     */
    @DontInline
    private static void timed(int op, int g, String path, long bytes, Throwable thrown, long start) {
        if ((start & (1L | CoarseClock.PRECISE)) != 0) {
            // started with nanoTime(): sampled for the histogram (bit 0), or the clock was not ticking
            long end = System.nanoTime();
            long begin = start & ~(1L | CoarseClock.PRECISE);
            // Class loading and console output are counted, not timed: their samples alone would start the
            // exporter (and the SDK) in a program that records nothing else.
            boolean timedGroup = g >= FsGroups.FIRST_USER || g == FsGroups.OTHER;
            if ((start & 1L) != 0 && timedGroup && Configured.DETAILS != null) {
                Configured.DETAILS.sampled(g, op, end - begin);
            }
            if (end - begin >= Configured.THRESHOLD_NANOS && Configured.DETAILS != null) {
                Configured.DETAILS.slow(g, op, path, bytes, begin, end, thrown);
            }
        } else if (Configured.CLOCK.lastTick() - start >= Configured.COARSE_THRESHOLD_NANOS) {
            long end = System.nanoTime();
            if (end - start >= Configured.THRESHOLD_NANOS && Configured.DETAILS != null) {
                Configured.DETAILS.slow(g, op, path, bytes, start, end, thrown);
            }
        }
        if (thrown != null && Configured.DETAILS != null) {
            Configured.DETAILS.failed(op, thrown);
        }
    }

    /**
     * The group of an open stream or channel: its descriptor's entry, classified from the path the first
     * time (a stream opened before obs). The table is read and written with plain byte accesses: a racing
     * reader sees either 0 (and classifies again, same answer) or a group set by an open of that descriptor
     * number; a descriptor number reused by a later open is overwritten by that open's advice.
     */
    @ForceInline
    private static int group(FileDescriptor fd, String path) {
        int n = fd == null ? -1 : (int) Configured.FD.get(fd);
        byte[] table = Configured.FD_GROUP;
        if (n >= 0 && n < table.length) {
            int g = table[n];
            if (g != 0) {
                return g - 1;
            }
            g = Configured.GROUPS.classify(path, n);
            table[n] = (byte) (g + 1);
            return g;
        }
        return Configured.GROUPS.classify(path, n);
    }

    /**
     * File operations in the configured groups ({@code obs.fs.groups}) counted on the calling thread so far:
     * obs's tests and benchmarks call it reflectively to check that every operation they made was counted.
     * The thread's own figure (a plain field of its ThreadState), not a share of the stripes, which other
     * threads add to as well.
     */
    public static long countedOnThisThreadInConfiguredGroups() {
        return ThreadState.get().fsConfiguredGroupCalls;
    }

    // ------------------------------------------------------------------------------------------- exporter

    /** The groups, for the exporter's attribute values. */
    public static FsGroups groups() {
        return Configured.GROUPS;
    }

    /** True once {@link #configure} has succeeded. */
    public static boolean configured() {
        return configured;
    }

    /**
     * Cumulative totals of every thread: {@code out[g * OPS + op]} calls, then
     * {@code out[groups * OPS + g * 2 + direction]} bytes. Any thread; allocates nothing.
     *
     * @return true when any group other than {@code jvm} and {@code stdio} has a call
     */
    public static boolean collect(long[] out) {
        int groups = Configured.GROUP_COUNT;
        int n = groups * (OPS + 2);
        java.util.Arrays.fill(out, 0, n, 0L);
        for (long[] c : Configured.STRIPES) {
            add(c, out, n);
        }
        add(Configured.SHARED, out, n);
        for (int g = 0; g < groups; g++) {
            if (g == FsGroups.JVM || g == FsGroups.STDIO) {
                continue;
            }
            for (int op = 0; op < OPS; op++) {
                if (out[g * OPS + op] != 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void add(long[] stripe, long[] out, int n) {
        // synchronizes with the last claim released: every add of a call that has returned is seen
        COUNTS.getAcquire(stripe, CLAIM);
        for (int i = 0; i < n; i++) {
            out[i] += (long) COUNTS.getOpaque(stripe, PAD + i);
        }
    }

    /** Length of the array {@link #collect} fills. */
    public static int collectLength() {
        return Configured.GROUP_COUNT * (OPS + 2);
    }
}
