package dev.obs.instrumentation.fs;

import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.obs.bootstrap.FsRecorder;
import dev.obs.bootstrap.ThreadState;
import dev.obs.instrumentation.AdviceApplier;
import dev.obs.instrumentation.TypeInstrumentation;
import java.io.FileDescriptor;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code FileInputStream}, {@code FileOutputStream}, {@code RandomAccessFile} (JDK 17 and 25 alike): the
 * public {@code read}/{@code write} methods that call the native transfer directly (none calls another of
 * them, so nothing is counted twice; {@code readFully}, {@code readInt}, {@code readAllBytes} and the like go
 * through them), and the private {@code open} every path-taking constructor calls (so a missing file is
 * counted as an {@code open} error, which constructor advice cannot see). Each class has {@code fd}
 * ({@link FileDescriptor}) and {@code path} (String, null for a stream made from a descriptor) fields.
 */
public final class FileStreamInstrumentation implements TypeInstrumentation {
    static final String FIS = "java.io.FileInputStream";
    static final String FOS = "java.io.FileOutputStream";
    static final String RAF = "java.io.RandomAccessFile";

    @Override
    public List<String> typeNamePrefixes() {
        // prefix*suffix: exactly these simple names in java.io, not every java.io.File* class
        return List.of("java.io.*FileInputStream", "java.io.*FileOutputStream", "java.io.*RandomAccessFile");
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return namedOneOf(FIS, FOS, RAF);
    }

    @Override
    public void transform(AdviceApplier applier) {
        String self = FileStreamInstrumentation.class.getName();
        FsAdvice.apply(applier, isPublic().and(named("read")).and(takesArguments(0)), self + "$ReadByteAdvice");
        FsAdvice.apply(applier, isPublic().and(named("read")).and(takesArguments(byte[].class)
                .or(takesArguments(byte[].class, int.class, int.class))), FsAdvice.READ);
        FsAdvice.apply(applier, isPublic().and(named("write")).and(takesArguments(int.class)),
                self + "$WriteByteAdvice");
        FsAdvice.apply(applier, isPublic().and(named("write")).and(takesArguments(byte[].class)),
                self + "$WriteArrayAdvice");
        FsAdvice.apply(applier, isPublic().and(named("write")).and(takesArguments(byte[].class, int.class, int.class)),
                self + "$WriteRangeAdvice");
        FsAdvice.apply(applier, isPrivate().and(named("open")).and(not(isNative())), self + "$OpenAdvice");
    }

    @SuppressWarnings("unused")
    public static final class ReadByteAdvice {
        private ReadByteAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void exit(@Advice.Enter ThreadState s, @Advice.FieldValue("fd") FileDescriptor fd,
                                @Advice.FieldValue("path") String path, @Advice.Return int value,
                                @Advice.Thrown Throwable thrown) {
            FsRecorder.read(s, fd, path, value >= 0 && thrown == null ? 1 : 0, thrown);
        }
    }

    @SuppressWarnings("unused")
    public static final class WriteByteAdvice {
        private WriteByteAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void exit(@Advice.Enter ThreadState s, @Advice.FieldValue("fd") FileDescriptor fd,
                                @Advice.FieldValue("path") String path, @Advice.Thrown Throwable thrown) {
            FsRecorder.write(s, fd, path, thrown == null ? 1 : 0, thrown);
        }
    }

    @SuppressWarnings("unused")
    public static final class WriteArrayAdvice {
        private WriteArrayAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void exit(@Advice.Enter ThreadState s, @Advice.FieldValue("fd") FileDescriptor fd,
                                @Advice.FieldValue("path") String path, @Advice.Argument(0) byte[] b,
                                @Advice.Thrown Throwable thrown) {
            FsRecorder.write(s, fd, path, thrown == null && b != null ? b.length : 0, thrown);
        }
    }

    @SuppressWarnings("unused")
    public static final class WriteRangeAdvice {
        private WriteRangeAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void exit(@Advice.Enter ThreadState s, @Advice.FieldValue("fd") FileDescriptor fd,
                                @Advice.FieldValue("path") String path, @Advice.Argument(2) int len,
                                @Advice.Thrown Throwable thrown) {
            FsRecorder.write(s, fd, path, thrown == null ? len : 0, thrown);
        }
    }

    @SuppressWarnings("unused")
    public static final class OpenAdvice {
        private OpenAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void exit(@Advice.Enter ThreadState s, @Advice.FieldValue("fd") FileDescriptor fd,
                                @Advice.Argument(0) String path, @Advice.Thrown Throwable thrown) {
            FsRecorder.opened(s, fd, path, thrown);
        }
    }
}
