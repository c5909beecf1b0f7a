package dev.obs.instrumentation.fs;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

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
 * {@code sun.nio.ch.FileChannelImpl}, the JDK's {@code FileChannel} behind {@code FileChannel.open},
 * {@code Files.newByteChannel}/{@code newInputStream}/{@code newOutputStream}/{@code readAllBytes} and the
 * streams' {@code getChannel()}: {@code read}/{@code write} (plain, scattering/gathering, positional; the
 * {@code ByteBuffer[]} overloads without offsets delegate to the ones with), {@code transferTo} (bytes read
 * from this file) and {@code transferFrom} (bytes written to it), {@code force}. The static factory {@code open(FileDescriptor, String, ...)} (its
 * other parameters differ between JDK 17 and 25) records the descriptor's group.
 */
public final class FileChannelInstrumentation implements TypeInstrumentation {
    @Override
    public List<String> typeNamePrefixes() {
        return List.of("sun.nio.ch.*FileChannelImpl");
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("sun.nio.ch.FileChannelImpl");
    }

    @Override
    public void transform(AdviceApplier applier) {
        String self = FileChannelInstrumentation.class.getName();
        applier.applyAdvice(isPublic().and(named("read")).and(returns(int.class)), self + "$ReadIntAdvice");
        applier.applyAdvice(isPublic().and(named("read")).and(returns(long.class)), self + "$ReadLongAdvice");
        applier.applyAdvice(isPublic().and(named("transferTo")), self + "$ReadLongAdvice");
        applier.applyAdvice(isPublic().and(named("write")).and(returns(int.class)), self + "$WriteIntAdvice");
        applier.applyAdvice(isPublic().and(named("write")).and(returns(long.class)), self + "$WriteLongAdvice");
        applier.applyAdvice(isPublic().and(named("transferFrom")), self + "$WriteLongAdvice");
        applier.applyAdvice(isPublic().and(named("force")), self + "$ForceAdvice");
        // Every FileChannelImpl is made by this factory (the constructor is private); advice on the factory
        // rather than the constructor, which the weaver's method-only advice does not reach.
        applier.applyAdvice(isStatic().and(named("open")).and(takesArgument(0, FileDescriptor.class))
                .and(takesArgument(1, String.class)), self + "$FactoryAdvice");
    }

    @SuppressWarnings("unused")
    public static final class ReadIntAdvice {
        private ReadIntAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static ThreadState enter() {
            return FsRecorder.enter();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void exit(@Advice.Enter ThreadState s, @Advice.FieldValue("fd") FileDescriptor fd,
                                @Advice.FieldValue("path") String path, @Advice.Return int n,
                                @Advice.Thrown Throwable thrown) {
            FsRecorder.read(s, fd, path, n, thrown);
        }
    }

    @SuppressWarnings("unused")
    public static final class ReadLongAdvice {
        private ReadLongAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static ThreadState enter() {
            return FsRecorder.enter();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void exit(@Advice.Enter ThreadState s, @Advice.FieldValue("fd") FileDescriptor fd,
                                @Advice.FieldValue("path") String path, @Advice.Return long n,
                                @Advice.Thrown Throwable thrown) {
            FsRecorder.read(s, fd, path, n, thrown);
        }
    }

    @SuppressWarnings("unused")
    public static final class WriteIntAdvice {
        private WriteIntAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static ThreadState enter() {
            return FsRecorder.enter();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void exit(@Advice.Enter ThreadState s, @Advice.FieldValue("fd") FileDescriptor fd,
                                @Advice.FieldValue("path") String path, @Advice.Return int n,
                                @Advice.Thrown Throwable thrown) {
            FsRecorder.write(s, fd, path, n, thrown);
        }
    }

    @SuppressWarnings("unused")
    public static final class WriteLongAdvice {
        private WriteLongAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static ThreadState enter() {
            return FsRecorder.enter();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void exit(@Advice.Enter ThreadState s, @Advice.FieldValue("fd") FileDescriptor fd,
                                @Advice.FieldValue("path") String path, @Advice.Return long n,
                                @Advice.Thrown Throwable thrown) {
            FsRecorder.write(s, fd, path, n, thrown);
        }
    }

    @SuppressWarnings("unused")
    public static final class ForceAdvice {
        private ForceAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static ThreadState enter() {
            return FsRecorder.enter();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void exit(@Advice.Enter ThreadState s, @Advice.FieldValue("fd") FileDescriptor fd,
                                @Advice.FieldValue("path") String path, @Advice.Thrown Throwable thrown) {
            FsRecorder.force(s, fd, path, thrown);
        }
    }

    @SuppressWarnings("unused")
    public static final class FactoryAdvice {
        private FactoryAdvice() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.Argument(0) FileDescriptor fd, @Advice.Argument(1) String path) {
            FsRecorder.channelOpened(fd, path);
        }
    }
}
