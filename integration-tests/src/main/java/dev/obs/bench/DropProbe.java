package dev.obs.bench;


/**
 * Calls the instrumented {@link Target#work()} flat out for a few seconds and prints the call count; run
 * by {@code Bench agent} in a child JVM with the agent's summary on, to show what share of the spans the
 * agent's queue dropped at the rate the {@code instrumented} benchmark calls it (the drop path is cheaper
 * than the enqueue path, so a high share makes that score optimistic).
 */
public final class DropProbe {
    private DropProbe() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        Target t = new Target();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long calls = 0;
        long start = System.nanoTime();
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) {
                t.work();
            }
            calls += 1000;
        }
        long elapsed = System.nanoTime() - start;
        System.out.println("DROP_PROBE " + calls + " " + elapsed);
    }
}
