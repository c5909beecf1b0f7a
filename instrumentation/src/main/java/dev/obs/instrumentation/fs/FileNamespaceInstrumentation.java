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
 * {@code java.io.File}'s namespace operations: {@code createNewFile} (create), {@code delete},
 * {@code mkdir}/{@code mkdirs} (mkdir; {@code mkdirs} counts once, the {@code mkdir} calls it makes are
 * nested), {@code renameTo} (move), {@code list} (list; {@code listFiles} goes through it). They report
 * failure by returning false, which is not an error here; only exceptions are counted as errors.
 */
public final class FileNamespaceInstrumentation implements TypeInstrumentation {
    @Override
    public List<String> typeNamePrefixes() {
        return List.of("java.io.*File");
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("java.io.File");
    }

    @Override
    public void transform(AdviceApplier applier) {
        String self = FileNamespaceInstrumentation.class.getName();
        // one advice: the operation is told by the method's name (FsRecorder.namespaceOperation)
        FsAdvice.apply(applier, isPublic().and(namedOneOf("createNewFile", "delete", "mkdir", "mkdirs")
                .and(takesArguments(0)).or(namedOneOf("renameTo", "list"))), self + "$NamespaceAdvice");
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
                                @Advice.FieldValue("path") String target, @Advice.Thrown Throwable thrown) {
            FsRecorder.namespace(s, FsRecorder.namespaceOperation(method), target, thrown);
        }
    }
}
