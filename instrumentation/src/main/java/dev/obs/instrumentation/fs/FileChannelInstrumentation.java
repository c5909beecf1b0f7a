package dev.obs.instrumentation.fs;

import static dev.obs.instrumentation.JavaBaseHook.Value.RETURN;
import static dev.obs.instrumentation.JavaBaseHook.Value.argument;
import static dev.obs.instrumentation.fs.FsCalls.DESCRIPTOR;
import static dev.obs.instrumentation.fs.FsCalls.HOOKS;
import static dev.obs.instrumentation.fs.FsCalls.STRING;
import static dev.obs.instrumentation.fs.FsCalls.onOpenFile;
import static dev.obs.instrumentation.fs.FsCalls.operation;

import dev.obs.instrumentation.JavaBaseHook;
import dev.obs.instrumentation.JavaBaseHook.Call;
import java.lang.reflect.Modifier;
import java.util.List;

/**
 * {@code sun.nio.ch.FileChannelImpl}, the JDK's {@code FileChannel} behind {@code FileChannel.open},
 * {@code Files.newByteChannel}/{@code newInputStream}/{@code newOutputStream}/{@code readAllBytes} and the
 * streams' {@code getChannel()}: {@code read}/{@code write} (plain, scattering/gathering, positional; the
 * {@code ByteBuffer[]} overloads without offsets delegate to the ones with), {@code transferTo} (bytes read
 * from this file) and {@code transferFrom} (bytes written to it), {@code force}. The static factory
 * {@code open(FileDescriptor, String, ...)} (its other parameters differ between JDK 17 and 25) records the
 * descriptor's group.
 */
final class FileChannelInstrumentation {
    static final String CHANNEL = "sun.nio.ch.FileChannelImpl";

    private FileChannelInstrumentation() {
    }

    static List<JavaBaseHook> hooks() {
        // read/write return int or long (scattering, gathering): the count is widened to long
        Call read = onOpenFile("read", "J", RETURN);
        Call write = onOpenFile("write", "J", RETURN);
        // Every FileChannelImpl is made by this factory (the constructor is private).
        Call opened = new Call(HOOKS, "channelOpened", "(" + DESCRIPTOR + STRING + ")V", argument(0), argument(1));
        return List.of(
                operation(CHANNEL, List.of("read", "transferTo"), null, "IJ", Modifier.PUBLIC, read),
                operation(CHANNEL, List.of("write", "transferFrom"), null, "IJ", Modifier.PUBLIC, write),
                operation(CHANNEL, List.of("force"), null, null, Modifier.PUBLIC, onOpenFile("force", "", null)),
                new JavaBaseHook(CHANNEL, List.of("open"), "(" + DESCRIPTOR + STRING, null, Modifier.STATIC, null,
                        opened, false));
    }
}
