package dev.obs.exporter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void bucketsAreExactAndUpperInclusive() {
        LatencyHistogram h = new LatencyHistogram(Attributes.empty(), true);
        h.recordValue(1_000);          // exactly 1 µs: first bucket
        h.recordValue(1_001);          // just above: second bucket
        h.recordValue(2_000_000);      // 2 ms: the (1 ms, 2.5 ms] bucket
        h.recordValue(20_000_000_000L); // 20 s: overflow bucket
        HistogramPointData p = h.toPoint(0, 1);
        assertEquals(4, p.getCount());
        assertEquals(1, p.getCounts().get(0));
        assertEquals(1, p.getCounts().get(1));
        int twoMs = p.getBoundaries().indexOf(0.0025);
        assertEquals(1, p.getCounts().get(twoMs));
        assertEquals(1, p.getCounts().get(p.getCounts().size() - 1));
        assertEquals(0.000001, p.getMin(), 1e-12);
        assertEquals(20.0, p.getMax(), 1e-9);
        assertEquals((1_000 + 1_001 + 2_000_000 + 20_000_000_000L) / 1e9, p.getSum(), 1e-9);
    }

    /** The metric path's slots are split at these same bounds, so its exported buckets are exact. */
    @Test
    void exportedSecondsBoundsAreTheMetricPathsNanosecondBounds() {
        long[] nanos = dev.obs.exporter.StripedHistogram.EXPORT_BOUNDS_NANOS;
        assertEquals(nanos.length, LatencyHistogram.SECONDS_BOUNDS.length);
        for (int i = 0; i < nanos.length; i++) {
            assertEquals(nanos[i], Math.round(LatencyHistogram.SECONDS_BOUNDS[i] * 1e9), "bound " + i);
        }
    }
}
