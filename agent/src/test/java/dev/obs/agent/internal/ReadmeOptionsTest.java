package dev.obs.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's configuration table must list exactly the options of {@link Options}, with their defaults. */
class ReadmeOptionsTest {
    @Test
    void readmeTableMatchesOptions() throws IOException {
        Path readme = Path.of("..", "README.md");
        Map<String, String> documented = new LinkedHashMap<>();
        boolean inConfiguration = false;
        for (String line : Files.readAllLines(readme)) {
            if (line.startsWith("## ")) {
                inConfiguration = line.equals("## Configuration");
            }
            if (inConfiguration && (line.startsWith("| `obs.") || line.startsWith("| `otel."))) {
                String[] cells = line.split("\\|");
                String name = cells[1].trim().replace("`", "");
                String defaultValue = cells[3].trim().replace("`", "");
                documented.put(name, defaultValue);
            }
        }
        Map<String, String> defined = new LinkedHashMap<>();
        for (Option o : Options.ALL) {
            defined.put(o.property(), o.defaultValue());
            assertTrue(documented.containsKey(o.property()), "README lacks " + o.property());
        }
        assertEquals(defined, documented, "README configuration table differs from Options.ALL; "
                + "regenerate it with: java -cp agent/target/classes dev.obs.agent.internal.OptionsTable");
    }
}
