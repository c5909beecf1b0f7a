package dev.obs.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class MetricRingTest {
    @Test
    void fullRingDropsAndCountsAndDrainFreesSpace() {
        MetricRing ring = new MetricRing(4, Thread.currentThread());
        for (int i = 0; i < 4; i++) {
            assertTrue(ring.offer(i, i * 10L));
        }
        assertFalse(ring.offer(9, 90));
        assertEquals(1, ring.dropped());
        List<Long> seen = new ArrayList<>();
        assertEquals(4, ring.drain((id, v) -> seen.add(id * 1000L + v)));
        assertEquals(List.of(0L, 1010L, 2020L, 3030L), seen);
        assertTrue(ring.offer(5, 50));
    }

    @Test
    void capacityRoundsUpToPowerOfTwo() {
        assertEquals(8, new MetricRing(5, Thread.currentThread()).capacity());
        assertEquals(4096, new MetricRing(4096, Thread.currentThread()).capacity());
    }

    /** One producer, one consumer running concurrently: recorded + dropped = produced, sums exact. */
    @Test
    void concurrentProducerAndConsumerLoseNothingUncounted() throws Exception {
        MetricRing ring = new MetricRing(64, null);
        int produced = 2_000_000;
        long[] consumedSum = {0};
        long[] consumedCount = {0};
        AtomicBoolean done = new AtomicBoolean();
        long[] offeredSum = {0};
        Thread producer = new Thread(() -> {
            for (int i = 1; i <= produced; i++) {
                if (ring.offer(1, i)) {
                    offeredSum[0] += i;
                }
            }
            done.set(true);
        });
        producer.start();
        while (!done.get()) {
            ring.drain((id, v) -> {
                consumedSum[0] += v;
                consumedCount[0]++;
            });
        }
        producer.join();
        ring.drain((id, v) -> {
            consumedSum[0] += v;
            consumedCount[0]++;
        });
        assertEquals(produced, consumedCount[0] + ring.dropped());
        assertEquals(offeredSum[0], consumedSum[0]);
    }
}
