package dev.obs.instrumentation.fs;

import static dev.obs.instrumentation.fs.FsCalls.PATH_FIELD;
import static dev.obs.instrumentation.fs.FsCalls.namespace;
import static dev.obs.instrumentation.fs.FsCalls.operation;

import dev.obs.instrumentation.JavaBaseHook;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java.io.File}'s namespace operations: {@code createNewFile} (create), {@code delete},
 * {@code mkdir}/{@code mkdirs} (mkdir; {@code mkdirs} counts once, the {@code mkdir} calls it makes are
 * nested), {@code renameTo} (move), {@code list} (list; {@code listFiles} goes through it, and
 * {@code list(FilenameFilter)} through {@code list()}, nested). They report failure by returning false, which
 * is not an error here; only exceptions are counted as errors.
 */
final class FileNamespaceInstrumentation {
    private FileNamespaceInstrumentation() {
    }

    static List<JavaBaseHook> hooks() {
        List<JavaBaseHook> hooks = new ArrayList<>();
        for (String method : List.of("createNewFile", "delete", "mkdir", "mkdirs")) {
            hooks.add(operation("java.io.File", List.of(method), "()", null, Modifier.PUBLIC,
                    namespace(method, PATH_FIELD)));
        }
        for (String method : List.of("renameTo", "list")) {
            hooks.add(operation("java.io.File", List.of(method), null, null, Modifier.PUBLIC,
                    namespace(method, PATH_FIELD)));
        }
        return hooks;
    }
}
