package dev.obs.instrumentation.fs;

import static dev.obs.instrumentation.JavaBaseHook.Value.ENTER;
import static dev.obs.instrumentation.JavaBaseHook.Value.THIS;
import static dev.obs.instrumentation.JavaBaseHook.Value.THROWN;
import static dev.obs.instrumentation.fs.FsCalls.DESCRIPTOR;
import static dev.obs.instrumentation.fs.FsCalls.HOOKS;
import static dev.obs.instrumentation.fs.FsCalls.STATE;
import static dev.obs.instrumentation.fs.FsCalls.THROWABLE;
import static dev.obs.instrumentation.fs.FsCalls.operation;

import dev.obs.instrumentation.JavaBaseHook;
import dev.obs.instrumentation.JavaBaseHook.Call;
import java.util.List;

/**
 * {@code FileDescriptor.sync()}, counted as {@code force}. On JDK 25 it is a Java method calling
 * {@code sync0}; on JDK 17 it is native itself, which has no code to weave (a retransformation cannot add
 * the wrapper method a native prefix would need), so there it is not seen.
 */
final class FileDescriptorSyncInstrumentation {
    private FileDescriptorSyncInstrumentation() {
    }

    static List<JavaBaseHook> hooks() {
        Call sync = new Call(HOOKS, "sync", "(" + STATE + DESCRIPTOR + THROWABLE + ")V", ENTER, THIS, THROWN);
        return List.of(operation("java.io.FileDescriptor", List.of("sync"), "()", null, 0, sync));
    }
}
