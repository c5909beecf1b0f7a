package dev.obs.instrumentation.fs;

import dev.obs.exporter.MetricSource;
import dev.obs.exporter.fs.FsMetrics;
import dev.obs.instrumentation.InstrumentationFamily;
import dev.obs.instrumentation.JavaBaseHook;
import dev.obs.instrumentation.TypeInstrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * The file system: every read and write of {@code FileInputStream}, {@code FileOutputStream},
 * {@code RandomAccessFile} and the JDK's {@code FileChannel}, {@code force}/{@code sync}, and the namespace
 * operations of {@code java.io.File} and the default {@code FileSystemProvider}. All of it is in java.base,
 * woven before premain returns (so from the first line of {@code main}) and calling
 * {@link dev.obs.bootstrap.fs.FsHooks} only.
 */
public final class FsFamily implements InstrumentationFamily {
    @Override
    public String name() {
        return "fs";
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of();
    }

    /** The exact counters, when the family is installed (FsMetrics checks, the fs family may be switched off). */
    @Override
    public MetricSource.Factory metricSources(boolean woven) {
        return new FsMetrics.Factory();
    }

    @Override
    public List<JavaBaseHook> javaBaseHooks() {
        List<JavaBaseHook> hooks = new ArrayList<>();
        hooks.addAll(FileStreamInstrumentation.hooks());
        hooks.addAll(FileChannelInstrumentation.hooks());
        hooks.addAll(FileDescriptorSyncInstrumentation.hooks());
        hooks.addAll(FileNamespaceInstrumentation.hooks());
        hooks.addAll(ProviderNamespaceInstrumentation.hooks());
        return hooks;
    }
}
