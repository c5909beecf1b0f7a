package dev.obs.instrumentation.fs;

import dev.obs.instrumentation.InstrumentationFamily;
import dev.obs.instrumentation.TypeInstrumentation;
import java.util.List;

/**
 * The file system: every read and write of {@code FileInputStream}, {@code FileOutputStream},
 * {@code RandomAccessFile} and the JDK's {@code FileChannel}, {@code force}/{@code sync}, and the namespace
 * operations of {@code java.io.File} and the default {@code FileSystemProvider}. All advice lives in java.base
 * and calls {@link dev.obs.bootstrap.FsRecorder} only.
 */
public final class FsFamily implements InstrumentationFamily {
    @Override
    public String name() {
        return "fs";
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new FileStreamInstrumentation(), new FileChannelInstrumentation(),
                new FileDescriptorSyncInstrumentation(), new FileNamespaceInstrumentation(),
                new ProviderNamespaceInstrumentation());
    }
}
