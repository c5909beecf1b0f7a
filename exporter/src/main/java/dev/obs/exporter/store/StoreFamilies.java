package dev.obs.exporter.store;

import dev.obs.exporter.fs.FsStoreFamily;
import dev.obs.exporter.git.GitStoreFamily;
import dev.obs.exporter.methods.MethodsStoreFamily;
import dev.obs.exporter.process.ProcessStoreFamily;
import java.util.List;

/** The families that have rows in the operations table, in table order. */
public final class StoreFamilies {
    public static final List<StoreFamily> ALL = List.of(new GitStoreFamily(), new FsStoreFamily(),
            new ProcessStoreFamily(), new MethodsStoreFamily());
    /** Every {@code --family} value: the table's families plus {@code docker}, {@code sync} and {@code obs}. */
    public static final List<String> NAMES = List.of("git", "fs", "docker", "process", "methods", "sync", "obs");

    private StoreFamilies() {
    }
}
