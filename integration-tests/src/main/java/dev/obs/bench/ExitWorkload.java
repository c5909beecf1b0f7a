package dev.obs.bench;

/**
 * The short program of {@code scripts/bench.sh exit}: four calls of the traced {@link Target#work()} (four
 * spans), then it ends; prints {@code WORKLOAD_NANOS} (the calls) for {@link WorkloadChild}.
 */
public final class ExitWorkload {
    private ExitWorkload() {
    }

    public static void main(String[] args) {
        long t0 = System.nanoTime();
        Target target = new Target();
        long sum = 0;
        for (int i = 0; i < 4; i++) {
            sum += target.work();
        }
        System.out.println("CHECK " + (sum == 10 ? "ok" : "wrong sum " + sum));
        System.out.println("WORKLOAD_NANOS " + Math.max(1, System.nanoTime() - t0));
    }
}
