package dev.obs.bootstrap.fs;

import dev.obs.bootstrap.ThreadState;
import java.io.FileDescriptor;
import jdk.internal.vm.annotation.DontInline;

/**
 * The calls obs's java.base weaver puts at the entry and exits of the JDK's file methods (the methods and
 * what each passes are listed in {@code dev.obs.instrumentation.fs}). Every call catches every
 * {@link Throwable} (the exits of reads, writes and forces in the one body they call): the weaver puts no
 * exception handler around a hook call, so this is what keeps a failure of obs from reaching the program. A
 * hook whose method ended with an exception gets it as {@code thrown} and 0 for the method's result; an int
 * count is passed widened to long.
 *
 * <p>No hook inlines the recorder into the JDK's file methods: they are inlined into most of a program's I/O
 * code, and the recorder inlined with them would be compiled again into each of those callers (its
 * thread-local look-up, counting and cold paths: kilobytes of machine code per caller, and C2 time the
 * program's own methods wait for). The entry, the opens and the namespace operations are {@link DontInline};
 * the exits of reads, writes and forces are calls of one {@code @DontInline} exit, small enough that C1 and C2
 * inline them by their own size limits, so the counting is compiled once for all of them and a caller's code
 * grows by a call per hook (the exception handler is in the called body, not in each caller). HotSpot honours
 * the annotation on classes of the boot loader only, where the agent defines this class; loaded from the
 * class path (unit tests, JMH of the recorder alone) they are ordinary methods.
 */
public final class FsHooks {
    private FsHooks() {
    }

    /** Entry of every file operation: the thread's state, or null when the call is not recorded. */
    @DontInline
    public static ThreadState enter() {
        try {
            return FsRecorder.enter();
        } catch (Throwable t) {
            return null;
        }
    }

    /** {@code read()} of a stream or RandomAccessFile: one byte, or none at end of file. */
    public static void readByte(ThreadState s, FileDescriptor fd, String path, int value, Throwable thrown) {
        exit(s, FsRecorder.READ, FsRecorder.DIR_READ, fd, path, thrown == null && value >= 0 ? 1L : 0L, thrown);
    }

    /** A read, {@code transferTo} (the bytes read from this file): what it returned, negative at end of file. */
    public static void read(ThreadState s, FileDescriptor fd, String path, long bytes, Throwable thrown) {
        exit(s, FsRecorder.READ, FsRecorder.DIR_READ, fd, path, thrown == null ? bytes : 0L, thrown);
    }

    /** {@code write(int)}: one byte. */
    public static void writeByte(ThreadState s, FileDescriptor fd, String path, Throwable thrown) {
        exit(s, FsRecorder.WRITE, FsRecorder.DIR_WRITE, fd, path, thrown == null ? 1L : 0L, thrown);
    }

    /** {@code write(byte[])}: the whole array. */
    public static void writeArray(ThreadState s, FileDescriptor fd, String path, byte[] b, Throwable thrown) {
        exit(s, FsRecorder.WRITE, FsRecorder.DIR_WRITE, fd, path, thrown != null || b == null ? 0L : b.length, thrown);
    }

    /**
     * {@code write(byte[], off, len)} ({@code len}), or a channel write or {@code transferFrom} (the bytes
     * written to this file): what it returned.
     */
    public static void write(ThreadState s, FileDescriptor fd, String path, long bytes, Throwable thrown) {
        exit(s, FsRecorder.WRITE, FsRecorder.DIR_WRITE, fd, path, thrown == null ? bytes : 0L, thrown);
    }

    /** A channel's {@code force}, or {@code FileDescriptor.sync()} ({@code path} null). */
    public static void force(ThreadState s, FileDescriptor fd, String path, Throwable thrown) {
        exit(s, FsRecorder.FORCE, FsRecorder.DIR_READ, fd, path, 0L, thrown);
    }

    /** {@code FileDescriptor.sync()}: a force of that descriptor. */
    public static void sync(ThreadState s, FileDescriptor fd, Throwable thrown) {
        exit(s, FsRecorder.FORCE, FsRecorder.DIR_READ, fd, null, 0L, thrown);
    }

    /**
     * The one compiled body of every read, write and force exit (the hooks above are inlined into the JDK's
     * methods as a call of it): C1 and C2 compile the counting once for all of them.
     */
    @DontInline
    private static void exit(ThreadState s, int op, int dir, FileDescriptor fd, String path, long bytes,
                             Throwable thrown) {
        try {
            FsRecorder.exit(s, op, dir, fd, path, bytes, thrown);
        } catch (Throwable ignored) {
            // obs's failure, not the program's
        }
    }

    /** The private {@code open} of a stream or RandomAccessFile, which every path-taking constructor calls. */
    @DontInline
    public static void opened(ThreadState s, FileDescriptor fd, String path, Throwable thrown) {
        try {
            FsRecorder.opened(s, fd, path, thrown);
        } catch (Throwable ignored) {
            // obs's failure, not the program's
        }
    }

    /** {@code FileChannelImpl.open(FileDescriptor, String, ...)} returned: the descriptor's group. */
    @DontInline
    public static void channelOpened(FileDescriptor fd, String path) {
        try {
            FsRecorder.channelOpened(fd, path);
        } catch (Throwable ignored) {
            // obs's failure, not the program's
        }
    }

    /**
     * A namespace operation ({@link FsRecorder#OPEN}, {@link FsRecorder#DELETE}, ..., decided when the method is woven) on
     * {@code target} (a path, {@code File} or String).
     */
    @DontInline
    public static void namespace(ThreadState s, int op, Object target, Throwable thrown) {
        try {
            FsRecorder.namespace(s, op, target, thrown);
        } catch (Throwable ignored) {
            // obs's failure, not the program's
        }
    }
}
