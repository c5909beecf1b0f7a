package dev.obs.bootstrap.context;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ContextHooks} called as the woven java.base code calls them, on real threads: what a pool's worker
 * runs a task it took under. The holders tasks are wrapped in: {@code ContextTasksTest} (instrumentation).
 */
class ContextHooksTest {
    private final List<ObsSpan> queued = new ArrayList<>();

    @AfterEach
    void uninstallRecorder() {
        Recorder.install(null, 1.0); // the recorder is global: no later test records into this one's sink
        Recorder.swapCurrentSpan(null);
    }

    @BeforeEach
    void install() {
        Recorder.install(queued::add, 1.0);
    }

    @Test
    void aPoolWorkerDropsTheSpanItWasGivenButNotOneItsOwnCodeLeftOpen() throws Exception {
        Runnable task = () -> { };
        ObsSpan submitting = Recorder.startSpan("submit");
        ContextHooks.executing(task);
        Recorder.endSpan(submitting, null);
        List<String> steps = new ArrayList<>();
        Thread worker = new Thread(() -> {
            ContextHooks.workerTook(task);
            steps.add("took: " + name(Recorder.currentSpan()));
            ContextHooks.workerIdle();
            steps.add("idle: " + name(Recorder.currentSpan()));
            ObsSpan leftOpen = Recorder.startSpan("left open");
            ContextHooks.workerIdle();
            steps.add("idle again: " + name(Recorder.currentSpan()));
            Recorder.endSpan(leftOpen, null);
        });
        worker.start();
        worker.join();
        assertEquals(List.of("took: submit", "idle: none", "idle again: left open"), steps);
        assertEquals(0, ContextHooks.pending(), "the entry went when the worker took the task");
    }

    @Test
    void oneRunnableQueuedTwiceUnderTwoSpansRunsWithoutAParentRatherThanTheOtherOnes() throws Exception {
        Runnable task = () -> { };
        ObsSpan first = Recorder.startSpan("first");
        ContextHooks.executing(task);
        Recorder.endSpan(first, null);
        ObsSpan second = Recorder.startSpan("second");
        ContextHooks.executing(task);
        Recorder.endSpan(second, null);
        List<String> steps = new ArrayList<>();
        Thread worker = new Thread(() -> {
            ContextHooks.workerTook(task);
            steps.add("took: " + name(Recorder.currentSpan()));
            ContextHooks.workerIdle();
            ContextHooks.workerTook(task);
            steps.add("took again: " + name(Recorder.currentSpan()));
        });
        worker.start();
        worker.join();
        assertEquals(List.of("took: none", "took again: none"), steps);
    }

    private static String name(ObsSpan span) {
        return span == null ? "none" : span.name;
    }
}
