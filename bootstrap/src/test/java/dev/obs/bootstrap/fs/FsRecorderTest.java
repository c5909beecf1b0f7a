package dev.obs.bootstrap.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obs.bootstrap.Recorder;
import dev.obs.bootstrap.Stripes;
import dev.obs.bootstrap.ThreadState;
import java.io.IOException;

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
 * The fs recorder, called as the woven advice calls it. Its counter stripes: threads that share stripes
 * (more threads than stripes, all at once, so claims collide and calls go to the shared stripe) lose no
 * call and no byte, and threads that have ended are in the totals. What it hands to its {@link FsRecorder.Details}
 * (in the agent's loader in production; a recording one here): the first call of a thread as a sample, a
 * failure, a slow call. The configuration is fixed once per JVM, so every test shares it.
 */
class FsRecorderTest {
    /** Calls are slow from this long on: longer than any call of these tests but the one that sleeps. */
    static final long THRESHOLD_NANOS = 200_000_000L;
    static final RecordedDetails DETAILS = new RecordedDetails();
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
        FsRecorder.recordDetailsWith(DETAILS);
        assertTrue(FsRecorder.configure(new FsGroups(new String[] {"t"}, new String[] {dir + "/**"},
                System.getProperty("java.home"), null, "/"), THRESHOLD_NANOS), "java.io open to the test");
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
        int threads = Stripes.COUNT * 4;
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
                    FsHooks.read(FsRecorder.enter(), fd, path, 7, null);
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
            Thread thread = new Thread(() -> FsHooks.read(FsRecorder.enter(), fd, path, 3, null));
            thread.start();
            thread.join();
        }
        long[] after = totals();
        assertEquals(threads, after[group * FsRecorder.OPS + FsRecorder.READ]
                - before[group * FsRecorder.OPS + FsRecorder.READ]);
        assertEquals(threads * 3L, readBytes(after) - readBytes(before));
    }

    @Test
    void aThreadsCallsAreSampledAboutOneIn64WithTheirGroupAndOperation() throws Exception {
        configure();
        int calls = 6_400;
        List<String> events = DETAILS.on(() -> {
            for (int i = 0; i < calls; i++) {
                FsHooks.read(FsRecorder.enter(), fd, path, 5, null);
            }
        });
        // intervals of 1 to 128 calls, 64.5 on average
        assertTrue(events.size() >= calls / 128 && events.size() <= calls / 16, events.size() + " samples");
        for (String e : events) {
            assertTrue(e.startsWith("sampled " + group + " " + FsRecorder.READ + " "), e);
        }
    }

    @Test
    void aJvmCallIsCountedButNotSampled() throws Exception {
        configure();
        long[] before = totals();
        String jdkFile = System.getProperty("java.home") + "/lib/modules";
        List<String> events = DETAILS.on(() -> FsHooks.read(FsRecorder.enter(), null, jdkFile, 5, null));
        assertEquals(List.of(), events, "class loading and console output are counted, not timed");
        assertEquals(1, totals()[FsGroups.JVM * FsRecorder.OPS + FsRecorder.READ]
                - before[FsGroups.JVM * FsRecorder.OPS + FsRecorder.READ]);
    }

    @Test
    void aCallThatThrowsIsCountedAndHandedOnAsAFailureOfItsOperation() throws Exception {
        configure();
        long[] before = totals();
        IOException thrown = new IOException("disk full");
        List<String> events = DETAILS.on(() -> FsHooks.write(FsRecorder.enter(), fd, path, 0, thrown));
        assertEquals("failed " + FsRecorder.WRITE + " " + thrown, events.get(events.size() - 1), events.toString());
        assertEquals(1, totals()[group * FsRecorder.OPS + FsRecorder.WRITE]
                - before[group * FsRecorder.OPS + FsRecorder.WRITE]);
    }

    @Test
    void aCallAtLeastTheThresholdLongIsHandedOnAsSlowWithItsPathAndBytes() throws Exception {
        configure();
        List<String> events = DETAILS.on(() -> {
            ThreadState s = FsRecorder.enter();
            try {
                Thread.sleep(THRESHOLD_NANOS / 1_000_000 + 20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            FsHooks.read(s, fd, path, 9, null);
        });
        assertEquals("slow " + group + " " + FsRecorder.READ + " " + path + " 9", events.get(events.size() - 1),
                events.toString());
    }

    @Test
    void anOperationInsideAnotherIsNotRecordedAgain() throws Exception {
        configure();
        long[] before = totals();
        DETAILS.on(() -> {
            ThreadState outer = FsRecorder.enter();
            assertNotNull(outer);
            assertNull(FsRecorder.enter(), "a nested call (transferTo reading, mkdirs calling mkdir) is not counted");
            FsHooks.read(outer, fd, path, 1, null);
            assertNotNull(FsRecorder.enter(), "the outer call has ended");
        });
        assertEquals(1, totals()[group * FsRecorder.OPS + FsRecorder.READ]
                - before[group * FsRecorder.OPS + FsRecorder.READ]);
    }

    @Test
    void obsOwnThreadsAreNotRecorded() throws Exception {
        configure();
        List<String> events = DETAILS.on(() -> {
            Recorder.suppressCurrentThread();
            assertNull(FsRecorder.enter());
        });
        assertEquals(List.of(), events);
    }

    /** Records what the calls of one thread hand on, as text. */
    static final class RecordedDetails implements FsRecorder.Details {
        private volatile Thread watched;
        private final List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();

        /** What {@code calls}, run on a new thread, hand on; an assertion that failed there fails here. */
        synchronized List<String> on(Runnable calls) throws InterruptedException {
            events.clear();
            Throwable[] failure = new Throwable[1];
            Thread t = new Thread(() -> {
                try {
                    calls.run();
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            watched = t;
            t.start();
            t.join();
            watched = null;
            if (failure[0] != null) {
                throw new AssertionError("on the calling thread", failure[0]);
            }
            return new ArrayList<>(events);
        }

        private void add(String event) {
            if (Thread.currentThread() == watched) {
                events.add(event);
            }
        }

        @Override
        public void sampled(int g, int op, long nanos) {
            add("sampled " + g + " " + op + " " + nanos);
        }

        @Override
        public void failed(int op, Throwable thrown) {
            add("failed " + op + " " + thrown);
        }

        @Override
        public void slow(int g, int op, String p, long bytes, long startNanos, long endNanos, Throwable thrown) {
            add("slow " + g + " " + op + " " + p + " " + bytes);
        }
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
