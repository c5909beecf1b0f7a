package com.acme;

/** Keeps calling Repo.sync every 20 ms for {@code --seconds=S}, to outlive a collector outage. */
public final class LoopApp {
    public static void main(String[] args) throws InterruptedException {
        int seconds = AppArgs.intArg(args, "seconds", 5);
        Repo repo = new Repo("origin");
        System.out.println("started");
        System.out.flush();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long checksum = 0;
        int round = 0;
        while (System.nanoTime() < end) {
            checksum += repo.sync(round++ % 1000);
            Thread.sleep(20);
        }
        System.out.println("done " + (checksum > 0));
    }
}
