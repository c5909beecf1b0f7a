package dev.obs.instrumentation.fs;

import static dev.obs.instrumentation.JavaBaseHook.Value.argument;
import static dev.obs.instrumentation.fs.FsCalls.namespace;
import static dev.obs.instrumentation.fs.FsCalls.operation;

import dev.obs.instrumentation.JavaBaseHook;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

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
final class ProviderNamespaceInstrumentation {
    private ProviderNamespaceInstrumentation() {
    }

    static List<JavaBaseHook> hooks() {
        List<JavaBaseHook> hooks = new ArrayList<>();
        for (String provider : List.of("sun.nio.fs.UnixFileSystemProvider", "sun.nio.fs.AbstractFileSystemProvider")) {
            for (String method : List.of("newByteChannel", "newFileChannel", "createDirectory", "delete",
                    "deleteIfExists", "copy", "move", "newDirectoryStream")) {
                hooks.add(operation(provider, List.of(method), null, null, Modifier.PUBLIC,
                        namespace(method, argument(0))));
            }
        }
        return hooks;
    }
}
