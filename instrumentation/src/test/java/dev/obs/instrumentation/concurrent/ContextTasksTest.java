package dev.obs.instrumentation.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;
import dev.obs.bootstrap.context.ContextHooks;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The holders {@link ContextHooks} wraps tasks in ({@link ContextTasks}, as premain installs them), called as
 * the woven java.base code calls the hooks, on real threads: what a task runs under, what its thread has
 * afterwards, and that a task handed over with no span is left as it is.
 */
class ContextTasksTest {
    private final List<ObsSpan> queued = new ArrayList<>();

    @BeforeEach
    void install() {
        Recorder.install(queued::add, 1.0);
        ContextHooks.install(ContextTasks.INSTANCE);
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
    void aHolderHandedOverAgainIsNotWrappedTwice() {
        ObsSpan submitting = Recorder.startSpan("submit");
        Runnable task = () -> { };
        Runnable wrapped = ContextHooks.runnable(task);
        assertNotSame(task, wrapped, "wrapped, under a span");
        assertSame(wrapped, ContextHooks.runnable(wrapped));
        assertSame(wrapped, ContextHooks.forkJoinRunnable(wrapped));
        Recorder.endSpan(submitting, null);
    }
}
