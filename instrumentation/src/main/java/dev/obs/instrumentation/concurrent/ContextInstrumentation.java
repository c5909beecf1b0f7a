package dev.obs.instrumentation.concurrent;

import static dev.obs.instrumentation.JavaBaseHook.Value.ENTER;
import static dev.obs.instrumentation.JavaBaseHook.Value.RETURN;
import static dev.obs.instrumentation.JavaBaseHook.Value.THIS;
import static dev.obs.instrumentation.JavaBaseHook.Value.argument;

import dev.obs.instrumentation.JavaBaseHook;
import dev.obs.instrumentation.JavaBaseHook.Call;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a task changes threads in java.base, JDK 17 to 25, and what each hook calls in
 * {@link dev.obs.bootstrap.context.ContextHooks}:
 *
 * <ul>
 *   <li>{@code FutureTask}'s constructors (every {@code submit} of an {@code AbstractExecutorService},
 *       {@code ScheduledThreadPoolExecutor}'s tasks, {@code ExecutorCompletionService}): the callable is
 *       wrapped; the future keeps its identity, so {@code remove(future)}, {@code purge} and {@code cancel}
 *       work as before.</li>
 *   <li>{@code ThreadPoolExecutor.execute(Runnable)}: the task keeps its identity (the program may see it
 *       again in {@code beforeExecute}, {@code getQueue}, {@code shutdownNow} or a rejection handler), its
 *       span is taken up by the worker in {@code getTask}, which also drops the previous task's.</li>
 *   <li>{@code ForkJoinPool.execute/submit/invoke} and {@code ForkJoinTask.fork()}, run in
 *       {@code ForkJoinTask.doExec()}.</li>
 *   <li>the {@code ...Async} methods of {@code CompletableFuture}: the stage's function, so a stage added
 *       to a future not yet complete runs under the span that added it, not the completing thread's.</li>
 *   <li>{@code Thread.start} (platform and virtual) and the new thread's {@code run}.</li>
 * </ul>
 *
 * <p>These classes are often loaded before premain (always {@code Thread}); a task submitted then has no
 * span to carry, so they are retransformed after premain has returned ({@link JavaBaseHook#afterPremain()}),
 * and add nothing to the start-up the program waits for.
 */
final class ContextInstrumentation {
    private static final String HOOKS = "dev/obs/bootstrap/context/ContextHooks";
    private static final String RUNNABLE = "Ljava/lang/Runnable;";
    private static final String CALLABLE = "Ljava/util/concurrent/Callable;";
    private static final String FORK_JOIN_TASK = "Ljava/util/concurrent/ForkJoinTask;";
    private static final String THREAD = "Ljava/lang/Thread;";
    private static final String STAGE = "Ljava/util/concurrent/CompletionStage;";
    private static final String TPE = "java.util.concurrent.ThreadPoolExecutor";
    private static final String FJP = "java.util.concurrent.ForkJoinPool";
    private static final String FJT = "java.util.concurrent.ForkJoinTask";
    private static final String CF = "java.util.concurrent.CompletableFuture";

    /** CompletableFuture's instance methods that add a stage run on an executor. */
    private static final List<String> ASYNC_STAGES = List.of("thenApplyAsync", "thenAcceptAsync", "thenRunAsync",
            "thenCombineAsync", "thenAcceptBothAsync", "runAfterBothAsync", "applyToEitherAsync",
            "acceptEitherAsync", "runAfterEitherAsync", "thenComposeAsync", "handleAsync", "whenCompleteAsync",
            "exceptionallyAsync", "exceptionallyComposeAsync", "completeAsync");

    private ContextInstrumentation() {
    }

    static List<JavaBaseHook> hooks() {
        List<JavaBaseHook> hooks = new ArrayList<>();
        // ThreadPoolExecutor (and ScheduledThreadPoolExecutor's workers)
        hooks.add(enterOnly(TPE, List.of("execute"), "(" + RUNNABLE + ")",
                call("executing", "(" + RUNNABLE + ")V", argument(0))));
        hooks.add(new JavaBaseHook(TPE, List.of("getTask"), "()", null, 0, call("workerIdle", "()V"),
                call("workerTook", "(" + RUNNABLE + ")V", RETURN), false, -1, true));
        hooks.add(enterOnly(TPE, List.of("remove", "reject"), "(" + RUNNABLE + ")",
                call("notQueued", "(" + RUNNABLE + ")V", argument(0))));
        // FutureTask
        hooks.add(replacing("java.util.concurrent.FutureTask", List.of("<init>"), "(" + CALLABLE + ")", 0,
                "futureCallable", CALLABLE, 0));
        hooks.add(replacing("java.util.concurrent.FutureTask", List.of("<init>"), "(" + RUNNABLE, 0, "runnable",
                RUNNABLE, 0));
        // ForkJoinPool and ForkJoinTask
        hooks.add(replacing(FJP, List.of("execute", "submit"), "(" + RUNNABLE, 0, "forkJoinRunnable", RUNNABLE, 0));
        hooks.add(replacing(FJP, List.of("submit"), "(" + CALLABLE + ")", 0, "forkJoinCallable", CALLABLE, 0));
        hooks.add(enterOnly(FJP, List.of("execute", "submit", "invoke"), "(" + FORK_JOIN_TASK + ")",
                call("forkJoinTask", "(" + FORK_JOIN_TASK + ")V", argument(0))));
        hooks.add(enterOnly(FJT, List.of("fork"), "()", call("forkJoinTask", "(" + FORK_JOIN_TASK + ")V", THIS)));
        hooks.add(enterOnly(FJT, List.of("cancel"), "(Z)", call("forkJoinTaskCancelled", "(" + FORK_JOIN_TASK + ")V",
                THIS)));
        hooks.add(around(FJT, List.of("doExec"), "()", call("forkJoinTaskRunning", "(" + FORK_JOIN_TASK + ")"
                + "Ljava/lang/Object;", THIS)));
        // threads: JDK 21+ also start(ThreadContainer), which executors of virtual threads use
        hooks.add(enterOnly("java.lang.Thread", List.of("start"), null, call("threadStarting", "(" + THREAD + ")V",
                THIS)));
        hooks.add(around("java.lang.Thread", List.of("run"), "()", call("threadRunning", "(" + THREAD + ")"
                + "Ljava/lang/Object;", THIS)));
        hooks.add(enterOnly("java.lang.Thread", List.of("exit"), "()", call("threadExiting", "(" + THREAD + ")V",
                THIS)));
        hooks.add(enterOnly("java.lang.VirtualThread", List.of("start"), "(Ljdk/internal/vm/ThreadContainer;)",
                call("threadStarting", "(" + THREAD + ")V", THIS)));
        hooks.add(around("java.lang.VirtualThread", List.of("run"), "(" + RUNNABLE + ")",
                call("threadRunning", "(" + THREAD + ")Ljava/lang/Object;", THIS)));
        // CompletableFuture: supplyAsync/runAsync (static), then the stages' function in first or second place
        hooks.add(replacing(CF, List.of("supplyAsync"), "(Ljava/util/function/Supplier;", Modifier.STATIC,
                "supplier", "Ljava/util/function/Supplier;", 0));
        hooks.add(replacing(CF, List.of("runAsync"), "(" + RUNNABLE, Modifier.STATIC, "runnable", RUNNABLE, 0));
        String[][] functions = {
            {"Ljava/util/function/Supplier;", "supplier"},
            {"Ljava/util/function/Function;", "function"},
            {"Ljava/util/function/Consumer;", "consumer"},
            {"Ljava/util/function/BiFunction;", "biFunction"},
            {"Ljava/util/function/BiConsumer;", "biConsumer"},
            {RUNNABLE, "runnable"},
        };
        for (String[] f : functions) {
            hooks.add(replacing(CF, ASYNC_STAGES, "(" + f[0], 0, f[1], f[0], 0));
            hooks.add(replacing(CF, ASYNC_STAGES, "(" + STAGE + f[0], 0, f[1], f[0], 1));
        }
        return List.copyOf(hooks);
    }

    private static Call call(String name, String descriptor, JavaBaseHook.Value... arguments) {
        return new Call(HOOKS, name, descriptor, arguments);
    }

    private static JavaBaseHook enterOnly(String className, List<String> methods, String parameters, Call enter) {
        return new JavaBaseHook(className, methods, parameters, null, 0, enter, null, false, -1, true);
    }

    /** Entry returns what the exit (normal or exceptional) puts back. */
    private static JavaBaseHook around(String className, List<String> methods, String parameters, Call enter) {
        return new JavaBaseHook(className, methods, parameters, null, 0, enter,
                call("restore", "(Ljava/lang/Object;)V", ENTER), true, -1, true);
    }

    /** Argument {@code argument} (of type {@code type}) is replaced by {@code hook(argument)} on entry. */
    private static JavaBaseHook replacing(String className, List<String> methods, String parameters, int modifiers,
                                          String hook, String type, int argument) {
        return new JavaBaseHook(className, methods, parameters, null, modifiers,
                call(hook, "(" + type + ")" + type, argument(argument)), null, false, argument, true);
    }
}
