package dev.obs.bootstrap.context;

import dev.obs.bootstrap.IdentityKey;
import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import jdk.internal.vm.annotation.DontInline;

/**
 * What the concurrent family's hooks in java.base call: the span current where a task is submitted (or a
 * thread started) becomes the current span where it runs, so spans the task starts are children of the
 * submitting span, as with the OpenTelemetry agent's executor instrumentation.
 *
 * <p>Cost: with no span current a hook is one ThreadLocal read and a null check (nothing is allocated, the
 * task is passed on as it is). With one, a task the program never sees again is wrapped in one 24-byte
 * holder ({@link Carriers}: {@code dev.obs.instrumentation.concurrent.ContextTasks}); a task it may see again keeps its identity, and its span waits in an
 * identity map until a worker takes the task ({@code ThreadPoolExecutor.execute} of a plain Runnable, a
 * {@code ForkJoinTask}, a thread between {@code start} and {@code run}). Each map holds at most
 * {@link #MAX_PENDING} entries; beyond that (tasks piling up faster than they run) a task runs without its
 * submitter's span. Entries are removed when the task runs, is removed or rejected, or its thread exits.
 * One Runnable object given to {@code execute} again while it still waits runs its later runs without a
 * parent (the first run takes the entry), and with none at all when the two submissions had different spans:
 * a run never gets another submission's span.
 *
 * <p>Where the span is put back: a holder restores the thread's own span when the task ends; a
 * {@code ThreadPoolExecutor} worker drops the span it was given for its task (or its thread's start) each time
 * it asks for its next task ({@code getTask}), and only that span; a
 * {@code ForkJoinTask} and a thread's {@code run} restore it on their exit. So a pool thread never keeps a
 * task's span for the next task.
 *
 * <p>Every method catches every Throwable: the woven code adds no handler around these calls, and a
 * failure here costs the task its parent, never the program's call.
 *
 * <p>JIT: the hooks run inside the JDK's busiest methods ({@code Thread.run/exit}, {@code ForkJoinPool.execute},
 * {@code ForkJoinTask.doExec}, {@code ForkJoinTask.cancel}), on every task and thread. There, what has nothing to
 * do until a span was carried, and the fork-join submit of the JDK's own tasks (a virtual thread's
 * continuation), is a check of a few bytes that C1 inlines too (under its 35 bytes); what follows once a span was
 * carried is a {@link DontInline} method compiled once, not into each of them (HotSpot honours the annotation
 * for boot-loader classes, where the agent defines this one).
 *
 * <p>Memory ordering: the maps are {@link ConcurrentHashMap}s written by the submitting thread before the
 * task is handed over (queue offer, {@code Thread.start}) and read by the thread that runs it after it has
 * taken the task; the map's own volatile accesses order the span's fields (written before it became
 * current) before that read. {@link #carried} is a plain hint: a worker that sees it late skips at most the
 * clearing of a span no task of its own set.
 */
public final class ContextHooks {
    /** Entries a map holds at most. */
    static final int MAX_PENDING = 65_536;
    /** Token: nothing to put back. */
    private static final Object NOTHING = new Object();
    /** Token: put back "no current span". */
    private static final Object NO_SPAN = new Object();

    /**
     * {@code ThreadPoolExecutor.execute} tasks submitted under a span, until a worker takes them: the span, or
     * {@link #AMBIGUOUS} when the same task object was queued again under another span before it ran.
     */
    private static final ConcurrentHashMap<IdentityKey, Object> QUEUED = new ConcurrentHashMap<>();
    /**
     * One task object waiting in the queue twice, under two spans: which run is which cannot be told, so the
     * runs get no parent rather than perhaps the wrong one.
     */
    private static final Object AMBIGUOUS = new Object();
    /** {@code ForkJoinTask}s forked or submitted under a span, until they run. */
    private static final ConcurrentHashMap<IdentityKey, ObsSpan> FORK_JOIN = new ConcurrentHashMap<>();
    /** Threads started under a span, until they run. */
    private static final ConcurrentHashMap<IdentityKey, ObsSpan> STARTING = new ConcurrentHashMap<>();
    /**
     * Set once a task or a thread carried a span (before its entry goes into a map): until then a worker's
     * getTask costs nothing, and the hooks on every task's and thread's run read this flag instead of a map's
     * {@code isEmpty}, whose {@code ConcurrentHashMap.sumCount} C2 would otherwise compile with the profile of
     * obs's empty maps and deoptimize when the program's own contended maps reach it.
     */
    private static volatile boolean carried;

    /** Wraps a task with the span to make current while it runs (premain installs them; none before). */
    public interface Carriers {
        /** Whether {@code task} is a holder already (a bridge method passes it on to the real one). */
        boolean isCarrier(Object task);

        Runnable runnable(Runnable task, ObsSpan span);

        <V> Callable<V> callable(Callable<V> task, ObsSpan span);

        <T> Supplier<T> supplier(Supplier<T> f, ObsSpan span);

        <T, R> Function<T, R> function(Function<T, R> f, ObsSpan span);

        <T> Consumer<T> consumer(Consumer<T> f, ObsSpan span);

        <T, U, R> BiFunction<T, U, R> biFunction(BiFunction<T, U, R> f, ObsSpan span);

        <T, U> BiConsumer<T, U> biConsumer(BiConsumer<T, U> f, ObsSpan span);
    }

    private static volatile Carriers carriers;

    private ContextHooks() {
    }

    /** Installs the holders tasks are wrapped in (premain, once, before the JDK's classes are woven). */
    public static void install(Carriers holders) {
        carriers = holders;
    }

    private static boolean isCarrier(Object task) {
        Carriers c = carriers;
        return c != null && c.isCarrier(task);
    }

    // ------------------------------------------------------------------------------ ThreadPoolExecutor

    /**
     * {@code ThreadPoolExecutor.execute(Runnable)}, on entry. A {@code Future} (a {@code FutureTask} from
     * {@code submit}, which carries its span in its callable; {@code CompletableFuture}'s own tasks) is left
     * alone. Any other task keeps its identity (the program may get it back from the queue, in
     * {@code beforeExecute}, in a rejection handler): its span waits in {@link #QUEUED}.
     */
    public static void executing(Runnable task) {
        try {
            ObsSpan span = Recorder.spanToPropagate();
            if (span == null || task == null || task instanceof Future || isCarrier(task)
                    || QUEUED.size() >= MAX_PENDING) {
                return;
            }
            markCarried();
            IdentityKey key = new IdentityKey(task);
            Object waiting = QUEUED.putIfAbsent(key, span);
            if (waiting != null && waiting != span) {
                // the same Runnable queued again before it ran, under another span
                QUEUED.replace(key, waiting, AMBIGUOUS);
            }
        } catch (Throwable ignored) {
            // the task runs without its parent
        }
    }

    /**
     * {@code ThreadPoolExecutor.getTask()}, on entry: the worker is done with its previous task, so a span
     * that task was given goes (only that one: a span the worker's own code left open stays). A worker's
     * first task runs under the span its thread was started with, which goes here too.
     */
    public static void workerIdle() {
        try {
            if (carried) {
                Recorder.dropCarriedSpan();
            }
        } catch (Throwable ignored) {
            // nothing to clear
        }
    }

    /** Sets {@link #carried} before an entry goes into a map; written once, then only read (a shared line). */
    private static void markCarried() {
        if (!carried) {
            carried = true;
        }
    }

    /** {@code ThreadPoolExecutor.getTask()}, on return: the task taken runs under its submitter's span. */
    public static void workerTook(Runnable task) {
        try {
            if (task == null || !carried || QUEUED.isEmpty()) {
                return;
            }
            Object span = QUEUED.remove(new IdentityKey(task));
            if (span instanceof ObsSpan) {
                Recorder.carrySpan((ObsSpan) span);
            }
        } catch (Throwable ignored) {
            // runs without its parent
        }
    }

    /** {@code ThreadPoolExecutor.remove} and {@code reject}: the task will not be taken by a worker. */
    public static void notQueued(Runnable task) {
        if (carried) {
            drop(QUEUED, task);
        }
    }

    // ------------------------------------------------------------------------------------- FutureTask

    /** {@code FutureTask(Callable)}, before the constructor's code: the callable runs under the span. */
    public static <V> Callable<V> futureCallable(Callable<V> callable) {
        try {
            ObsSpan span = Recorder.spanToPropagate();
            Carriers c = carriers;
            return span == null || callable == null || c == null || c.isCarrier(callable) ? callable
                    : c.callable(callable, span);
        } catch (Throwable t) {
            return callable;
        }
    }

    /** {@code FutureTask(Runnable, V)}, and any task a pool adapts into one of its own. */
    public static Runnable runnable(Runnable task) {
        try {
            ObsSpan span = Recorder.spanToPropagate();
            Carriers c = carriers;
            return span == null || task == null || c == null || c.isCarrier(task) ? task : c.runnable(task, span);
        } catch (Throwable t) {
            return task;
        }
    }

    // ----------------------------------------------------------------------------------- ForkJoinPool

    /**
     * {@code ForkJoinPool.execute/submit(Runnable)}: a plain task is adapted by the pool into a task of its
     * own, so it is wrapped; a {@code ForkJoinTask} keeps its identity (submit returns it) and waits in
     * {@link #FORK_JOIN}. {@code CompletableFuture}'s own tasks carry their span in their functions, and
     * the JDK's own tasks (a virtual thread's continuation) in their thread.
     */
    public static Runnable forkJoinRunnable(Runnable task) {
        // The JDK's own tasks that are no ForkJoinTask (a virtual thread's continuation, at every start and
        // resume) are passed on as they are whatever the span: no look-up of the current span for them. (Nothing
        // here throws: a boot-loader caller's getClassLoader has no permission check.)
        return task == null || !(task instanceof ForkJoinTask) && task.getClass().getClassLoader() == null ? task
                : forkJoinRunnableUnderSpan(task);
    }

    @DontInline
    private static Runnable forkJoinRunnableUnderSpan(Runnable task) {
        try {
            ObsSpan span = Recorder.spanToPropagate();
            Carriers c = carriers;
            if (span == null || c == null || c.isCarrier(task)) {
                return task;
            }
            if (task instanceof ForkJoinTask) {
                capture((ForkJoinTask<?>) task, span);
                return task;
            }
            return task.getClass().getClassLoader() == null ? task : c.runnable(task, span);
        } catch (Throwable t) {
            return task;
        }
    }

    /** {@code ForkJoinPool.submit(Callable)}. */
    public static <V> Callable<V> forkJoinCallable(Callable<V> callable) {
        return futureCallable(callable);
    }

    /** {@code ForkJoinPool.execute/submit/invoke(ForkJoinTask)} and {@code ForkJoinTask.fork()}, on entry. */
    public static void forkJoinTask(ForkJoinTask<?> task) {
        try {
            ObsSpan span = Recorder.spanToPropagate();
            if (span != null && task != null) {
                capture(task, span);
            }
        } catch (Throwable ignored) {
            // runs without its parent
        }
    }

    private static void capture(ForkJoinTask<?> task, ObsSpan span) {
        if (!(task instanceof CompletableFuture.AsynchronousCompletionTask) && FORK_JOIN.size() < MAX_PENDING) {
            markCarried();
            FORK_JOIN.put(new IdentityKey(task), span);
        }
    }

    /**
     * {@code ForkJoinTask.cancel}: a task cancelled before it ran (a short-circuiting parallel stream's
     * later subtasks, {@code shutdownNow}) never reaches doExec; its entry goes here.
     */
    public static void forkJoinTaskCancelled(ForkJoinTask<?> task) {
        if (carried) {
            drop(FORK_JOIN, task);
        }
    }

    /** {@code ForkJoinTask.doExec()}, on entry: the task's span becomes current. Returns what to put back. */
    public static Object forkJoinTaskRunning(ForkJoinTask<?> task) {
        return carried ? runUnderSpan(FORK_JOIN, task, false) : NOTHING;
    }

    // ------------------------------------------------------------------------------------------ threads

    /**
     * {@code Thread.start} (and a virtual thread's), on entry: the new thread's {@code run} gets the span.
     * Not for a fork-join pool's worker (it runs many tasks, each with its own span or none), nor for obs's
     * own threads (named {@code obs-...}; started lazily, possibly on an application thread inside a span).
     */
    public static void threadStarting(Thread thread) {
        try {
            ObsSpan span = Recorder.spanToPropagate();
            if (span != null && thread != null && !(thread instanceof ForkJoinWorkerThread)
                    && STARTING.size() < MAX_PENDING && !thread.getName().startsWith("obs-")) {
                markCarried(); // a pool's worker started under a span must drop it before its next task
                STARTING.put(new IdentityKey(thread), span);
            }
        } catch (Throwable ignored) {
            // the thread runs without its parent
        }
    }

    /** {@code Thread.run} (a virtual thread's {@code run(Runnable)}), on entry. Returns what to put back. */
    public static Object threadRunning(Thread thread) {
        // carried: a pool's worker started for a task under its span drops it before its next task
        return carried ? runUnderSpan(STARTING, thread, true) : NOTHING;
    }

    /** Takes the span {@code key} waits with in {@code map} and makes it current; returns what to put back. */
    @DontInline
    private static Object runUnderSpan(ConcurrentHashMap<IdentityKey, ObsSpan> map, Object key, boolean carry) {
        try {
            ObsSpan span = map.isEmpty() ? null : map.remove(new IdentityKey(key));
            return span == null ? NOTHING : token(carry ? Recorder.carrySpan(span) : Recorder.swapCurrentSpan(span));
        } catch (Throwable t) {
            return NOTHING;
        }
    }

    /** {@code Thread.exit()}: a thread whose {@code run} is its own (never calling Thread's) leaves no entry. */
    public static void threadExiting(Thread thread) {
        if (carried) {
            drop(STARTING, thread);
        }
    }

    /** The entry of a task or thread that will not run (or ran without taking it), if there is one. */
    @DontInline
    private static void drop(ConcurrentHashMap<IdentityKey, ?> map, Object key) {
        try {
            if (key != null && !map.isEmpty()) {
                map.remove(new IdentityKey(key));
            }
        } catch (Throwable ignored) {
            // bounded map
        }
    }

    // ------------------------------------------------------------------------------- CompletableFuture

    /** A {@code CompletableFuture} stage's function, at the {@code ...Async} call that creates the stage. */
    public static <T> Supplier<T> supplier(Supplier<T> f) {
        try {
            ObsSpan span = Recorder.spanToPropagate();
            Carriers c = carriers;
            return span == null || f == null || c == null || c.isCarrier(f) ? f : c.supplier(f, span);
        } catch (Throwable t) {
            return f;
        }
    }

    public static <T, R> Function<T, R> function(Function<T, R> f) {
        try {
            ObsSpan span = Recorder.spanToPropagate();
            Carriers c = carriers;
            return span == null || f == null || c == null || c.isCarrier(f) ? f : c.function(f, span);
        } catch (Throwable t) {
            return f;
        }
    }

    public static <T> Consumer<T> consumer(Consumer<T> f) {
        try {
            ObsSpan span = Recorder.spanToPropagate();
            Carriers c = carriers;
            return span == null || f == null || c == null || c.isCarrier(f) ? f : c.consumer(f, span);
        } catch (Throwable t) {
            return f;
        }
    }

    public static <T, U, R> BiFunction<T, U, R> biFunction(BiFunction<T, U, R> f) {
        try {
            ObsSpan span = Recorder.spanToPropagate();
            Carriers c = carriers;
            return span == null || f == null || c == null || c.isCarrier(f) ? f : c.biFunction(f, span);
        } catch (Throwable t) {
            return f;
        }
    }

    public static <T, U> BiConsumer<T, U> biConsumer(BiConsumer<T, U> f) {
        try {
            ObsSpan span = Recorder.spanToPropagate();
            Carriers c = carriers;
            return span == null || f == null || c == null || c.isCarrier(f) ? f : c.biConsumer(f, span);
        } catch (Throwable t) {
            return f;
        }
    }

    // ------------------------------------------------------------------------------------------ shared

    /** The exit of {@link #forkJoinTaskRunning} and {@link #threadRunning}: puts the thread's span back. */
    public static void restore(Object token) {
        try {
            if (token != NOTHING) {
                Recorder.swapCurrentSpan(token == NO_SPAN ? null : (ObsSpan) token);
            }
        } catch (Throwable ignored) {
            // nothing to put back
        }
    }

    private static Object token(ObsSpan previous) {
        return previous == null ? NO_SPAN : previous;
    }

    /** Entries waiting in the three maps (tests). */
    static int pending() {
        return QUEUED.size() + FORK_JOIN.size() + STARTING.size();
    }
}
