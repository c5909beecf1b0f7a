package dev.obs.instrumentation.fs;

import static dev.obs.instrumentation.JavaBaseHook.Value.ENTER;
import static dev.obs.instrumentation.JavaBaseHook.Value.THROWN;

import dev.obs.bootstrap.fs.FsRecorder;
import dev.obs.instrumentation.JavaBaseHook;
import dev.obs.instrumentation.JavaBaseHook.Call;
import dev.obs.instrumentation.JavaBaseHook.Value;
import java.util.List;

/**
 * The calls the file-system family weaves, all to {@code dev.obs.bootstrap.fs.FsHooks}: one entry for every
 * file operation ({@link #ENTER_CALL}), and exits that pass the thread's state from it, what they read, and
 * what the method threw.
 */
final class FsCalls {
    static final String HOOKS = "dev/obs/bootstrap/fs/FsHooks";
    static final String STATE = "Ldev/obs/bootstrap/ThreadState;";
    static final String DESCRIPTOR = "Ljava/io/FileDescriptor;";
    static final String STRING = "Ljava/lang/String;";
    static final String THROWABLE = "Ljava/lang/Throwable;";
    /** The {@code fd} and {@code path} fields of the streams, RandomAccessFile and FileChannelImpl. */
    static final Value FD_FIELD = Value.field("fd", DESCRIPTOR);
    static final Value PATH_FIELD = Value.field("path", STRING);
    /** {@code FsHooks.enter()}: the thread's state, or null when the call is not recorded. */
    static final Call ENTER_CALL = new Call(HOOKS, "enter", "()" + STATE);

    private FsCalls() {
    }

    /**
     * A file operation: {@link #ENTER_CALL} at the entry of the methods so named (with these parameters,
     * return types and modifiers: see {@link JavaBaseHook}), {@code exit} at every exit.
     */
    static JavaBaseHook operation(String className, List<String> names, String parameters, String returns,
                                  int modifiers, Call exit) {
        return new JavaBaseHook(className, names, parameters, returns, modifiers, ENTER_CALL, exit, true);
    }

    /**
     * {@code FsHooks.<hook>(state, this.fd, this.path, [value,] thrown)}: {@code valueDescriptor} empty
     * for none.
     */
    static Call onOpenFile(String hook, String valueDescriptor, Value value) {
        String descriptor = "(" + STATE + DESCRIPTOR + STRING + valueDescriptor + THROWABLE + ")V";
        return valueDescriptor.isEmpty()
                ? new Call(HOOKS, hook, descriptor, ENTER, FD_FIELD, PATH_FIELD, THROWN)
                : new Call(HOOKS, hook, descriptor, ENTER, FD_FIELD, PATH_FIELD, value, THROWN);
    }

    /**
     * {@code FsHooks.namespace(state, op, target, thrown)}, the operation decided now from the method's name
     * ({@link #namespaceOperation}).
     */
    static Call namespace(String method, Value target) {
        return new Call(HOOKS, "namespace", "(" + STATE + "ILjava/lang/Object;" + THROWABLE + ")V", ENTER,
                Value.constant(namespaceOperation(method)), target, THROWN);
    }

    /**
     * The operation of a namespace method of {@code java.io.File} or a {@code FileSystemProvider}, by its
     * name (the advice weaves the name in as a constant); -1 for a name that is none of them.
     */
    static int namespaceOperation(String method) {
        switch (method) {
            case "newByteChannel":
            case "newFileChannel":
                return FsRecorder.OPEN;
            case "createNewFile":
                return FsRecorder.CREATE;
            case "delete":
            case "deleteIfExists":
                return FsRecorder.DELETE;
            case "copy":
                return FsRecorder.COPY;
            case "renameTo":
            case "move":
                return FsRecorder.MOVE;
            case "mkdir":
            case "mkdirs":
            case "createDirectory":
                return FsRecorder.MKDIR;
            case "list":
            case "newDirectoryStream":
                return FsRecorder.LIST;
            default:
                return -1;
        }
    }
}
