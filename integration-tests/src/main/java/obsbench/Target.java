package obsbench;

/**
 * The method the agent-attached benchmarks call. {@link #work()} is named in
 * {@code -Dobs.methods.include=obsbench.Target[work]}; {@link #plain()} is the same body and never
 * instrumented. Not final and not static, so the agent weaves an ordinary virtual method.
 *
 * <p>It lives outside {@code dev.obs} on purpose: the agent's Weaver ignores every type whose name starts
 * with {@code dev.obs.} (its own classes), so {@code dev.obs.bench.Target[work]} would never be woven.
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
