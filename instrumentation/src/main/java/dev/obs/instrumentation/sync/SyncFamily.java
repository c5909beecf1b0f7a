package dev.obs.instrumentation.sync;

import dev.obs.instrumentation.InstrumentationFamily;
import dev.obs.instrumentation.TypeInstrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * The user's sync classes, as the {@code sync} rules of the configuration file declare them, and the
 * {@code dev.obs.api.Sync} API. Pure configuration: no rule and no API on the class path weaves nothing.
 */
public final class SyncFamily implements InstrumentationFamily {
    /** The API class a program may call instead of declaring rules. */
    public static final String API_CLASS = "dev.obs.api.Sync";

    private final List<SyncPointcut> pointcuts;

    public SyncFamily(List<SyncPointcut> pointcuts) {
        this.pointcuts = pointcuts;
    }

    @Override
    public String name() {
        return "sync";
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        java.util.Map<String, List<SyncPointcut>> byClass = new java.util.LinkedHashMap<>();
        for (SyncPointcut p : pointcuts) {
            byClass.computeIfAbsent(p.className(), c -> new ArrayList<>()).add(p);
        }
        List<TypeInstrumentation> out = new ArrayList<>();
        for (List<SyncPointcut> ofClass : byClass.values()) {
            out.add(new SyncRuleInstrumentation(ofClass));
        }
        out.add(new SyncApiInstrumentation());
        return out;
    }
}
