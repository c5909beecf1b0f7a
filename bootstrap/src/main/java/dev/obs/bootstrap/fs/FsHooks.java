package dev.obs.bootstrap.fs;

import dev.obs.bootstrap.ThreadState;
import java.io.FileDescriptor;
import jdk.internal.vm.annotation.DontInline;

/**
 * The calls obs's java.base weaver puts at the entry and exits of the JDK's file methods (the methods and
 * what each passes are listed in {@code dev.obs.instrumentation.fs}). Each hook catches every
 * {@link Throwable}: the weaver puts no exception handler around a hook call, so this is what keeps a
 * failure of obs from reaching the program. A hook whose method ended with an exception gets it as
 * {@code thrown} and 0 for the method's result; an int count is passed widened to long.
 *
 * <p>Every hook is {@link DontInline}: the JDK's file methods are inlined into most of a program's I/O code,
 * and a hook inlined with them would be compiled again into each of those callers (the recorder's counting,
 * its thread-local lookup and its cold paths: kilobytes of machine code per caller, and C2 time the program's
 * own methods wait for). Called, each hook is compiled once, and a caller's code grows by a call. HotSpot
 * honours the annotation on classes of the boot loader only, where the agent defines this class; loaded from
 * the class path (unit tests, JMH of the recorder alone) it is an ordinary method.
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
    @DontInline
    public static void readByte(ThreadState s, FileDescriptor fd, String path, int value, Throwable thrown) {
        try {
            FsRecorder.read(s, fd, path, thrown == null && value >= 0 ? 1L : 0L, thrown);
        } catch (Throwable ignored) {
            // obs's failure, not the program's
        }
    }

    /** A read, {@code transferTo} (the bytes read from this file): what it returned, negative at end of file. */
    @DontInline
    public static void read(ThreadState s, FileDescriptor fd, String path, long bytes, Throwable thrown) {
        try {
            FsRecorder.read(s, fd, path, thrown == null ? bytes : 0, thrown);
        } catch (Throwable ignored) {
            // obs's failure, not the program's
        }
    }

    /** {@code write(int)}: one byte. */
    @DontInline
    public static void writeByte(ThreadState s, FileDescriptor fd, String path, Throwable thrown) {
        try {
            FsRecorder.write(s, fd, path, thrown == null ? 1L : 0L, thrown);
        } catch (Throwable ignored) {
            // obs's failure, not the program's
        }
    }

    /** {@code write(byte[])}: the whole array. */
    @DontInline
    public static void writeArray(ThreadState s, FileDescriptor fd, String path, byte[] b, Throwable thrown) {
        try {
            FsRecorder.write(s, fd, path, thrown == null && b != null ? b.length : 0L, thrown);
        } catch (Throwable ignored) {
            // obs's failure, not the program's
        }
    }

    /**
     * {@code write(byte[], off, len)} ({@code len}), or a channel write or {@code transferFrom} (the bytes
     * written to this file): what it returned.
     */
    @DontInline
    public static void write(ThreadState s, FileDescriptor fd, String path, long bytes, Throwable thrown) {
        try {
            FsRecorder.write(s, fd, path, thrown == null ? bytes : 0, thrown);
        } catch (Throwable ignored) {
            // obs's failure, not the program's
        }
    }

    /** A channel's {@code force}, or {@code FileDescriptor.sync()} ({@code path} null). */
    @DontInline
    public static void force(ThreadState s, FileDescriptor fd, String path, Throwable thrown) {
        try {
            FsRecorder.force(s, fd, path, thrown);
        } catch (Throwable ignored) {
            // obs's failure, not the program's
        }
    }

    /** {@code FileDescriptor.sync()}: a force of that descriptor. */
    @DontInline
    public static void sync(ThreadState s, FileDescriptor fd, Throwable thrown) {
        try {
            FsRecorder.force(s, fd, null, thrown);
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
