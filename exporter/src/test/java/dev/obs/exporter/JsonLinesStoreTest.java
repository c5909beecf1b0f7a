package dev.obs.exporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.exporter.internal.marshal.Marshaler;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesStoreTest {
    @TempDir
    Path dir;

    private static Marshaler request() {
        SelfMetrics self = new SelfMetrics();
        List<MetricData> metrics = self.collect(Resource.getDefault(), InstrumentationScopeInfo.create("t"), 1, 2,
                0, 0, new SelfMetrics.Drops(0, 0, 0, 0, 0, 0, 0), 0);
        return MetricsRequestMarshaler.create(metrics);
    }

    @Test
    void runIdIsTheUtcTimeAsTheFormatterWritesItThenThePid() {
        java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
        for (java.time.LocalDateTime t : List.of(java.time.LocalDateTime.of(2026, 1, 2, 3, 4, 5),
                java.time.LocalDateTime.of(2026, 12, 31, 23, 59, 59), java.time.LocalDateTime.of(1999, 10, 10, 0, 0, 0),
                java.time.LocalDateTime.of(2026, 7, 9, 12, 30, 1, 999_999_999))) {
            assertEquals(t.format(f) + "-4242", JsonLinesStore.runId(t, 4242), t.toString());
        }
    }

    @Test
    void fileNameIsWhatTheFormatPatternGave() {
        for (int sequence : new int[] {1, 9, 10, 999, 1000, 9999, 10000, 123456}) {
            assertEquals(String.format("%s-%s-%04d.jsonl", "traces", "20261206-194500-77", sequence),
                    JsonLinesStore.fileName("traces", "20261206-194500-77", sequence));
        }
    }

    @Test
    void writesOneJsonObjectPerLine() throws IOException {
        JsonLinesStore store = new JsonLinesStore(dir, "metrics", 1 << 20, 1 << 24);
        store.append(request());
        store.append(request());
        store.close();
        List<Path> files = list();
        assertEquals(1, files.size());
        List<String> lines = Files.readAllLines(files.get(0));
        assertEquals(2, lines.size());
        for (String line : lines) {
            assertTrue(line.startsWith("{\"resourceMetrics\":[") && line.endsWith("}"), line);
        }
    }

    @Test
    void rotatesBySizeAndKeepsTheTotalBounded() throws IOException {
        int lineSize;
        JsonLinesStore probe = new JsonLinesStore(dir.resolve("probe"), "metrics", 1 << 20, 1 << 24);
        probe.append(request());
        probe.close();
        try (Stream<Path> s = Files.list(dir.resolve("probe"))) {
            lineSize = (int) Files.size(s.findFirst().orElseThrow());
        }
        // Two lines per file, at most five files' worth in total.
        JsonLinesStore store = new JsonLinesStore(dir, "metrics", 2L * lineSize, 5L * 2 * lineSize);
        for (int i = 0; i < 40; i++) {
            store.append(request());
        }
        store.close();
        List<Path> files = list();
        long total = 0;
        for (Path f : files) {
            total += Files.size(f);
            assertTrue(Files.size(f) <= 2L * lineSize, f + " is larger than the rotation size");
        }
        assertTrue(files.size() <= 5, "files kept: " + files);
        assertTrue(total <= 5L * 2 * lineSize, "total " + total);
    }

    private List<Path> list() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
    }
}
