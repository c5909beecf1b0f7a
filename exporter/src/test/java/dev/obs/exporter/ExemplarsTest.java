package dev.obs.exporter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExemplarsTest {
    @Test
    void aBucketKeepsOneExemplarASecond() {
        long t = System.nanoTime();
        StripedHistogram.Exemplars e = new StripedHistogram.Exemplars(3);
        long[] out = new long[5];
        assertFalse(e.read(1, out), "none yet");
        e.offer(1, 700, 1, 2, 3, t);
        assertTrue(e.read(1, out));
        assertArrayEquals(new long[] {1, 2, 3, 700, t}, out);
        e.offer(1, 800, 4, 5, 6, t + StripedHistogram.Exemplars.INTERVAL_NANOS - 1);
        assertTrue(e.read(1, out));
        assertArrayEquals(new long[] {1, 2, 3, 700, t}, out, "within the second the first stays");
        e.offer(1, 900, 7, 8, 9, t + StripedHistogram.Exemplars.INTERVAL_NANOS);
        assertTrue(e.read(1, out));
        assertArrayEquals(new long[] {7, 8, 9, 900, t + StripedHistogram.Exemplars.INTERVAL_NANOS}, out, "a second later: replaced");
        assertFalse(e.read(0, out), "other buckets untouched");
    }

    @Test
    void aReaderNeverSeesFieldsOfTwoExemplars() throws Exception {
        StripedHistogram.Exemplars e = new StripedHistogram.Exemplars(1);
        Thread[] writers = new Thread[2];
        for (int w = 0; w < writers.length; w++) {
            writers[w] = new Thread(() -> {
                long at = System.nanoTime();
                for (long i = 1; i < 300_000; i++) {
                    at += StripedHistogram.Exemplars.INTERVAL_NANOS; // every offer is due: maximal churn
                    e.offer(0, i, i, i, i, at);
                }
            });
            writers[w].start();
        }
        long[] out = new long[5];
        int consistent = 0;
        while (writers[0].isAlive() || writers[1].isAlive()) {
            if (e.read(0, out)) {
                assertTrue(out[0] == out[1] && out[1] == out[2] && out[2] == out[3], java.util.Arrays.toString(out));
                consistent++;
            }
        }
        for (Thread w : writers) {
            w.join();
        }
        assertTrue(e.read(0, out));
        assertTrue(consistent > 0 || out[0] > 0);
    }
}
