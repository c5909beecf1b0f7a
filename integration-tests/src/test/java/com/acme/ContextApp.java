package com.acme;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Hands tasks to other threads in every way {@code ContextPropagationTest} checks, first each under a span
 * ({@link Handoff}), then the same ways with no span open ({@link HandoffTask#withoutSpan}), on the same
 * pools: a worker that ran a task under a span must not keep it for the next. Prints each task's result,
 * so a run with the agent must print what a run without prints. Virtual threads only on Java 21+.
 */
public final class ContextApp {
    private ContextApp() {
    }

    public static void main(String[] args) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        ScheduledExecutorService scheduled = Executors.newScheduledThreadPool(1);
        ForkJoinPool forkJoin = new ForkJoinPool(1);
        boolean virtualThreads = Runtime.version().feature() >= 21;

        CountDownLatch completeNow = new CountDownLatch(1);
        CompletableFuture<String> notYetComplete = new CompletableFuture<>();
        Thread completer = new Thread(() -> {
            try {
                completeNow.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            notYetComplete.complete("input");
        }, "completer");
        completer.start();

        System.out.println(Handoff.poolExecute(pool));
        System.out.println(Handoff.poolSubmit(pool));
        System.out.println(Handoff.scheduled(scheduled));
        System.out.println(Handoff.supplyAsync());
        System.out.println(Handoff.thenApplyAsync(notYetComplete, completeNow));
        System.out.println(Handoff.forkJoinSubmit(forkJoin));
        System.out.println(Handoff.forkJoinFork());
        System.out.println(Handoff.forkJoinInvoke(forkJoin));
        System.out.println(Handoff.threadStart());
        if (virtualThreads) {
            System.out.println(Handoff.virtualThread());
            System.out.println(Handoff.virtualExecutor());
        }
        System.out.println("same exception from submit: " + Handoff.failingSubmit(pool));
        System.out.println("same exception from supplyAsync: " + Handoff.failingAsync());

        // the same ways with no span open: every task's span is a root
        CountDownLatch executed = new CountDownLatch(1);
        pool.execute(() -> {
            HandoffTask.withoutSpan("poolExecute");
            executed.countDown();
        });
        executed.await();
        System.out.println(pool.submit(() -> HandoffTask.withoutSpan("poolSubmit")).get());
        System.out.println(scheduled.submit(() -> HandoffTask.withoutSpan("scheduled")).get());
        System.out.println(CompletableFuture.supplyAsync(() -> HandoffTask.withoutSpan("supplyAsync")).get());
        System.out.println(forkJoin.submit(() -> HandoffTask.withoutSpan("forkJoinSubmit")).get());
        String[] fromThread = new String[1];
        Thread thread = new Thread(() -> fromThread[0] = HandoffTask.withoutSpan("threadStart"));
        thread.start();
        thread.join();
        System.out.println(fromThread[0]);
        pool.shutdown();
        scheduled.shutdown();
        forkJoin.shutdown();
    }
}
