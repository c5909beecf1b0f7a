package dev.obs.bench;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Calling a tiny method with the agent attached. The agent jar is not known at compile time, so it comes
 * from the command line and is <em>prepended</em> to each fork's JVM arguments; the per-configuration
 * flags below are <em>appended</em> by the annotations (JMH overrides prepend and append separately):
 *
 * <pre>
 *   java -jar integration-tests/target/benchmarks.jar 'AgentAttachedBenchmark\.(instrumented|uninstrumented|disabled)$' \
 *        -jvmArgsPrepend -javaagent:agent/target/obs.jar -prof gc
 * </pre>
 *
 * or, with a summary table and ratios, {@code java -Dobs.jar=agent/target/obs.jar -cp benchmarks.jar
 * dev.obs.bench.Bench agent} ({@code scripts/bench.sh agent}).
 *
 * <ul>
 *   <li>{@code instrumented}: agent on, {@code Target.work()} woven (a method span per call).</li>
 *   <li>{@code uninstrumented}: agent on, {@code Target.plain()}, same body, not woven.</li>
 *   <li>{@code disabled}: agent attached with {@code -Dobs.enabled=false}, {@code Target.work()}: the
 *       baseline.</li>
 *   <li>{@code noAgent}: no {@code -javaagent} at all (only run by {@link Bench}, which clears the prepended
 *       arguments for it; fails fast if an agent is attached).</li>
 * </ul>
 *
 * <p>Reading the numbers: JMH's {@code gc.alloc.rate.norm} counts every thread of the fork, so the
 * {@code instrumented} B/op includes what the agent's exporter thread allocates per span (conversion,
 * aggregation), not only the 96 B ObsSpan of the calling thread. Called flat out, the application thread
 * produces spans faster than the exporter thread drains them, so part of the calls take the queue's
 * cheaper drop path; {@code Bench agent} runs {@link DropProbe} to report that share.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Threads(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-Dobs.methods.include=dev.obs.bench.Target[work]",
        "-Dobs.exporter=none", "-Dobs.summary=false"})
public class AgentAttachedBenchmark {
    Target target;

    @Setup(Level.Trial)
    public void setup() {
        target = new Target();
    }

    static boolean agentAttached() {
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-javaagent:")) {
                return true;
            }
        }
        return false;
    }

    /** Fails the benchmark (rather than mislabel it) when the agent argument was forgotten. */
    @State(Scope.Benchmark)
    public static class RequireAgent {
        @Setup(Level.Trial)
        public void check() {
            if (!agentAttached()) {
                throw new IllegalStateException("no -javaagent: pass -jvmArgsPrepend -javaagent:/path/obs.jar"
                        + " (or run dev.obs.bench.Bench agent)");
            }
        }
    }

    @State(Scope.Benchmark)
    public static class RequireNoAgent {
        @Setup(Level.Trial)
        public void check() {
            if (agentAttached()) {
                throw new IllegalStateException("noAgent must run without -javaagent (run dev.obs.bench.Bench agent)");
            }
        }
    }

    @Benchmark
    public long instrumented(RequireAgent agent) {
        return target.work();
    }

    @Benchmark
    public long uninstrumented(RequireAgent agent) {
        return target.plain();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-Dobs.methods.include=dev.obs.bench.Target[work]",
            "-Dobs.exporter=none", "-Dobs.summary=false", "-Dobs.enabled=false"})
    public long disabled(RequireAgent agent) {
        return target.work();
    }

    @Benchmark
    public long noAgent(RequireNoAgent none) {
        return target.work();
    }
}
