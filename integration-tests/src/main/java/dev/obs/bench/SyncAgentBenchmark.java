package dev.obs.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * A declared sync operation with three template captures against the same method body undeclared, both in
 * a JVM with the agent and the rules of {@link SyncTarget#RULES} ({@link SyncBenchmark} attaches them). The
 * difference is what a declared operation adds on the application thread (with {@code -prof gc}: B/op of
 * every thread, the exporter's included).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Threads(1)
public class SyncAgentBenchmark {
    SyncTarget target;
    SyncTarget.Batch batch;

    @Setup
    public void setup() {
        target = new SyncTarget("device-b", 0);
        batch = new SyncTarget.Batch("notes", List.of("a", "b", "c"));
    }

    @Benchmark
    public long declared() {
        return target.send(batch);
    }

    @Benchmark
    public long undeclared() {
        return target.sendPlain(batch);
    }
}
