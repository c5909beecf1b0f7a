package dev.obs.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The start time of a file operation, as cheaply as the operation rate allows: a field load while
 * operations come fast, {@link System#nanoTime()} otherwise.
 *
 * <p>Why: a thread that stores {@code nanoTime()} every tick makes a read a field load, but each of its
 * wake-ups costs 10–25 µs of CPU on a VM (a few on bare metal), 500 of them a second at the default tick.
 * Reading {@code nanoTime()} at both ends of an operation costs about 50 ns instead. So the clock ticks
 * only while operations come faster than {@code opsPerSecondToTick}; below that a read returns
 * {@code nanoTime()} marked with {@link #PRECISE}, and the caller reads {@code nanoTime()} again at the end.
 * The clock thread looks at the operation count ({@code operations}, a sum of per-thread counters the
 * caller keeps anyway) every {@code checkNanos}, and parks until the next read after
 * {@code quietChecksToSleep} checks in a row saw no operation at all.
 *
 * <p>Design. {@link #state} is TICKING (reads return {@link #now}), PRECISE (reads return
 * {@code nanoTime() | PRECISE}) or ASLEEP (as PRECISE, and the clock thread is parked). While the clock
 * thread is awake only it writes the state; it enters ASLEEP by CAS, and a reader that finds ASLEEP moves it
 * back to PRECISE by CAS and unparks it, so no wake-up is lost (a permit given before the park makes the park
 * return). On entering TICKING the clock stores a fresh tick before the state (both volatile), so a reader
 * that sees TICKING reads a tick at most one tick old. On leaving TICKING it keeps storing ticks for
 * {@code drainNanos}: an operation that started from a tick and is still running is then compared at its
 * end with a {@link #lastTick} at least {@code drainNanos - tick} past its start, which the caller makes
 * longer than the durations it looks for.
 */
public final class CoarseClock {
    /** Low bit of a value that {@link #read} took from {@code nanoTime()} rather than from a tick. */
    public static final long PRECISE = 2;
    /** Ticks have both low bits clear: the caller's sampling bit and {@link #PRECISE}. */
    private static final long TICK_MASK = ~3L;
    private static final int TICKING = 0;
    private static final int PRECISE_STATE = 1;
    private static final int ASLEEP = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(CoarseClock.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long now = System.nanoTime() & TICK_MASK;
    private volatile int state = PRECISE_STATE;
    private final long tickNanos;
    private final double opsPerCheckToTick;
    private final long drainNanos;
    private final long checkNanos;
    private final int quietChecksToSleep;
    private final LongSupplier operations;
    private final Thread thread;

    /**
     * Starts the clock with a check of the operation rate every 100 ms and sleep after a second without
     * operations.
     *
     * @param name               the thread's name
     * @param tickNanos          how often it stores the time while ticking
     * @param opsPerSecondToTick the operation rate from which it ticks
     * @param drainNanos         how long it goes on ticking after the rate fell
     * @param operations         operations counted so far (any thread; racy reads are fine)
     */
    public CoarseClock(String name, long tickNanos, long opsPerSecondToTick, long drainNanos,
                       LongSupplier operations) {
        this(name, tickNanos, opsPerSecondToTick, drainNanos, TimeUnit.MILLISECONDS.toNanos(100), 10, operations);
    }

    CoarseClock(String name, long tickNanos, long opsPerSecondToTick, long drainNanos, long checkNanos,
                int quietChecksToSleep, LongSupplier operations) {
        this.tickNanos = tickNanos;
        this.opsPerCheckToTick = opsPerSecondToTick * (checkNanos / 1e9);
        this.drainNanos = drainNanos;
        this.checkNanos = checkNanos;
        this.quietChecksToSleep = Math.max(1, quietChecksToSleep);
        this.operations = operations;
        this.thread = new Thread(name) {
            @Override
            public void run() {
                Recorder.suppressCurrentThread();
                runClock();
            }
        };
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The time: a tick at most one tick (plus the clock thread's wake-up delay) behind {@code nanoTime()},
     * both low bits clear; or, when the clock is not ticking, {@code nanoTime() | PRECISE} (this call wakes a
     * sleeping clock).
     */
    public long read() {
        return state == TICKING ? now : readPrecise();
    }

    /** The last tick, without waking the clock; frozen while it does not tick. */
    public long lastTick() {
        return now;
    }

    /** True while reads return ticks (tests). */
    boolean ticking() {
        return state == TICKING;
    }

    /** True while the clock thread is parked for want of operations (tests). */
    boolean asleep() {
        return state == ASLEEP;
    }

    private long readPrecise() {
        if (state == ASLEEP && STATE.compareAndSet(this, ASLEEP, PRECISE_STATE)) {
            LockSupport.unpark(thread);
        }
        return System.nanoTime() | PRECISE;
    }

    private void runClock() {
        long lastCheck = System.nanoTime();
        long lastOps = operations.getAsLong();
        long tickUntil = lastCheck;
        int quiet = 0;
        while (true) {
            long t = System.nanoTime();
            if (state == TICKING || t - tickUntil < 0) {
                now = t & TICK_MASK;
            }
            if (t - lastCheck >= checkNanos) {
                long ops = operations.getAsLong();
                long delta = ops - lastOps;
                double perCheck = delta * (checkNanos / (double) (t - lastCheck));
                lastOps = ops;
                lastCheck = t;
                quiet = delta <= 0 ? quiet + 1 : 0;
                if (perCheck >= opsPerCheckToTick) {
                    if (state != TICKING) {
                        now = t & TICK_MASK;
                        state = TICKING;
                    }
                } else if (state == TICKING) {
                    state = PRECISE_STATE;
                    tickUntil = t + drainNanos;
                } else if (quiet >= quietChecksToSleep && t - tickUntil >= 0
                        && STATE.compareAndSet(this, PRECISE_STATE, ASLEEP)) {
                    while (state == ASLEEP) {
                        LockSupport.park(this);
                    }
                    lastCheck = System.nanoTime();
                    lastOps = operations.getAsLong();
                    quiet = 0;
                    continue;
                }
            }
            boolean ticks = state == TICKING || t - tickUntil < 0;
            LockSupport.parkNanos(this, ticks ? tickNanos : Math.max(1, checkNanos - (t - lastCheck)));
        }
    }
}
