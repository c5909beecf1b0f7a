package dev.obs.instrumentation.fs;

import static dev.obs.instrumentation.JavaBaseHook.Value.ENTER;
import static dev.obs.instrumentation.JavaBaseHook.Value.RETURN;
import static dev.obs.instrumentation.JavaBaseHook.Value.THROWN;
import static dev.obs.instrumentation.JavaBaseHook.Value.argument;
import static dev.obs.instrumentation.fs.FsCalls.DESCRIPTOR;
import static dev.obs.instrumentation.fs.FsCalls.FD_FIELD;
import static dev.obs.instrumentation.fs.FsCalls.HOOKS;
import static dev.obs.instrumentation.fs.FsCalls.STATE;
import static dev.obs.instrumentation.fs.FsCalls.STRING;
import static dev.obs.instrumentation.fs.FsCalls.THROWABLE;
import static dev.obs.instrumentation.fs.FsCalls.onOpenFile;
import static dev.obs.instrumentation.fs.FsCalls.operation;

import dev.obs.instrumentation.JavaBaseHook;
import dev.obs.instrumentation.JavaBaseHook.Call;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code FileInputStream}, {@code FileOutputStream}, {@code RandomAccessFile} (JDK 17 and 25 alike): the
 * public {@code read}/{@code write} methods that call the native transfer directly (none calls another of
 * them, so nothing is counted twice; {@code readFully}, {@code readInt}, {@code readAllBytes} and the like go
 * through them), and the private {@code open} every path-taking constructor calls (so a missing file is
 * counted as an {@code open} error, which a hook in the constructor could not see). Each class has
 * {@code fd} ({@link java.io.FileDescriptor}) and {@code path} (String, null for a stream made from a
 * descriptor) fields.
 */
final class FileStreamInstrumentation {
    static final String FIS = "java.io.FileInputStream";
    static final String FOS = "java.io.FileOutputStream";
    static final String RAF = "java.io.RandomAccessFile";

    private FileStreamInstrumentation() {
    }

    static List<JavaBaseHook> hooks() {
        Call readByte = onOpenFile("readByte", "I", RETURN);
        Call read = onOpenFile("read", "J", RETURN);
        Call writeByte = onOpenFile("writeByte", "", null);
        Call writeArray = onOpenFile("writeArray", "[B", argument(0));
        Call writeRange = onOpenFile("write", "J", argument(2));
        // the name open was called with
        Call opened = new Call(HOOKS, "opened", "(" + STATE + DESCRIPTOR + STRING + THROWABLE + ")V",
                ENTER, FD_FIELD, argument(0), THROWN);
        List<JavaBaseHook> hooks = new ArrayList<>();
        for (String c : List.of(FIS, FOS, RAF)) {
            hooks.add(operation(c, List.of("read"), "()", null, Modifier.PUBLIC, readByte));
            hooks.add(operation(c, List.of("read"), "([B)", null, Modifier.PUBLIC, read));
            hooks.add(operation(c, List.of("read"), "([BII)", null, Modifier.PUBLIC, read));
            hooks.add(operation(c, List.of("write"), "(I)", null, Modifier.PUBLIC, writeByte));
            hooks.add(operation(c, List.of("write"), "([B)", null, Modifier.PUBLIC, writeArray));
            hooks.add(operation(c, List.of("write"), "([BII)", null, Modifier.PUBLIC, writeRange));
            hooks.add(operation(c, List.of("open"), null, null, Modifier.PRIVATE, opened));
        }
        return hooks;
    }
}
