package dev.obs.exporter.fs;

import static dev.obs.exporter.ExactSeries.counter;
import static dev.obs.exporter.ExactSeries.histogram;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.obs.bootstrap.BootstrapSettings;
import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;
import dev.obs.bootstrap.fs.FsGroups;
import dev.obs.bootstrap.fs.FsRecorder;
import dev.obs.exporter.ExactCounter;
import dev.obs.exporter.StripedHistogram;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a file operation records beyond its counts: its sampled latency, its errors, its slow-operation span. */
class FsDetailRecorderTest {
    static final int GROUP = FsGroups.FIRST_USER;
    static final long SECOND = 1_000_000_000L;
    static final FsDetailRecorder DETAILS = new FsDetailRecorder(2);
    static final List<ObsSpan> QUEUED = new CopyOnWriteArrayList<>();
    static BootstrapSettings previous;

    @BeforeAll
    static void configure() {
        previous = BootstrapSettings.current();
        // java.io is not open to this test, so the fs family is not installed: its groups are
        BootstrapSettings.install(new BootstrapSettings(1.0,
                new FsGroups(new String[] {"data"}, new String[] {"/data/**"}, System.getProperty("java.home"), null,
                        "/"), 1_000_000L));
        Recorder.install(QUEUED::add, 1.0);
    }

    @AfterAll
    static void restore() {
        Recorder.install(null, 1.0);
        BootstrapSettings.install(previous);
    }

    @Test
    void aSampledDurationGoesToTheLatencySeriesOfItsOperationAndGroup() {
        DETAILS.sampled(GROUP, FsRecorder.WRITE, 1_234);
        StripedHistogram series = histogram("fs.operation.duration", "write", "data");
        assertNotNull(series);
        assertSame(series, FsDetailRecorder.latency(GROUP, FsRecorder.WRITE), "the series the exit summary reads");
        long before = series.snapshot().count;
        DETAILS.sampled(GROUP, FsRecorder.WRITE, 5_678);
        assertEquals(before + 1, series.snapshot().count);
    }

    @Test
    void aFailureIsCountedByOperationAndExceptionType() {
        long before = FsDetailRecorder.errors(FsRecorder.DELETE);
        DETAILS.failed(FsRecorder.DELETE, new AccessDeniedException("/data/x"));
        DETAILS.failed(FsRecorder.DELETE, new IOException("busy"));
        DETAILS.failed(FsRecorder.DELETE, new IOException("busy"));
        ExactCounter denied = counter("fs.errors", "delete", "java.nio.file.AccessDeniedException");
        ExactCounter io = counter("fs.errors", "delete", "java.io.IOException");
        assertEquals(1, denied.value());
        assertEquals(2, io.value());
        assertEquals(before + 3, FsDetailRecorder.errors(FsRecorder.DELETE), "every type of the operation");
    }

    @Test
    void aSlowOperationIsASpanWithItsPathGroupAndBytes() {
        QUEUED.clear();
        long start = 100 * SECOND;
        DETAILS.slow(GROUP, FsRecorder.READ, "/data/orders.bin", 4096, start | 1L, start + 3_000_000, null);
        assertEquals(1, QUEUED.size());
        ObsSpan span = QUEUED.get(0);
        assertEquals("fs read", span.name);
        assertEquals(start, span.startNanos, "the sampled flag (bit 0) is not part of the start");
        assertEquals(start + 3_000_000, span.endNanos);
        assertEquals(Map.of("file.path", "/data/orders.bin", "file.group", "data", "fs.operation", "read",
                "fs.bytes", 4096L), attributes(span));
        assertEquals(1, counter("fs.slow.operations", "read").value());
    }

    @Test
    void aSlowOperationThatThrewIsAnErrorSpanWithoutBytes() {
        QUEUED.clear();
        long start = 200 * SECOND;
        DETAILS.slow(GROUP, FsRecorder.MKDIR, "/data/new", 0, start, start + 2_000_000, new IOException("no"));
        ObsSpan span = QUEUED.get(0);
        assertEquals("java.io.IOException", span.errorType);
        assertEquals(Map.of("file.path", "/data/new", "file.group", "data", "fs.operation", "mkdir"), attributes(span));
    }

    @Test
    void beyondTheLimitPerSecondSlowOperationsAreCountedNotTraced() {
        QUEUED.clear();
        long second = 300 * SECOND;
        for (int i = 0; i < 5; i++) {
            DETAILS.slow(GROUP, FsRecorder.OPEN, "/data/f" + i, 0, second, second + 10 + i, null);
        }
        assertEquals(5, counter("fs.slow.operations", "open").value(), "every slow operation is counted");
        assertEquals(2, QUEUED.size(), "obs.fs.slow.max.per.second");
        assertEquals(3, counter("fs.slow.spans.suppressed").value());
        DETAILS.slow(GROUP, FsRecorder.OPEN, "/data/g", 0, second + SECOND, second + SECOND + 10, null);
        assertEquals(3, QUEUED.size(), "a new second, new spans");
        assertEquals(3, counter("fs.slow.spans.suppressed").value());
    }

    private static Map<String, Object> attributes(ObsSpan span) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < span.attributeCount(); i++) {
            out.put(span.attributeKey(i), span.attributeValue(i));
        }
        return out;
    }
}
