package dev.obs.bench;

import dev.obs.bootstrap.MetricRegistry;
import dev.obs.bootstrap.MetricRing;
import dev.obs.bootstrap.Recorder;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the first {@link Recorder#recordValue} on a thread costs: a new thread (platform, or virtual on JDK
 * 21+ with {@code -p kind=virtual}) records one value and ends. The recorder then creates the thread's
 * {@link MetricRing} (4096 entries = 64 KiB of longs plus padding) and copies the registry's ring array
 * under a lock. The benchmark thread then removes dead rings, as the exporter does on its next loop.
 *
 * <p>{@code newThreadBaseline} is the same thread start/join without recording. The difference in B/op is
 * the per-thread price of metrics; with a thread (or virtual thread) per request it is paid per request.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ThreadChurnBenchmark {
    @Param({"platform"})
    public String kind;

    int metricId;
    MethodHandle virtualStart;
    final Runnable record = () -> Recorder.recordValue(metricId, 1L);
    final Runnable nothing = () -> { };

    @Setup(Level.Trial)
    public void setup() throws Throwable {
        metricId = MetricRegistry.register("bench.churn", "1", "thread churn", MetricRegistry.COUNTER,
                new String[0], new String[0]);
        if (kind.equals("virtual")) {
            // Thread.startVirtualThread(Runnable), JDK 21+; looked up reflectively as we compile for 17.
            virtualStart = MethodHandles.publicLookup().findStatic(Thread.class, "startVirtualThread",
                    MethodType.methodType(Thread.class, Runnable.class));
        } else if (!kind.equals("platform")) {
            throw new IllegalArgumentException("kind must be platform or virtual");
        }
    }

    private Thread start(Runnable r) throws Throwable {
        if (virtualStart != null) {
            return (Thread) virtualStart.invokeExact(r);
        }
        Thread t = new Thread(r);
        t.start();
        return t;
    }

    @Benchmark
    public int newThreadRecordOnce() throws Throwable {
        start(record).join();
        return removeDeadRings();
    }

    @Benchmark
    public int newThreadBaseline() throws Throwable {
        start(nothing).join();
        return removeDeadRings();
    }

    private static int removeDeadRings() {
        MetricRing[] rings = MetricRegistry.rings();
        for (MetricRing r : rings) {
            if (!r.owner().isAlive()) {
                r.drain((id, v) -> { });
                MetricRegistry.removeRing(r);
            }
        }
        return rings.length;
    }
}
