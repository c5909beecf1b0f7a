package dev.obs.instrumentation.fs;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;

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
        // one advice: the operation is told by the method's name (FsRecorder.namespaceOperation)
        FsAdvice.apply(applier, isPublic().and(namedOneOf("newByteChannel", "newFileChannel", "createDirectory", "delete",
                "deleteIfExists", "copy", "move", "newDirectoryStream")), self + "$NamespaceAdvice");
    }

    /**
     * Every namespace operation: the operation is told by the method's name, a constant woven into the
     * call ({@link FsRecorder#namespaceOperation}).
     */
    @SuppressWarnings("unused")
    public static final class NamespaceAdvice {
        private NamespaceAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void exit(@Advice.Enter ThreadState s, @Advice.Origin("#m") String method,
                                @Advice.Argument(0) Object target, @Advice.Thrown Throwable thrown) {
            FsRecorder.namespace(s, FsRecorder.namespaceOperation(method), target, thrown);
        }
    }
}
