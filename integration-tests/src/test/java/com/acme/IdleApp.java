package com.acme;

import java.nio.file.Files;
import java.nio.file.Path;

/** Writes and reads one file, prints {@code pid <pid>} and sleeps {@code --seconds=S} (default 60). */
public final class IdleApp {
    public static void main(String[] args) throws Exception {
        int seconds = AppArgs.intArg(args, "seconds", 60);
        Path f = Files.createTempFile("idle", ".txt");
        Files.writeString(f, "idle");
        Files.readString(f);
        Files.delete(f);
        System.out.println("pid " + ProcessHandle.current().pid());
        System.out.flush();
        Thread.sleep(seconds * 1000L);
    }
}
