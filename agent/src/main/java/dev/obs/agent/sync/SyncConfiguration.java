package dev.obs.agent.sync;

import dev.obs.exporter.sync.SyncRule;
import dev.obs.instrumentation.sync.SyncPointcut;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@code sync} section of the configuration file, checked rule by rule: a bad rule is one warning and is
 * left out, the others work.
 */
public final class SyncConfiguration {
    public final List<SyncRule> rules;

    private SyncConfiguration(List<SyncRule> rules) {
        this.rules = rules;
    }

    /**
     * @param section  the value of the file's {@code sync} key, or null when there is none
     * @param file     the file's name, for warnings
     * @param warnings where warnings go (one line each)
     */
    public static SyncConfiguration of(Object section, String file, Consumer<String> warnings) {
        List<SyncRule> rules = new ArrayList<>();
        if (section == null) {
            return new SyncConfiguration(rules);
        }
        if (!(section instanceof List<?> list)) {
            warnings.accept("obs: warning: " + file + ": 'sync' is not a list of rules; using none");
            return new SyncConfiguration(rules);
        }
        for (int i = 0; i < list.size(); i++) {
            try {
                rules.add(SyncRule.of(i, list.get(i)));
            } catch (IllegalArgumentException e) {
                warnings.accept("obs: warning: " + file + ": " + e.getMessage() + "; this rule is left out");
            }
        }
        return new SyncConfiguration(List.copyOf(rules));
    }

    /** Where the rules weave. */
    public List<SyncPointcut> pointcuts() {
        List<SyncPointcut> out = new ArrayList<>();
        for (SyncRule r : rules) {
            out.add(new SyncPointcut(r.className, r.methodName, r.signature(), r::parametersMatch, r.usesResult()));
        }
        return out;
    }
}
