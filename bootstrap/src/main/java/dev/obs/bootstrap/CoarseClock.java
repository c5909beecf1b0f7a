package dev.obs.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A clock that costs a field load to read: its daemon thread stores {@link System#nanoTime()} every tick,
 * and sleeps while nobody reads it, so an application that does no file I/O for a while is not woken
 * hundreds of times a second for nothing.
 *
 * <p>Design. {@link #state} is READ (ticking, read since the last tick), UNREAD (ticking, not read since the
 * last tick), ASLEEP (parked, {@link #lastTick} frozen) or WAKING (a reader has unparked it). Every
 * transition is a CAS, so none is lost: readers move UNREAD→READ and ASLEEP→WAKING, the clock moves
 * READ→UNREAD on each tick, UNREAD→ASLEEP after {@code sleepAfterTicks} ticks in a row nobody read, and
 * WAKING→READ when it runs again (after storing a fresh tick, so a reader that sees READ reads a fresh
 * value: volatile store of the tick, then volatile store of the state). A reader that finds the clock
 * ASLEEP or WAKING returns its own {@code nanoTime()} and never writes the tick, so the tick only goes
 * forward.
 *
 * <p>The hot path ({@link #read} while READ) is two volatile loads, plain loads on x86 and ARM's LDAR.
 * The clock may sleep while an operation that read it is still running: {@link #lastTick} then stays at
 * least {@code sleepAfterTicks} ticks past that operation's start, which the caller makes longer than
 * anything it compares with.
 */
public final class CoarseClock {
    private static final int READ = 0;
    private static final int UNREAD = 1;
    private static final int ASLEEP = 2;
    private static final int WAKING = 3;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(CoarseClock.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long now = System.nanoTime();
    private volatile int state = READ;
    private final long tickNanos;
    private final int sleepAfterTicks;
    private final Thread thread;

    /**
     * Starts the clock's daemon thread (suppressed for obs's recorders).
     *
     * @param name            the thread's name
     * @param tickNanos       how often it stores the time while read
     * @param sleepAfterTicks how many ticks in a row nobody read before it sleeps (at least 1)
     */
    public CoarseClock(String name, long tickNanos, int sleepAfterTicks) {
        this.tickNanos = tickNanos;
        this.sleepAfterTicks = Math.max(1, sleepAfterTicks);
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
     * The time, at most one tick (plus the clock thread's wake-up delay) behind {@code nanoTime()}; exact,
     * at the cost of a {@code nanoTime()} call, when the clock was asleep (this call wakes it).
     */
    public long read() {
        return state == READ ? now : readSlow();
    }

    /** The last tick, without waking the clock: frozen while it sleeps. */
    public long lastTick() {
        return now;
    }

    /** True while the clock thread is parked for want of readers (tests). */
    boolean asleep() {
        return state == ASLEEP;
    }

    private long readSlow() {
        int s = state;
        if (s == UNREAD && (STATE.compareAndSet(this, UNREAD, READ) || state == READ)) {
            return now;
        }
        if (state == ASLEEP && STATE.compareAndSet(this, ASLEEP, WAKING)) {
            LockSupport.unpark(thread);
        }
        return System.nanoTime();
    }

    private void runClock() {
        int unread = 0;
        while (true) {
            now = System.nanoTime();
            if (STATE.compareAndSet(this, READ, UNREAD)) {
                unread = 0;
            } else if (++unread >= sleepAfterTicks && STATE.compareAndSet(this, UNREAD, ASLEEP)) {
                while (state == ASLEEP) {
                    LockSupport.park(this);
                }
                now = System.nanoTime();
                state = READ;
                unread = 0;
            }
            LockSupport.parkNanos(this, tickNanos);
        }
    }
}
