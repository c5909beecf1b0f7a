package com.acme;

/**
 * The tasks {@link Handoff} hands to other threads, one traced method per way: span {@code HandoffTask.<case>},
 * whose parent must be {@code Handoff.<case>}. {@link #withoutSpan} is what ContextApp hands over with no span
 * open: each of its spans must be a root.
 */
public final class HandoffTask {
    /** Thrown by the failing tasks; the submitter checks it gets this very instance back. */
    static final IllegalStateException FAILURE = new IllegalStateException("task failed on purpose");

    private HandoffTask() {
    }

    public static String poolExecute() {
        return "ran:poolExecute";
    }

    public static String poolSubmit() {
        return "ran:poolSubmit";
    }

    public static String scheduled() {
        return "ran:scheduled";
    }

    public static String supplyAsync() {
        return "ran:supplyAsync";
    }

    public static String thenApplyAsync(String input) {
        return "ran:thenApplyAsync(" + input + ")";
    }

    public static String forkJoinSubmit() {
        return "ran:forkJoinSubmit";
    }

    public static String forkJoinFork() {
        return "ran:forkJoinFork";
    }

    public static String forkJoinInvoke() {
        return "ran:forkJoinInvoke";
    }

    public static String threadStart() {
        return "ran:threadStart";
    }

    public static String virtualThread() {
        return "ran:virtualThread";
    }

    public static String virtualExecutor() {
        return "ran:virtualExecutor";
    }

    public static String failingSubmit() {
        throw FAILURE;
    }

    public static String failingAsync() {
        throw FAILURE;
    }

    public static String withoutSpan(String how) {
        return "ran:withoutSpan(" + how + ")";
    }
}
