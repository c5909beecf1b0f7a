package dev.obs.instrumentation.fs;

import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.named;
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
 * {@code FileDescriptor.sync()}, counted as {@code force}. On JDK 25 it is a Java method calling
 * {@code sync0}; on JDK 17 it is native itself, which advice cannot wrap (a retransformation cannot add the
 * wrapper method a native prefix would need), so there it is not seen.
 */
public final class FileDescriptorSyncInstrumentation implements TypeInstrumentation {
    @Override
    public List<String> typeNamePrefixes() {
        return List.of("java.io.*FileDescriptor");
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("java.io.FileDescriptor");
    }

    @Override
    public void transform(AdviceApplier applier) {
        FsAdvice.apply(applier, named("sync").and(takesArguments(0)).and(not(isNative())),
                FileDescriptorSyncInstrumentation.class.getName() + "$SyncAdvice");
    }

    @SuppressWarnings("unused")
    public static final class SyncAdvice {
        private SyncAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void exit(@Advice.Enter ThreadState s, @Advice.This FileDescriptor fd,
                                @Advice.Thrown Throwable thrown) {
            FsRecorder.force(s, fd, null, thrown);
        }
    }
}
