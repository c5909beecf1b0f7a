package dev.obs.bootstrap;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CoarseClockTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void readIsNeverAheadOfNanoTimeAndFollowsIt() throws Exception {
        CoarseClock clock = new CoarseClock("test-clock", MS, 1000);
        long first = clock.read();
        assertTrue(first <= System.nanoTime());
        Thread.sleep(50);
        long later = clock.read();
        assertTrue(later <= System.nanoTime());
        assertTrue(later - first >= 20 * MS, "the clock ticked for 50 ms: " + (later - first) / MS + " ms");
    }

    @Test
    void sleepsWhenNobodyReadsItAndAReaderWakesIt() throws Exception {
        CoarseClock clock = new CoarseClock("test-clock", MS, 5);
        awaitAsleep(clock);
        long frozen = clock.lastTick();
        Thread.sleep(20);
        assertTrue(clock.asleep());
        assertTrue(clock.lastTick() == frozen, "a sleeping clock does not tick");

        long before = System.nanoTime();
        long read = clock.read();
        assertTrue(read >= before, "a reader of a sleeping clock gets the exact time, not the frozen tick");
        long deadline = System.nanoTime() + 5_000 * MS;
        while (clock.lastTick() == frozen && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertTrue(clock.lastTick() > frozen, "the read woke the clock");
        assertFalse(clock.asleep());
        // ticking again, and asleep again once nobody reads it
        awaitAsleep(clock);
    }

    @Test
    void keepsTickingWhileRead() throws Exception {
        CoarseClock clock = new CoarseClock("test-clock", MS, 5);
        long end = System.nanoTime() + 100 * MS;
        long last = 0;
        while (System.nanoTime() < end) {
            last = clock.read();
            assertFalse(clock.asleep(), "read every millisecond or so, the clock never sleeps");
            Thread.sleep(0, 200_000);
        }
        assertTrue(System.nanoTime() - last < 60 * MS, "the last read was recent");
    }

    private static void awaitAsleep(CoarseClock clock) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000 * MS;
        while (!clock.asleep() && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertTrue(clock.asleep(), "five unread ticks put the clock to sleep");
    }
}
