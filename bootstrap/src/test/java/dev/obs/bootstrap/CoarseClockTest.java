package dev.obs.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class CoarseClockTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    /** 1 ms ticks, ticking from 100 000 operations a second, checked every 10 ms, asleep after 3 quiet checks. */
    private static CoarseClock clock(AtomicLong operations, long drainNanos) {
        return new CoarseClock("test-clock", MS, 100_000, drainNanos, 10 * MS, 3, operations::get);
    }

    @Test
    void withFewOperationsReadsAreNanoTimeMarkedPrecise() {
        AtomicLong ops = new AtomicLong();
        CoarseClock clock = clock(ops, 5 * MS);
        long before = System.nanoTime();
        long read = clock.read();
        assertTrue((read & CoarseClock.PRECISE) != 0, "marked precise");
        assertTrue((read & ~3L) >= (before & ~3L) && read - System.nanoTime() <= 3, "nanoTime of the call");
        assertFalse(clock.ticking());
    }

    @Test
    void ticksWhileOperationsComeFastAndStopsAfterTheDrain() throws Exception {
        AtomicLong ops = new AtomicLong();
        CoarseClock clock = clock(ops, 30 * MS);
        AtomicBoolean busy = new AtomicBoolean(true);
        Thread load = new Thread(() -> {
            while (busy.get()) {
                ops.addAndGet(1_000); // a million a second and more
                try {
                    Thread.sleep(0, 500_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        load.start();
        try {
            await(clock::ticking, "a fast operation rate makes the clock tick");
            long tick = clock.read();
            assertEquals(0, tick & 3L, "a tick has both low bits clear");
            assertTrue(tick <= System.nanoTime());
            Thread.sleep(20);
            assertTrue(clock.read() - tick >= 10 * MS, "ticks follow the time");
        } finally {
            busy.set(false);
            load.join();
        }
        await(() -> !clock.ticking(), "no more operations: reads are precise again");
        long stoppedAt = System.nanoTime();
        // drain: ticks go on for 30 ms after the rate fell, so an operation still running is found slow
        Thread.sleep(15);
        long during = clock.lastTick();
        assertTrue(during > stoppedAt - 5 * MS, "still ticking during the drain");
        await(clock::asleep, "three quiet checks after the drain put the clock to sleep");
        long frozen = clock.lastTick();
        Thread.sleep(20);
        assertEquals(frozen, clock.lastTick(), "a sleeping clock does not tick");
    }

    @Test
    void aReadWakesASleepingClock() throws Exception {
        AtomicLong ops = new AtomicLong();
        CoarseClock clock = clock(ops, 0);
        await(clock::asleep, "no operations: asleep");
        long before = System.nanoTime();
        long read = clock.read();
        assertTrue((read & CoarseClock.PRECISE) != 0 && (read & ~3L) >= (before & ~3L));
        assertFalse(clock.asleep(), "the read woke it");
        long deadline = System.nanoTime() + 5_000 * MS;
        while (!clock.ticking() && System.nanoTime() < deadline) {
            ops.addAndGet(1_000_000);
            Thread.sleep(1);
        }
        assertTrue(clock.ticking(), "awake again, it sees the next burst");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000 * MS;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertTrue(condition.getAsBoolean(), what);
    }
}
