package com.acme;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * File I/O with known counts, for FsInstrumentationTest. Every operation under {@code --data} is listed in
 * {@link #main}'s comments; the test's expected figures are derived from them. The I/O starts at the
 * first line of {@code main}, with no warm-up (obs weaves the JDK's file classes before premain returns,
 * and the channel and directory classes as they load, during the counted part); {@code --mt} gets 8
 * threads of small reads; {@code --fifo} is read with a late writer.
 */
public final class FsApp {
    public static final int BLOCK = 4096;

    public static void main(String[] args) throws Exception {
        Path data = Path.of(AppArgs.stringArg(args, "data", null));
        int blocks = AppArgs.intArg(args, "blocks", 37);

        // N block writes (FileOutputStream) and N+1 reads (FileInputStream: N blocks, then end of file).
        File blockFile = data.resolve("blocks").toFile();
        byte[] block = new byte[BLOCK];
        try (FileOutputStream out = new FileOutputStream(blockFile)) {            // open 1
            for (int i = 0; i < blocks; i++) {
                block[0] = (byte) i;
                out.write(block);                                                  // write, 4096 B
            }
            out.getFD().sync();                                                    // force on JDK 25 (native on 17)
        }
        long read = 0;
        try (FileInputStream in = new FileInputStream(blockFile)) {                // open 2
            int n;
            while ((n = in.read(block)) > 0) {                                     // read x (N + 1)
                read += n;
            }
        }
        System.out.println("read back " + read + " bytes");

        // RandomAccessFile: 5 single-byte writes, 5 single-byte reads and one at end of file.
        File raf = data.resolve("raf").toFile();
        try (RandomAccessFile f = new RandomAccessFile(raf, "rw")) {               // open 3
            for (int i = 0; i < 5; i++) {
                f.write('a' + i);                                                  // write, 1 B
            }
            f.seek(0);
            StringBuilder s = new StringBuilder();
            int c;
            while ((c = f.read()) >= 0) {                                          // read x 6, 5 B
                s.append((char) c);
            }
            System.out.println("raf " + s);
        }

        // FileChannel: 3 writes of 1000 B, one positional read of 3000 B, force.
        try (FileChannel ch = FileChannel.open(data.resolve("channel"), StandardOpenOption.CREATE,  // open 4
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            for (int i = 0; i < 3; i++) {
                ch.write(ByteBuffer.allocate(1000));                               // write, 1000 B
            }
            ByteBuffer all = ByteBuffer.allocate(3000);
            System.out.println("channel read " + ch.read(all, 0));                 // read, 3000 B
            ch.force(true);                                                        // force
        }

        // Exceptions reach the program unchanged and are counted as errors.
        try {
            new FileInputStream(data.resolve("missing").toFile()).close();         // open 5, error
        } catch (FileNotFoundException e) {
            System.out.println("missing: " + e.getClass().getName() + ": " + e.getMessage());
        }
        FileInputStream closed = new FileInputStream(blockFile);                   // open 6
        closed.close();
        try {
            closed.read();                                                         // read, error
        } catch (IOException e) {
            System.out.println("closed: " + e.getClass().getName() + ": " + e.getMessage());
        }

        // Namespace operations.
        Files.createDirectory(data.resolve("sub"));                                // mkdir 1
        System.out.println("mkdir " + new File(data.toFile(), "sub2").mkdir());    // mkdir 2
        try (var list = Files.list(data.resolve("sub"))) {                         // list 1
            System.out.println("listed " + list.count());
        }
        System.out.println("listed " + data.resolve("sub2").toFile().list().length); // list 2
        Files.move(data.resolve("raf"), data.resolve("raf2"));                     // move 1
        System.out.println("renamed " + data.resolve("channel").toFile()
                .renameTo(data.resolve("channel2").toFile()));                     // move 2
        Files.copy(blockFile.toPath(), data.resolve("blocks2"));                   // copy 1
        System.out.println("created " + data.resolve("new").toFile().createNewFile()); // create 1
        Files.delete(data.resolve("blocks2"));                                     // delete 1
        System.out.println("deleted " + data.resolve("channel2").toFile().delete()); // delete 2
        Files.deleteIfExists(data.resolve("raf2"));                                // delete 3
        try {
            Files.delete(data.resolve("missing"));                                 // delete 4, error
        } catch (IOException e) {
            System.out.println("delete missing: " + e.getClass().getName());
        }

        String mt = AppArgs.stringArg(args, "mt", null);
        if (mt != null) {
            smallReads(Path.of(mt), 8, AppArgs.intArg(args, "mtReads", 2000));
        }
        String fifo = AppArgs.stringArg(args, "fifo", null);
        if (fifo != null) {
            new FsApp().slowRead(fifo, AppArgs.intArg(args, "fifoDelayMs", 600));
        }
    }

    /**
     * 8 threads, each reading its own file 16 bytes at a time: {@code reads} reads of data and one at the
     * end, plus one open.
     */
    static void smallReads(Path dir, int threads, int reads) throws Exception {
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Path file = dir.resolve("t" + t);
            Files.write(file, new byte[reads * 16]);
            Thread thread = new Thread(() -> {
                byte[] small = new byte[16];
                try (FileInputStream in = new FileInputStream(file.toFile())) {
                    while (in.read(small) > 0) {
                        // count only
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            thread.start();
            started.add(thread);
        }
        for (Thread t : started) {
            t.join();
        }
        System.out.println("small reads done");
    }

    /**
     * Reads a FIFO that a second thread writes to only after {@code delayMs}: one slow read. The FIFO is
     * opened read-write, which never blocks on Linux, and the writer's open finds that reader, so only the
     * read waits.
     */
    void slowRead(String fifo, int delayMs) throws Exception {
        try (RandomAccessFile in = new RandomAccessFile(fifo, "rw")) {
            Thread writer = new Thread(() -> {
                try {
                    Thread.sleep(delayMs);
                    try (FileOutputStream out = new FileOutputStream(fifo)) {
                        out.write(new byte[10]);
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            writer.start();
            byte[] buffer = new byte[64];
            System.out.println("fifo read " + in.read(buffer));
            writer.join();
        }
    }
}
