package dev.obs.bootstrap.fs;

import dev.obs.bootstrap.StripedHistogram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fs recorder's counter stripes, called as the woven advice calls them: threads that share stripes
 * (more threads than stripes, all at once, so claims collide and calls go to the shared stripe) lose no
 * call and no byte, and threads that have ended are in the totals.
 */
class FsRecorderCountingTest {
    @TempDir
    static Path dir;
    static FileInputStream stream;
    static FileDescriptor fd;
    static String path;
    static int group;

    private static synchronized void configure() throws Exception {
        if (stream != null) {
            return;
        }
        assertTrue(FsRecorder.configure(new FsGroups(new String[] {"t"}, new String[] {dir + "/**"},
                System.getProperty("java.home"), null, "/"), 10_000_000_000L, 100), "java.io open to the test");
        File file = Files.write(dir.resolve("f.bin"), new byte[16]).toFile();
        stream = new FileInputStream(file);
        fd = stream.getFD();
        path = file.getPath();
        group = FsGroups.FIRST_USER;
        assertEquals("t", FsRecorder.groups().name(group));
    }

    @Test
    void concurrentThreadsSharingStripesLoseNoCallAndNoByte() throws Exception {
        configure();
        long[] before = totals();
        int threads = StripedHistogram.STRIPES * 4;
        int perThread = 100_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        java.util.Queue<Long> ownCounts = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    FsRecorder.read(FsRecorder.enter(), fd, path, 7, null);
                }
                ownCounts.add(FsRecorder.countedOnThisThreadInConfiguredGroups());
            });
            thread.start();
            started.add(thread);
        }
        start.countDown();
        for (Thread t : started) {
            t.join();
        }
        long[] after = totals();
        long calls = (long) threads * perThread;
        assertEquals(threads, ownCounts.size());
        // each thread's own figure is its calls alone, though it shares its stripe
        ownCounts.forEach(n -> assertEquals(perThread, n));
        assertEquals(calls, after[group * FsRecorder.OPS + FsRecorder.READ]
                - before[group * FsRecorder.OPS + FsRecorder.READ]);
        assertEquals(calls * 7, readBytes(after) - readBytes(before));
    }

    @Test
    void threadsThatHaveEndedAreInTheTotals() throws Exception {
        configure();
        long[] before = totals();
        int threads = 5_000;
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> FsRecorder.read(FsRecorder.enter(), fd, path, 3, null));
            thread.start();
            thread.join();
        }
        long[] after = totals();
        assertEquals(threads, after[group * FsRecorder.OPS + FsRecorder.READ]
                - before[group * FsRecorder.OPS + FsRecorder.READ]);
        assertEquals(threads * 3L, readBytes(after) - readBytes(before));
    }

    private static long[] totals() {
        long[] out = new long[FsRecorder.collectLength()];
        FsRecorder.collect(out);
        return out;
    }

    private static long readBytes(long[] totals) {
        int groups = FsRecorder.groups().size();
        return totals[groups * FsRecorder.OPS + group * 2 + FsRecorder.DIR_READ];
    }
}
