package dev.obs.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * The child application of {@link ExportThroughputBenchmark}: calls {@link Target#work()} (woven by the
 * agent via {@code -Dobs.methods.include=dev.obs.bench.Target[work]}) at a paced rate for a fixed time,
 * then exits, which lets the agent's shutdown hook flush what is left.
 *
 * <p>Pacing: every iteration it generates until {@code generated >= rate * elapsed} and then parks 100 µs,
 * so spans arrive in ~100 µs bursts at the target average rate; if the thread falls behind it catches up
 * (never more than one second's worth in a burst). Prints {@code GEN_START}, {@code GEN_END <count> <nanos>}
 * on stdout for the parent.
 *
 * <p>Usage: {@code SpanLoad <spansPerSecond> <seconds> [warmupSeconds]}. The warm-up phase runs at the same
 * rate before {@code GEN_START} so the JIT and the exporter are warm; its spans are counted separately.
 */
public final class SpanLoad {
    private SpanLoad() {
    }

    public static void main(String[] args) {
        long rate = Long.parseLong(args[0]);
        double seconds = Double.parseDouble(args[1]);
        double warmup = args.length > 2 ? Double.parseDouble(args[2]) : 2.0;
        Target load = new Target();
        long warm = run(load, rate, warmup);
        System.out.println("WARMUP_END " + warm);
        System.out.println("GEN_START " + processCpuNanos());
        System.out.flush();
        long t0 = System.nanoTime();
        long generated = run(load, rate, seconds);
        long elapsed = System.nanoTime() - t0;
        System.out.println("GEN_END " + generated + " " + elapsed + " " + load.plain());
        System.out.println("CHILD_CPU_NANOS " + processCpuNanos());
        System.out.flush();
    }

    /** CPU time of this whole JVM (all threads, agent included), or -1. */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
        }
        return -1;
    }

    private static long run(Target load, long rate, double seconds) {
        long durationNanos = (long) (seconds * 1e9);
        long start = System.nanoTime();
        long generated = 0;
        while (true) {
            long elapsed = System.nanoTime() - start;
            if (elapsed >= durationNanos) {
                return generated;
            }
            long due = (long) (rate * (elapsed / 1e9));
            long burst = Math.min(due - generated, rate);
            for (long i = 0; i < burst; i++) {
                load.work();
            }
            generated += Math.max(0, burst);
            LockSupport.parkNanos(100_000L);
        }
    }
}
