package dev.obs.agent.internal;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The YAML file of rules ({@code obs.config.file}), read with SnakeYAML's safe constructor (plain maps,
 * lists and scalars: no class of the file's choosing is ever created). A missing or malformed file is one
 * warning and no rules.
 */
final class ConfigFile {
    private ConfigFile() {
    }

    /** The file's top-level mapping, or an empty one. */
    static Map<?, ?> read(String file, ConfigReader r) {
        if (file == null || file.isEmpty()) {
            return Map.of();
        }
        try (Reader in = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            // SnakeYAML's loading chain without its Yaml facade, which would also pull in the emitter and
            // representer (obs.jar's size: only what is reached is shaded in)
            SafeConstructor constructor = new SafeConstructor(options);
            constructor.setComposer(new Composer(new ParserImpl(new StreamReader(in), options), new Resolver(),
                    options));
            Object doc = constructor.getSingleData(Object.class);
            if (doc == null) {
                return Map.of();
            }
            if (doc instanceof Map<?, ?> map) {
                return map;
            }
            r.warnRaw("obs: warning: " + Options.CONFIG_FILE.property() + "='" + file
                    + "' is not a YAML mapping (sync: ...); using no rules");
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage().replace('\n', ' ');
            r.warnRaw("obs: warning: " + Options.CONFIG_FILE.property() + "='" + file + "' cannot be read ("
                    + why + "); using no rules");
        }
        return Map.of();
    }
}
