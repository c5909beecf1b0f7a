package dev.obs.agent.cli;

import dev.obs.exporter.store.StoreException;
import dev.obs.exporter.store.StoreReader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --store DIR}: else the {@code obs.store.dir} property, else {@code OBS_STORE_DIR}, else ./obs-data. */
final class StoreOption {
    @Option(names = "--store", paramLabel = "DIR",
            description = "Store directory (default: obs.store.dir, OBS_STORE_DIR, else ./obs-data)")
    Path store;

    Path dir() {
        if (store != null) {
            return store;
        }
        String property = System.getProperty("obs.store.dir");
        if (property != null && !property.isBlank()) {
            return Path.of(property.trim());
        }
        String env = System.getenv("OBS_STORE_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env.trim());
        }
        return Path.of("obs-data");
    }

    StoreReader open() {
        try {
            return StoreReader.open(dir().toAbsolutePath().normalize());
        } catch (StoreException e) {
            throw CliError.failure(e.getMessage());
        }
    }
}
