package com.acme;

/**
 * Produces a number of records the test knows from the arguments alone: {@code --syncs=N} calls of
 * {@link Repo#sync} (traced as {@code com.acme.Repo[sync,push]}: 2 N spans in N traces) and
 * {@code --processes=K} runs of {@code true} (K values of {@code obs.process.started}), then exits at once.
 */
public final class AccountingApp {
    public static void main(String[] args) throws Exception {
        int syncs = AppArgs.intArg(args, "syncs", 100);
        int processes = AppArgs.intArg(args, "processes", 3);
        Repo repo = new Repo("origin");
        long sum = 0;
        for (int i = 0; i < syncs; i++) {
            sum += repo.sync(i);
        }
        for (int i = 0; i < processes; i++) {
            if (new ProcessBuilder("true").start().waitFor() != 0) {
                throw new IllegalStateException("true failed");
            }
        }
        System.out.println("done " + sum);
    }
}
