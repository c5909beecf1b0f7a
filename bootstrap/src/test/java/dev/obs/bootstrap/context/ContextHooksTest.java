package dev.obs.bootstrap.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ContextHooks} called as the woven java.base code calls them, on real threads: what a task runs
 * under, what its thread has afterwards, and that a task handed over with no span is left as it is.
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
    void aTaskHandedOverWithNoSpanCurrentIsPassedOnAsItIs() {
        Callable<String> callable = () -> "x";
        Runnable runnable = () -> { };
        assertNull(Recorder.currentSpan());
        assertSame(callable, ContextHooks.futureCallable(callable));
        assertSame(runnable, ContextHooks.runnable(runnable));
        assertSame(runnable, ContextHooks.forkJoinRunnable(runnable));
    }

    @Test
    void aWrappedTaskRunsUnderTheSubmittingSpanAndItsThreadGetsItsOwnSpanBack() throws Exception {
        ObsSpan submitting = Recorder.startSpan("submit");
        AtomicReference<ObsSpan> seen = new AtomicReference<>();
        Callable<String> task = () -> {
            seen.set(Recorder.currentSpan());
            return "result";
        };
        Callable<String> wrapped = ContextHooks.futureCallable(task);
        Recorder.endSpan(submitting, null);
        assertEquals(String.valueOf(task), String.valueOf(wrapped), "toString is the task's");

        AtomicReference<Object> result = new AtomicReference<>();
        AtomicReference<ObsSpan> afterwards = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            ObsSpan own = Recorder.startSpan("worker's own");
            try {
                result.set(wrapped.call());
            } catch (Exception e) {
                result.set(e);
            }
            afterwards.set(Recorder.currentSpan());
            Recorder.endSpan(own, null);
        });
        worker.start();
        worker.join();
        assertEquals("result", result.get());
        assertSame(submitting, seen.get(), "the task ran under the submitting span");
        assertEquals("worker's own", afterwards.get().name, "the worker's own span is current again");
    }

    @Test
    void aWrappedTasksExceptionReachesTheCallerAsTheSameInstance() {
        ObsSpan submitting = Recorder.startSpan("submit");
        IllegalStateException failure = new IllegalStateException("task failed");
        Callable<String> wrapped = ContextHooks.futureCallable(() -> {
            throw failure;
        });
        assertSame(failure, assertThrows(IllegalStateException.class, wrapped::call));
        assertSame(submitting, Recorder.currentSpan(), "put back after the throw");
        Recorder.endSpan(submitting, null);
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
