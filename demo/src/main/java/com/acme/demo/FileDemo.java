package com.acme.demo;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The file part of the demo: writes and reads back a few hundred small files, copies, renames and deletes
 * some, and makes one read slow on purpose (a named pipe whose writer waits 50 ms), which obs turns into an
 * {@code fs read} span. The directory is {@code demo.files.dir} (scripts/demo.sh points it and the path group
 * {@code demo} at the same place), else a new temp directory.
 */
final class FileDemo {
    private static final int FILES = 200;

    private FileDemo() {
    }

    static void run() throws Exception {
        String configured = System.getProperty("demo.files.dir");
        Path dir = configured == null ? Files.createTempDirectory("obs-demo-files") : Path.of(configured);
        Files.createDirectories(dir);
        byte[] block = new byte[4096];
        long read = 0;
        for (int i = 0; i < FILES; i++) {
            try (FileOutputStream out = new FileOutputStream(dir.resolve("f" + i).toFile())) {
                out.write(block);
            }
        }
        for (int i = 0; i < FILES; i++) {
            try (FileInputStream in = new FileInputStream(dir.resolve("f" + i).toFile())) {
                int n;
                while ((n = in.read(block)) >= 0) {
                    read += n;
                }
            }
        }
        Files.copy(dir.resolve("f0"), dir.resolve("copy"));
        Files.move(dir.resolve("copy"), dir.resolve("moved"));
        try (var list = Files.list(dir)) {
            list.count();
        }
        try {
            Files.readAllBytes(dir.resolve("missing")); // counted in fs.errors
        } catch (IOException expected) {
            // the application sees the JDK's exception unchanged
        }
        boolean slow = slowRead(dir.resolve("pipe"));
        for (int i = 0; i < FILES; i++) {
            Files.delete(dir.resolve("f" + i));
        }
        Files.delete(dir.resolve("moved"));
        Files.deleteIfExists(dir.resolve("pipe"));
        if (configured == null) {
            Files.delete(dir);
        }
        System.out.println("demo: wrote and read " + FILES + " files (" + read + " bytes)"
                + (slow ? ", one slow read from a pipe" : ""));
    }

    /** Reads a named pipe whose writer waits 50 ms: one read slower than obs.fs.slow.threshold (10 ms). */
    private static boolean slowRead(Path pipe) throws Exception {
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).start();
        } catch (IOException noMkfifo) {
            return false;
        }
        if (!mkfifo.waitFor(10, TimeUnit.SECONDS) || mkfifo.exitValue() != 0) {
            return false;
        }
        Thread writer = new Thread(() -> {
            try (FileOutputStream out = new FileOutputStream(pipe.toFile())) {
                Thread.sleep(50);
                out.write("slow bytes".getBytes());
            } catch (Exception e) {
                // the reader sees end of file
            }
        }, "demo-pipe-writer");
        writer.start();
        try (FileInputStream in = new FileInputStream(pipe.toFile())) {
            in.read(new byte[64]);
        }
        writer.join();
        return true;
    }
}
