package com.acme;

import java.lang.reflect.Method;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The submitting side of {@link ContextApp}: each method (a traced span {@code Handoff.<case>}) hands
 * {@code HandoffTask.<case>} (a traced span too) to another thread in one way and waits for it. The pools
 * are ContextApp's, shared with the hand-offs made with no span open.
 */
public final class Handoff {
    private Handoff() {
    }

    public static String poolExecute(ExecutorService pool) throws InterruptedException {
        String[] result = new String[1];
        CountDownLatch done = new CountDownLatch(1);
        pool.execute(() -> {
            result[0] = HandoffTask.poolExecute();
            done.countDown();
        });
        done.await();
        return result[0];
    }

    public static String poolSubmit(ExecutorService pool) throws Exception {
        return pool.submit(HandoffTask::poolSubmit).get();
    }

    public static String scheduled(ScheduledExecutorService pool) throws Exception {
        return pool.schedule(HandoffTask::scheduled, 5, TimeUnit.MILLISECONDS).get();
    }

    public static String supplyAsync() throws Exception {
        return CompletableFuture.supplyAsync(HandoffTask::supplyAsync).get();
    }

    /**
     * A stage added to a future that is not complete yet: it runs when {@code completer} (a thread started
     * before this span, so with no span of its own) completes the future, not under the completer's span.
     */
    public static String thenApplyAsync(CompletableFuture<String> notYetComplete, CountDownLatch completeNow)
            throws Exception {
        CompletableFuture<String> stage = notYetComplete.thenApplyAsync(HandoffTask::thenApplyAsync);
        completeNow.countDown();
        return stage.get();
    }

    public static String forkJoinSubmit(ForkJoinPool pool) throws Exception {
        return pool.submit((Callable<String>) HandoffTask::forkJoinSubmit).get();
    }

    /** {@code fork()} called outside the pool (this thread is not a worker): the task runs on a worker. */
    public static String forkJoinFork() {
        RecursiveTask<String> task = new RecursiveTask<>() {
            @Override
            protected String compute() {
                return HandoffTask.forkJoinFork();
            }
        };
        return task.fork().join();
    }

    public static String forkJoinInvoke(ForkJoinPool pool) {
        return pool.invoke(new RecursiveTask<String>() {
            @Override
            protected String compute() {
                return HandoffTask.forkJoinInvoke();
            }
        });
    }

    public static String threadStart() throws InterruptedException {
        String[] result = new String[1];
        Thread thread = new Thread(() -> result[0] = HandoffTask.threadStart(), "handoff-thread");
        thread.start();
        thread.join();
        return result[0];
    }

    /** {@code Thread.ofVirtual().start(task)} (Java 21+, called reflectively: the app is compiled for 17). */
    public static String virtualThread() throws Exception {
        String[] result = new String[1];
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Method start = Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class);
        Thread thread = (Thread) start.invoke(builder, (Runnable) () -> result[0] = HandoffTask.virtualThread());
        thread.join();
        return result[0];
    }

    /** {@code Executors.newVirtualThreadPerTaskExecutor().submit(task)} (Java 21+). */
    public static String virtualExecutor() throws Exception {
        ExecutorService pool = (ExecutorService) java.util.concurrent.Executors.class
                .getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        try {
            return pool.submit(HandoffTask::virtualExecutor).get();
        } finally {
            pool.shutdown();
        }
    }

    /** The task's own exception reaches the submitter as the same instance, with the agent as without. */
    public static boolean failingSubmit(ExecutorService pool) throws InterruptedException {
        try {
            pool.submit(HandoffTask::failingSubmit).get();
            return false;
        } catch (ExecutionException e) {
            return e.getCause() == HandoffTask.FAILURE;
        }
    }

    public static boolean failingAsync() {
        try {
            CompletableFuture.supplyAsync(HandoffTask::failingAsync).join();
            return false;
        } catch (java.util.concurrent.CompletionException e) {
            return e.getCause() == HandoffTask.FAILURE;
        }
    }
}
