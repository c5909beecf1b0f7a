package com.acme;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;

/**
 * File I/O as the very first statements of {@code main}, no warm-up, no sleep, exit at once: {@code BLOCKS}
 * writes of 4 KiB to {@code <dir>/blocks} through a {@code FileOutputStream} (one open), then
 * {@code BLOCKS} reads of 4 KiB through a {@code FileInputStream} (one open). Afterwards it calls
 * {@link Job#label}, so a pointcut on {@code com.acme.Job} gives the weave cache something to keep.
 */
public final class FirstLineFsApp {
    public static final int BLOCKS = 1000;
    public static final int BLOCK = 4096;

    private FirstLineFsApp() {
    }

    public static void main(String[] args) throws Exception {
        try (FileOutputStream out = new FileOutputStream(new File(args[0], "blocks"))) {
            byte[] block = new byte[BLOCK];
            for (int i = 0; i < BLOCKS; i++) {
                out.write(block);
            }
        }
        long read = 0;
        try (FileInputStream in = new FileInputStream(new File(args[0], "blocks"))) {
            byte[] block = new byte[BLOCK];
            for (int i = 0; i < BLOCKS; i++) {
                read += in.read(block);
            }
        }
        System.out.println(Job.label("read " + read));
    }
}
