package dev.obs.exporter.store;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The window arithmetic on hand-made points and lines, where every expected figure is worked out by hand. */
class WindowModelTest {
    private static final double[] BOUNDS = {0.001, 0.01, 0.1};

    private static MetricPoint histogram(long start, long time, long[] buckets, double min, double max) {
        long count = 0;
        for (long b : buckets) {
            count += b;
        }
        return new MetricPoint(MetricPoint.Kind.HISTOGRAM, "s", start, time, false, 0, 0, count, 0, min, max,
                BOUNDS, buckets);
    }

    private static MetricPoint counter(long start, long time, long value) {
        return new MetricPoint(MetricPoint.Kind.SUM, "1", start, time, false, value, 0, 0, 0, Double.NaN, Double.NaN,
                null, null);
    }

    @Test
    void aCounterWindowIsTheDifferenceOfTheTwoPoints() {
        assertEquals(7, counter(1, 20, 10).minus(counter(1, 10, 3)).longValue);
    }

    @Test
    void aSmallerValueOrANewStartIsARestartAndCountsWhole() {
        assertEquals(4, counter(1, 20, 4).minus(counter(1, 10, 9)).longValue);
        assertEquals(12, counter(15, 20, 12).minus(counter(1, 10, 9)).longValue);
    }

    @Test
    void aHistogramWindowSubtractsBucketsAndForgetsAnUnchangedMax() {
        MetricPoint w = histogram(1, 20, new long[] {4, 6, 0, 0}, 0.0002, 0.008)
                .minus(histogram(1, 10, new long[] {4, 1, 0, 0}, 0.0002, 0.008));
        assertEquals(5, w.count);
        assertEquals(0, w.bucketCounts[0]);
        assertEquals(5, w.bucketCounts[1]);
        assertTrue(Double.isNaN(w.max), "the largest value may be older than the window");
        assertEquals(0.01, w.maxOrBound(), "bounded by the highest bucket that grew");
    }

    @Test
    void quantilesInterpolateInsideTheirBucket() {
        // 10 values in (0.001, 0.01]: the median is halfway through that bucket
        MetricPoint p = histogram(1, 2, new long[] {0, 10, 0, 0}, Double.NaN, Double.NaN);
        assertEquals(0.0055, p.quantile(0.5), 1e-12);
        // clamped to the recorded extremes
        MetricPoint q = histogram(1, 2, new long[] {0, 10, 0, 0}, 0.002, 0.004);
        assertEquals(0.003, q.quantile(0.5), 1e-12);
        assertEquals(0.004, q.quantile(1.0), 1e-12);
    }

    @Test
    void timesAcceptRelativeAndLocalForms() {
        Instant now = Instant.parse("2026-01-02T12:00:00Z");
        assertEquals(now.minusSeconds(1800).getEpochSecond() * 1_000_000_000L,
                TimeWindow.parseTime("--since", "30m", now, ZoneOffset.UTC));
        assertEquals(Instant.parse("2025-10-23T10:00:00Z").getEpochSecond() * 1_000_000_000L,
                TimeWindow.parseTime("--since", "2025-10-23 10:00:00", now, ZoneOffset.UTC));
        assertEquals(Instant.parse("2025-10-23T10:00:00Z").getEpochSecond() * 1_000_000_000L,
                TimeWindow.parseTime("--since", "2025-10-23T10:00", now, ZoneOffset.UTC));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TimeWindow.parseTime("--since", "soon", now, ZoneOffset.UTC));
        assertTrue(e.getMessage().startsWith("--since 'soon' is not a time"), e.getMessage());
    }

    @Test
    void theLastLineIsReadFromTheEndAndACutLineIsNotWhole(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("metrics-x.jsonl");
        String first = "{\"a\":1}\n";
        String big = "{\"b\":\"" + "x".repeat(200_000) + "\"}\n";
        Files.writeString(f, first + big, StandardCharsets.UTF_8);
        byte[] last = JsonLines.lastLine(f);
        assertEquals(big.trim(), new String(last, StandardCharsets.UTF_8));
        assertTrue(JsonLines.looksWhole(last, 0, last.length));
        byte[] cut = "{\"resourceMetrics\":[{\"res".getBytes(StandardCharsets.UTF_8);
        assertTrue(!JsonLines.looksWhole(cut, 0, cut.length));
        Files.writeString(dir.resolve("empty.jsonl"), "");
        assertNull(JsonLines.lastLine(dir.resolve("empty.jsonl")));
    }

    @Test
    void aLineIsReadAsASnapshot() throws Exception {
        String line = "{\"resourceMetrics\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
                + "{\"stringValue\":\"svc\"}}]},\"scopeMetrics\":[{\"scope\":{\"name\":\"dev.obs\"},\"metrics\":[{\"name\":"
                + "\"fs.operations\",\"unit\":\"{operation}\",\"sum\":{\"dataPoints\":[{\"startTimeUnixNano\":\"5\","
                + "\"timeUnixNano\":\"9\",\"asInt\":\"42\",\"attributes\":[{\"key\":\"fs.operation\",\"value\":"
                + "{\"stringValue\":\"read\"}}]}],\"aggregationTemporality\":2,\"isMonotonic\":true}}]}]}]}";
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        assertEquals(9, JsonLines.metricsTime(b, 0, b.length));
        MetricsSnapshot s = OtlpJsonReader.readMetrics(b, 0, b.length).get(0);
        assertEquals("svc", s.service());
        assertEquals(9, s.timeNanos());
        MetricPoint p = s.points().get(new SeriesKey("fs.operations", Map.of("fs.operation", "read")));
        assertEquals(42, p.longValue);
        assertEquals(5, p.startNanos);
    }
}
