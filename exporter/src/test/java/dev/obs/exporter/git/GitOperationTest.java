package dev.obs.exporter.git;

import static dev.obs.exporter.ExactSeries.counter;
import static dev.obs.exporter.ExactSeries.histogram;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.obs.exporter.ExactMetrics;
import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;
import dev.obs.exporter.StripedHistogram;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a Git span's measurement adds to the Git metrics when the span ends. */
class GitOperationTest {
    @AfterEach
    void uninstallRecorder() {
        Recorder.install(null, 1.0); // the recorder is global: no later test records into this one's sink
        Recorder.swapCurrentSpan(null);
    }

    @Test
    void anUnsuccessfulMergeIsAnErrorOfItsOutcomeAndCountsItsConflicts() {
        Recorder.install(span -> true, 1.0);
        ObsSpan merge = Recorder.startSpan("git merge");
        merge.failed = true;
        Recorder.endSpan(merge, null, new GitOperation(GitOperation.Client.JGIT, "merge", "CONFLICTING", 3, 0, 0));

        StripedHistogram conflicting = histogram("git.operation.duration", "merge", "jgit", "CONFLICTING");
        assertNotNull(conflicting);
        assertEquals(List.of("git.operation", "git.client", "git.outcome"), List.of(conflicting.attributeKeys));
        assertEquals(1, conflicting.snapshot().errors, "an unsuccessful merge is an error of the summary");
        assertEquals("git merge", conflicting.operation, "the summary's operation is the span's name");
        assertEquals(3, counter("git.conflicts", "merge", "jgit").value());
    }

    @Test
    void gitRunsWithoutAnOutcomeAreSuccessOrErrorAndAddTheirBytes() {
        Recorder.install(span -> true, 1.0);
        for (int i = 0; i < 2; i++) {
            ObsSpan fetch = Recorder.startDetachedSpan("git fetch");
            Recorder.endDetachedSpan(fetch, i == 0 ? null : new java.io.IOException("refused"),
                    new GitOperation(GitOperation.Client.CLI, "fetch", null, 0, 4096, 0));
        }
        assertEquals(1, histogram("git.operation.duration", "fetch", "cli", "success").snapshot().count);
        assertEquals(1, histogram("git.operation.duration", "fetch", "cli", "error").snapshot().count);
        assertEquals(8192, counter("git.transfer.bytes", "receive", "cli").value());
    }

    @Test
    void aPushSendsAndReceivesNothing() {
        Recorder.install(span -> true, 1.0);
        ObsSpan push = Recorder.startSpan("git transport push");
        Recorder.endSpan(push, null, new GitOperation(GitOperation.Client.JGIT, "transport push", null, 0, 0, 100));
        assertEquals(1, histogram("git.operation.duration", "transport push", "jgit", "success").snapshot().count);
        assertEquals(100, counter("git.transfer.bytes", "transmit", "jgit").value());
        assertNull(counter("git.transfer.bytes", "receive", "jgit"), "a push receives nothing");
    }

    @Test
    void aGitSpanEndedWithoutItsMeasurementIsNotAGitOperation() {
        Recorder.install(span -> true, 1.0);
        Recorder.endSpan(Recorder.startSpan("git stash-like"), null);
        assertNull(histogram("git.operation.duration", "stash-like", "jgit", "success"),
                "the name alone makes no Git series");
        boolean summaryOnly = Arrays.stream(ExactMetrics.histograms())
                .anyMatch(h -> "git stash-like".equals(h.operation) && h.metric == null);
        assertEquals(true, summaryOnly, "it counts in the summary under its name, like any library span");
    }
}
