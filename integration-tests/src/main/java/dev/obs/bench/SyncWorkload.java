package dev.obs.bench;

import java.util.Arrays;
import java.util.List;

/**
 * {@code SyncWorkload N [WARMUP] [SLICES]}: WARMUP untimed declared sync operations (default N / 5: the JIT
 * compiles the loop and obs's dispatch before anything is timed), then N timed ones in SLICES equal slices
 * (default 10), each framing and checksumming 256 bytes, on the main thread. Prints the total time, the
 * median slice's time times SLICES (a GC pause or a busy neighbour in one slice moves the median little),
 * and the operations run in all.
 */
public final class SyncWorkload {
    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : n / 5;
        int slices = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        SyncTarget target = new SyncTarget("device-b", 256);
        SyncTarget.Batch batch = new SyncTarget.Batch("notes", List.of("a", "b", "c"));
        long sum = 0;
        for (int i = 0; i < warmup; i++) {
            sum += target.send(batch);
        }
        long[] sliceNanos = new long[slices];
        int perSlice = n / slices;
        long total = 0;
        for (int s = 0; s < slices; s++) {
            int ops = s == slices - 1 ? n - perSlice * (slices - 1) : perSlice;
            long start = System.nanoTime();
            for (int i = 0; i < ops; i++) {
                sum += target.send(batch);
            }
            sliceNanos[s] = System.nanoTime() - start;
            total += sliceNanos[s];
        }
        long[] sorted = sliceNanos.clone();
        Arrays.sort(sorted);
        long median = sorted[slices / 2] * slices;
        System.out.println("sync-workload ops=" + (warmup + n) + " nanos=" + total + " median=" + median
                + " check=" + sum);
    }
}
