package dev.obs.bench;

/**
 * The method the agent-attached benchmarks call. {@link #work()} is named in
 * {@code -Dobs.methods.include=dev.obs.bench.Target[work]}; {@link #plain()} is the same body and never
 * instrumented. Not final and not static, so the agent weaves an ordinary virtual method.
 */
public class Target {
    private long counter;

    public long work() {
        return ++counter;
    }

    public long plain() {
        return ++counter;
    }
}
