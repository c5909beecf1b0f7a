package dev.obs.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The workload of {@code scripts/bench.sh moobench}, in MooBench's shape (Kieker's monitoring overhead
 * benchmark): {@link MonitoredClass#monitoredMethod} recurses to a fixed depth, and the main thread calls it
 * many times in a row; an agent configured to trace that method makes one trace of {@code depth} nested
 * spans per call. No work is done inside the method, so what the run measures is what tracing costs the
 * application thread. Prints {@code WORKLOAD_NANOS} (wall time of the calls), {@code WORKLOAD_CPU_NANOS}
 * (CPU time of the main thread over the calls: the application thread's cost, not the agent's own threads)
 * and {@code CHECK} (the recursion's result, so the JIT cannot drop the calls).
 *
 * <pre>
 *   java -cp integration-tests/target/benchmarks.jar dev.obs.bench.MooBenchWorkload [calls (200000)] [depth (10)]
 * </pre>
 */
public final class MooBenchWorkload {
    static final int DEFAULT_CALLS = 200_000;
    static final int DEFAULT_DEPTH = 10;

    private MooBenchWorkload() {
    }

    /** The traced class: MooBench's MonitoredClassSimple without the busy wait. */
    public static final class MonitoredClass {
        public long monitoredMethod(long value, int depth) {
            if (depth > 1) {
                return monitoredMethod(value + 1, depth - 1);
            }
            return value;
        }
    }

    public static void main(String[] args) {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_CALLS;
        int depth = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_DEPTH;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        MonitoredClass monitored = new MonitoredClass();
        long sum = 0;
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            sum += monitored.monitoredMethod(i, depth);
        }
        long t1 = System.nanoTime();
        long cpu1 = threads.getCurrentThreadCpuTime();
        long expected = 0;
        for (int i = 0; i < calls; i++) {
            expected += i + depth - 1;
        }
        System.out.println("CHECK " + (sum == expected ? "ok" : "wrong sum " + sum + " != " + expected));
        System.out.println("WORKLOAD_CPU_NANOS " + (cpu1 - cpu0));
        System.out.println("WORKLOAD_NANOS " + (t1 - t0));
    }
}
