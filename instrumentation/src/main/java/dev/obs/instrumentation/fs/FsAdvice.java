package dev.obs.instrumentation.fs;

import dev.obs.bootstrap.FsRecorder;
import dev.obs.bootstrap.ThreadState;
import dev.obs.instrumentation.AdviceApplier;
import java.io.FileDescriptor;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Advice the file-system instrumentations share: one entry for every file operation ({@link Enter}), and the
 * exits of reads, writes and forces on the JDK classes that keep their descriptor in a field {@code fd} and
 * their path in a field {@code path} ({@code FileInputStream}, {@code FileOutputStream},
 * {@code RandomAccessFile}, {@code FileChannelImpl}). The byte count binds as {@code long}, so methods that
 * return {@code int} and {@code long} share an exit (the return value is widened).
 */
public final class FsAdvice {
    // Advice classes are named, never loaded, by the agent (see TypeInstrumentation).
    static final String ENTER = FsAdvice.class.getName() + "$Enter";
    static final String READ = FsAdvice.class.getName() + "$Read";
    static final String WRITE = FsAdvice.class.getName() + "$Write";
    static final String FORCE = FsAdvice.class.getName() + "$Force";

    private FsAdvice() {
    }

    /**
     * Weaves {@link Enter} and the exit advice {@code exitAdviceClassName} (binary name) around
     * {@code methods}.
     */
    static void apply(AdviceApplier applier, ElementMatcher<? super MethodDescription> methods,
                      String exitAdviceClassName) {
        applier.applyAdvice(methods, ENTER, exitAdviceClassName);
    }

    /** Entry of every file operation: the thread's state, or null when the call is not recorded. */
    @SuppressWarnings("unused")
    public static final class Enter {
        private Enter() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static ThreadState enter() {
            return FsRecorder.enter();
        }
    }

    /** A read or {@code transferTo} that returns the bytes read. */
    @SuppressWarnings("unused")
    public static final class Read {
        private Read() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void exit(@Advice.Enter ThreadState s, @Advice.FieldValue("fd") FileDescriptor fd,
                                @Advice.FieldValue("path") String path, @Advice.Return long n,
                                @Advice.Thrown Throwable thrown) {
            FsRecorder.read(s, fd, path, n, thrown);
        }
    }

    /** A channel write or {@code transferFrom} that returns the bytes written. */
    @SuppressWarnings("unused")
    public static final class Write {
        private Write() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void exit(@Advice.Enter ThreadState s, @Advice.FieldValue("fd") FileDescriptor fd,
                                @Advice.FieldValue("path") String path, @Advice.Return long n,
                                @Advice.Thrown Throwable thrown) {
            FsRecorder.write(s, fd, path, n, thrown);
        }
    }

    /** {@code force}. */
    @SuppressWarnings("unused")
    public static final class Force {
        private Force() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void exit(@Advice.Enter ThreadState s, @Advice.FieldValue("fd") FileDescriptor fd,
                                @Advice.FieldValue("path") String path, @Advice.Thrown Throwable thrown) {
            FsRecorder.force(s, fd, path, thrown);
        }
    }
}
