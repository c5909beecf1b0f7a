package dev.obs.instrumentation.fs;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.obs.bootstrap.FsRecorder;
import dev.obs.bootstrap.ThreadState;
import dev.obs.instrumentation.AdviceApplier;
import dev.obs.instrumentation.TypeInstrumentation;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The default file system's provider ({@code sun.nio.fs.UnixFileSystemProvider}, whose
 * {@code delete}/{@code deleteIfExists} are final in {@code AbstractFileSystemProvider}), which every
 * {@code java.nio.file.Files} operation on the default file system reaches: {@code newByteChannel} and
 * {@code newFileChannel} (open; also behind {@code Files.newInputStream}/{@code newOutputStream},
 * {@code readAllBytes}, {@code write}, {@code createFile}), {@code createDirectory} (mkdir; also each level
 * of {@code createDirectories}), {@code delete}/{@code deleteIfExists}, {@code copy}, {@code move},
 * {@code newDirectoryStream} (list; also each directory of {@code Files.list}/{@code walk}/{@code find}).
 * The operation's first path argument is the one recorded.
 */
public final class ProviderNamespaceInstrumentation implements TypeInstrumentation {
    @Override
    public List<String> typeNamePrefixes() {
        return List.of("sun.nio.fs.*FileSystemProvider");
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return namedOneOf("sun.nio.fs.UnixFileSystemProvider", "sun.nio.fs.AbstractFileSystemProvider");
    }

    @Override
    public void transform(AdviceApplier applier) {
        String self = ProviderNamespaceInstrumentation.class.getName();
        applier.applyAdvice(isPublic().and(namedOneOf("newByteChannel", "newFileChannel")), self + "$OpenAdvice");
        applier.applyAdvice(isPublic().and(named("createDirectory")), self + "$MkdirAdvice");
        applier.applyAdvice(isPublic().and(namedOneOf("delete", "deleteIfExists")), self + "$DeleteAdvice");
        applier.applyAdvice(isPublic().and(named("copy")), self + "$CopyAdvice");
        applier.applyAdvice(isPublic().and(named("move")), self + "$MoveAdvice");
        applier.applyAdvice(isPublic().and(named("newDirectoryStream")), self + "$ListAdvice");
    }

    @SuppressWarnings("unused")
    public static final class OpenAdvice {
        private OpenAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static ThreadState enter() {
            return FsRecorder.enter();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void exit(@Advice.Enter ThreadState s, @Advice.Argument(0) Object target,
                                @Advice.Thrown Throwable thrown) {
            FsRecorder.namespace(s, FsRecorder.OPEN, target, thrown);
        }
    }

    @SuppressWarnings("unused")
    public static final class MkdirAdvice {
        private MkdirAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static ThreadState enter() {
            return FsRecorder.enter();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void exit(@Advice.Enter ThreadState s, @Advice.Argument(0) Object target,
                                @Advice.Thrown Throwable thrown) {
            FsRecorder.namespace(s, FsRecorder.MKDIR, target, thrown);
        }
    }

    @SuppressWarnings("unused")
    public static final class DeleteAdvice {
        private DeleteAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static ThreadState enter() {
            return FsRecorder.enter();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void exit(@Advice.Enter ThreadState s, @Advice.Argument(0) Object target,
                                @Advice.Thrown Throwable thrown) {
            FsRecorder.namespace(s, FsRecorder.DELETE, target, thrown);
        }
    }

    @SuppressWarnings("unused")
    public static final class CopyAdvice {
        private CopyAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static ThreadState enter() {
            return FsRecorder.enter();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void exit(@Advice.Enter ThreadState s, @Advice.Argument(0) Object target,
                                @Advice.Thrown Throwable thrown) {
            FsRecorder.namespace(s, FsRecorder.COPY, target, thrown);
        }
    }

    @SuppressWarnings("unused")
    public static final class MoveAdvice {
        private MoveAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static ThreadState enter() {
            return FsRecorder.enter();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void exit(@Advice.Enter ThreadState s, @Advice.Argument(0) Object target,
                                @Advice.Thrown Throwable thrown) {
            FsRecorder.namespace(s, FsRecorder.MOVE, target, thrown);
        }
    }

    @SuppressWarnings("unused")
    public static final class ListAdvice {
        private ListAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static ThreadState enter() {
            return FsRecorder.enter();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void exit(@Advice.Enter ThreadState s, @Advice.Argument(0) Object target,
                                @Advice.Thrown Throwable thrown) {
            FsRecorder.namespace(s, FsRecorder.LIST, target, thrown);
        }
    }
}
