package dev.obs.instrumentation.concurrent;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;
import dev.obs.bootstrap.context.ContextHooks;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The holders a task is wrapped in when it is submitted while a span is current: the task and that span,
 * nothing else (24 bytes with compressed pointers). The task runs with the span current on whatever thread
 * runs it, and the thread's own current span is put back afterwards, also when the task throws; the task's
 * result and exception pass through unchanged.
 *
 * <p>Only tasks the program never sees again are wrapped: the callable inside a {@code FutureTask}, the
 * function of a {@code CompletableFuture} stage, a task a {@code ForkJoinPool} adapts into a task of its
 * own. A task the program may get back ({@code ThreadPoolExecutor.execute}'s, in {@code getQueue()},
 * {@code shutdownNow()}, {@code beforeExecute}) is never wrapped (see {@link ContextHooks}). {@code toString}
 * is the task's, so messages that name the task read the same.
 *
 * <p>Memory ordering: the fields are final and the holder reaches the other thread through the executor's
 * own hand-off (a queue or {@code Thread.start}), which orders the writes of the submitting thread before the
 * run, as for the task itself.
 *
 * <p>In the agent's class loader: {@link ContextHooks}, in the boot loader, makes them through
 * {@link ContextHooks.Carriers} ({@link #INSTANCE}, installed by premain). The holder classes are loaded when
 * it is, not on the first task handed over inside the JDK's executor code.
 */
public final class ContextTasks implements ContextHooks.Carriers {
    /** The holders premain installs. */
    public static final ContextTasks INSTANCE = new ContextTasks();
    private static final Class<?>[] LOADED = {CarriedRunnable.class, CarriedCallable.class, CarriedSupplier.class,
        CarriedFunction.class, CarriedConsumer.class, CarriedBiFunction.class, CarriedBiConsumer.class};

    private ContextTasks() {
    }

    /** Whether {@code task} is one of these holders already (a bridge method passes it on to the real one). */
    @Override
    public boolean isCarrier(Object task) {
        return task instanceof Carrier;
    }

    @Override
    public Runnable runnable(Runnable task, ObsSpan span) {
        return new CarriedRunnable(task, span);
    }

    @Override
    public <V> Callable<V> callable(Callable<V> task, ObsSpan span) {
        return new CarriedCallable<>(task, span);
    }

    @Override
    public <T> Supplier<T> supplier(Supplier<T> f, ObsSpan span) {
        return new CarriedSupplier<>(f, span);
    }

    @Override
    public <T, R> Function<T, R> function(Function<T, R> f, ObsSpan span) {
        return new CarriedFunction<>(f, span);
    }

    @Override
    public <T> Consumer<T> consumer(Consumer<T> f, ObsSpan span) {
        return new CarriedConsumer<>(f, span);
    }

    @Override
    public <T, U, R> BiFunction<T, U, R> biFunction(BiFunction<T, U, R> f, ObsSpan span) {
        return new CarriedBiFunction<>(f, span);
    }

    @Override
    public <T, U> BiConsumer<T, U> biConsumer(BiConsumer<T, U> f, ObsSpan span) {
        return new CarriedBiConsumer<>(f, span);
    }

    /** The common part: the span to make current. */
    abstract static class Carrier {
        final ObsSpan span;
        final Object task;

        Carrier(Object task, ObsSpan span) {
            this.task = task;
            this.span = span;
        }

        @Override
        public final String toString() {
            return String.valueOf(task);
        }
    }

    static final class CarriedRunnable extends Carrier implements Runnable {
        CarriedRunnable(Runnable task, ObsSpan span) {
            super(task, span);
        }

        @Override
        public void run() {
            ObsSpan previous = Recorder.swapCurrentSpan(span);
            try {
                ((Runnable) task).run();
            } finally {
                Recorder.swapCurrentSpan(previous);
            }
        }
    }

    static final class CarriedCallable<V> extends Carrier implements Callable<V> {
        CarriedCallable(Callable<V> task, ObsSpan span) {
            super(task, span);
        }

        @Override
        @SuppressWarnings("unchecked")
        public V call() throws Exception {
            ObsSpan previous = Recorder.swapCurrentSpan(span);
            try {
                return ((Callable<V>) task).call();
            } finally {
                Recorder.swapCurrentSpan(previous);
            }
        }
    }

    static final class CarriedSupplier<T> extends Carrier implements Supplier<T> {
        CarriedSupplier(Supplier<T> task, ObsSpan span) {
            super(task, span);
        }

        @Override
        @SuppressWarnings("unchecked")
        public T get() {
            ObsSpan previous = Recorder.swapCurrentSpan(span);
            try {
                return ((Supplier<T>) task).get();
            } finally {
                Recorder.swapCurrentSpan(previous);
            }
        }
    }

    static final class CarriedFunction<T, R> extends Carrier implements Function<T, R> {
        CarriedFunction(Function<T, R> task, ObsSpan span) {
            super(task, span);
        }

        @Override
        @SuppressWarnings("unchecked")
        public R apply(T t) {
            ObsSpan previous = Recorder.swapCurrentSpan(span);
            try {
                return ((Function<T, R>) task).apply(t);
            } finally {
                Recorder.swapCurrentSpan(previous);
            }
        }
    }

    static final class CarriedConsumer<T> extends Carrier implements Consumer<T> {
        CarriedConsumer(Consumer<T> task, ObsSpan span) {
            super(task, span);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void accept(T t) {
            ObsSpan previous = Recorder.swapCurrentSpan(span);
            try {
                ((Consumer<T>) task).accept(t);
            } finally {
                Recorder.swapCurrentSpan(previous);
            }
        }
    }

    static final class CarriedBiFunction<T, U, R> extends Carrier implements BiFunction<T, U, R> {
        CarriedBiFunction(BiFunction<T, U, R> task, ObsSpan span) {
            super(task, span);
        }

        @Override
        @SuppressWarnings("unchecked")
        public R apply(T t, U u) {
            ObsSpan previous = Recorder.swapCurrentSpan(span);
            try {
                return ((BiFunction<T, U, R>) task).apply(t, u);
            } finally {
                Recorder.swapCurrentSpan(previous);
            }
        }
    }

    static final class CarriedBiConsumer<T, U> extends Carrier implements BiConsumer<T, U> {
        CarriedBiConsumer(BiConsumer<T, U> task, ObsSpan span) {
            super(task, span);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void accept(T t, U u) {
            ObsSpan previous = Recorder.swapCurrentSpan(span);
            try {
                ((BiConsumer<T, U>) task).accept(t, u);
            } finally {
                Recorder.swapCurrentSpan(previous);
            }
        }
    }
}
