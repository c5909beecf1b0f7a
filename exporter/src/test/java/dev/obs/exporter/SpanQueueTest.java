package dev.obs.exporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** {@link SpanQueue}'s JCTools queue, created on first use: one instance, of the capacity known before. */
class SpanQueueTest {
    @Test
    void theCapacityKnownBeforeTheQueueIsTheOneItGets() {
        for (int requested : new int[] {1, 2, 3, 100, 1000, 65536, 1 << 24}) {
            SpanQueue q = new SpanQueue(requested, true);
            int before = q.capacity();
            assertEquals(q.queue().capacity(), before, "requested " + requested);
            assertTrue(before >= requested, "requested " + requested);
        }
        assertEquals(2, new SpanQueue(65536, false).capacity(), "no destination: a token queue");
    }

    @Test
    void firstUsesRacingOnManyThreadsAllGetTheSameQueue() throws Exception {
        for (int round = 0; round < 50; round++) {
            SpanQueue q = new SpanQueue(1024, true);
            Set<Object> seen = ConcurrentHashMap.newKeySet();
            CountDownLatch go = new CountDownLatch(1);
            Thread[] threads = new Thread[4];
            for (int i = 0; i < threads.length; i++) {
                threads[i] = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    seen.add(q.queue());
                });
                threads[i].start();
            }
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(1, seen.size(), "round " + round);
            assertSame(seen.iterator().next(), q.queue());
        }
    }
}
