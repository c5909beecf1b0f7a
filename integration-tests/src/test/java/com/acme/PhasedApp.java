package com.acme;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Calls Repo.sync {@code --first=N} times, prints "phase 1 done", then, when {@code --go=FILE} is given,
 * waits until that file exists, and calls Repo.sync {@code --second=M} times more. Each sync makes one
 * Repo.sync and one Repo.push span: the test windows over the phases know the counts exactly.
 */
public final class PhasedApp {
    public static void main(String[] args) throws Exception {
        int first = AppArgs.intArg(args, "first", 10);
        int second = AppArgs.intArg(args, "second", 0);
        String go = AppArgs.stringArg(args, "go", null);
        Repo repo = new Repo("origin");
        long checksum = 0;
        for (int i = 0; i < first; i++) {
            checksum += repo.sync(i);
        }
        System.out.println("phase 1 done");
        System.out.flush();
        if (go != null) {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!Files.exists(Path.of(go)) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        for (int i = 0; i < second; i++) {
            checksum += repo.sync(i);
        }
        System.out.println("done " + (checksum > 0));
    }
}
