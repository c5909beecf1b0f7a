package dev.obs.exporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class StripedHistogramTest {
    private static StripedHistogram series() {
        return new StripedHistogram("test.duration", "d", new String[0], new String[0], "test");
    }

    /** More threads than stripes, all recording at once: every value is counted, the sum and min/max exact. */
    @Test
    void concurrentThreadsSharingStripesLoseNoValue() throws Exception {
        StripedHistogram h = series();
        int threads = StripedHistogram.STRIPES * 4;
        int perThread = 200_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    // the same few slots for every thread: the contended case
                    h.record(1_000 + (i & 7) + offset, (i & 1023) == 0);
                }
            });
            thread.start();
            started.add(thread);
        }
        start.countDown();
        long expectedSum = 0;
        for (int t = 0; t < threads; t++) {
            started.get(t).join();
            for (int i = 0; i < perThread; i++) {
                expectedSum += 1_000 + (i & 7) + t;
            }
        }
        StripedHistogram.Snapshot s = h.snapshot();
        assertEquals((long) threads * perThread, s.count);
        assertEquals(expectedSum, s.sum);
        assertEquals(1_000, s.min);
        assertEquals(1_000 + 7 + threads - 1, s.max);
        assertEquals((long) threads * ((perThread + 1023) / 1024), s.errors);
        long slots = 0;
        for (long c : s.slots) {
            slots += c;
        }
        assertEquals(s.count, slots, "the count is the sum of the slots");
    }

    /**
     * A new block is all zeros and means "empty" (the min is kept as its complement): an empty series reads
     * no min or max, and the values at both ends of the range (0, negative clamped to 0, Long.MAX_VALUE) read
     * back exactly, from stripes of several threads, some of them empty.
     */
    @Test
    void minAndMaxAreExactAtTheEndsOfTheRangeAndEmptyIsNone() throws Exception {
        StripedHistogram empty = series();
        StripedHistogram.Snapshot none = empty.snapshot();
        assertEquals(0, none.count);
        assertEquals(Long.MAX_VALUE, none.min);
        assertEquals(Long.MIN_VALUE, none.max);

        StripedHistogram zeros = series();
        zeros.record(0, false);
        zeros.record(-5, false);
        StripedHistogram.Snapshot z = zeros.snapshot();
        assertEquals(2, z.count);
        assertEquals(0, z.min);
        assertEquals(0, z.max, "a stripe holding only zeros has max 0, not the empty marker");

        StripedHistogram wide = series();
        Thread high = new Thread(() -> wide.record(Long.MAX_VALUE, false));
        high.start();
        high.join();
        wide.record(3, false);
        StripedHistogram.Snapshot w = wide.snapshot();
        assertEquals(3, w.min);
        assertEquals(Long.MAX_VALUE, w.max);
    }

    /** Every exported bound is a slot edge: values at a bound and one past it land in adjacent buckets. */
    @Test
    void exportedBucketsAreExactAtEveryBound() {
        StripedHistogram h = series();
        long[] bounds = StripedHistogram.EXPORT_BOUNDS_NANOS;
        for (long b : bounds) {
            h.record(b, false);
            h.record(b + 1, false);
            h.record(b - 1, false);
        }
        h.record(0, false);
        h.record(Long.MAX_VALUE, false);
        h.record(-5, false);
        long[] buckets = h.snapshot().exportBuckets();
        assertEquals(bounds.length + 1, buckets.length);
        // bucket 0 (<= 1 µs): 0, -5 (as 0), 999 and 1000
        assertEquals(4, buckets[0]);
        for (int i = 1; i < bounds.length; i++) {
            // (bound[i-1], bound[i]]: bound[i-1] + 1, bound[i] - 1, bound[i]
            assertEquals(3, buckets[i], "bucket " + i);
        }
        // > 10 s: 10 s + 1 and MAX_VALUE
        assertEquals(2, buckets[bounds.length]);
    }

    @Test
    void percentilesAreWithinOneSixtyFourthAndMinMaxExact() {
        StripedHistogram h = series();
        for (long v = 1; v <= 100_000; v++) {
            h.record(v * 1_000, false);
        }
        StripedHistogram.Snapshot s = h.snapshot();
        for (double p : new double[] {50, 95, 99, 99.9}) {
            double exact = Math.ceil(p / 100 * 100_000) * 1_000;
            double got = s.valueAtPercentile(p);
            assertTrue(Math.abs(got - exact) <= exact / 64, "p" + p + " " + got + " vs " + exact);
        }
        assertEquals(100_000_000L, s.valueAtPercentile(100));
        assertEquals(1_000, s.valueAtPercentile(0));
        StripedHistogram one = series();
        one.record(123_456, false);
        assertEquals(123_456, one.snapshot().valueAtPercentile(50), "a single value is reported exactly");
    }

    @Test
    void slotsFollowValueOrder() {
        int previous = -1;
        for (long v = 0; v < 1L << 42; v = v < 4096 ? v + 1 : v + (v >>> 7)) {
            int fine = StripedHistogram.fineIndex(v);
            assertTrue(fine >= previous, "value " + v);
            previous = fine;
        }
    }
}
