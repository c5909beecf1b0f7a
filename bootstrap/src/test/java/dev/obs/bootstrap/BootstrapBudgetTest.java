package dev.obs.bootstrap;

import dev.obs.bootstrap.fs.FsGroups;
import dev.obs.bootstrap.fs.FsHooks;
import dev.obs.bootstrap.fs.FsRecorder;
import dev.obs.bootstrap.process.ProcessHooks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The bootstrap holds only what must be in the boot loader: what advice woven into java.base calls, the
 * types shared between class loaders, the per-call fs path, and {@link HelperDispatch}, through which
 * library families reach their helpers. A library family's logic lives in its helper package
 * ({@code dev.obs.instrumentation.<family>}), the exporter's in the exporter. A new class here is a
 * decision: add it to {@link #ALLOWED} with the reason it needs the boot loader, or put it elsewhere.
 *
 * <p>The size budget is today's size: it may only go down. The goal (issue 11) is 1 500 lines.
 */
class BootstrapBudgetTest {
    /** Source files under {@code dev/obs/bootstrap}, relative to it. */
    private static final Set<String> ALLOWED = new TreeSet<>(List.of(
            // records, threads and the shared span/metric types every family and the exporter use
            "Recorder.java", "BootstrapSettings.java", "ObsSpan.java", "ThreadState.java", "SpanSink.java", "CoarseClock.java",
            "SpanMetrics.java", "SpanMeasurement.java", "StripedHistogram.java", "ExactCounter.java", "ExactMetrics.java",
            "SecretMasker.java", "IdentityKey.java",
            // library families' invokedynamic bootstrap
            "HelperDispatch.java",
            // fs: called by advice woven into java.io / java.nio
            "fs/FsHooks.java", "fs/FsRecorder.java", "fs/FsGroups.java",
            // process: called by advice woven into ProcessBuilder; what a start records is in the agent's loader
            "process/ProcessHooks.java",
            // concurrent: called by advice woven into java.util.concurrent and Thread
            "context/ContextHooks.java", "context/ContextTasks.java",
            // otel: woven into Context.current() (the OpenTelemetry agent's copy is in the boot loader) and asked by
            // Recorder at each root span; the reading of that context is in the agent's loader
            "otel/OtelBridge.java"));

    /**
     * Non-blank lines that are not comments (imports count), over every file: today's figure (3 289, after the
     * typed Git measurement and BootstrapSettings came in and the producer-less metric rings went out).
     */
    private static final int CODE_LINES_BUDGET = 2255;

    private static final Path SOURCES = Path.of("src/main/java/dev/obs/bootstrap");

    @Test
    void onlyTheAllowedClassesAreInTheBootstrap() throws IOException {
        assertEquals(ALLOWED, sources().stream().map(p -> SOURCES.relativize(p).toString().replace('\\', '/'))
                .collect(Collectors.toCollection(TreeSet::new)));
    }

    @Test
    void theBootstrapStaysWithinItsSizeBudget() throws IOException {
        int lines = 0;
        for (Path p : sources()) {
            lines += codeLines(Files.readAllLines(p));
        }
        assertTrue(lines > 1000, "the count sees the sources: " + lines);
        assertTrue(lines <= CODE_LINES_BUDGET, "bootstrap code lines: " + lines + " > budget " + CODE_LINES_BUDGET);
    }

    /** Lines with code: not blank, not inside or starting a comment. */
    static int codeLines(List<String> lines) {
        int n = 0;
        boolean inComment = false;
        for (String line : lines) {
            String t = line.trim();
            if (inComment) {
                inComment = !t.contains("*/");
                continue;
            }
            if (t.isEmpty() || t.startsWith("//")) {
                continue;
            }
            if (t.startsWith("/*")) {
                inComment = !t.contains("*/");
                continue;
            }
            n++;
        }
        return n;
    }

    @Test
    void codeLinesSkipBlankLinesAndComments() {
        assertEquals(2, codeLines(List.of("/**", " * doc", " */", "class A {", "", "  // note", "}")));
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
        }
    }
}
