package dev.obs.bench;

import java.util.List;

/** {@code SyncWorkload N}: N declared sync operations (each framing and checksumming 256 bytes) on the main thread; prints the time they took. */
public final class SyncWorkload {
    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        SyncTarget target = new SyncTarget("device-b", 256);
        SyncTarget.Batch batch = new SyncTarget.Batch("notes", List.of("a", "b", "c"));
        long sum = 0;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            sum += target.send(batch);
        }
        long nanos = System.nanoTime() - start;
        System.out.println("sync-workload ops=" + n + " nanos=" + nanos + " check=" + sum);
    }
}
