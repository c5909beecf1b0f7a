package dev.obs.instrumentation.sync;

import dev.obs.exporter.MetricSource;
import dev.obs.exporter.sync.SyncMetricSource;
import dev.obs.exporter.sync.SyncRecorder;
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
    /** Null when the family is switched off. */
    private final SyncRecorder recorder;

    public SyncFamily(List<SyncPointcut> pointcuts, SyncRecorder recorder) {
        this.pointcuts = pointcuts;
        this.recorder = recorder;
    }

    /** The gauges and events of what the recorder saw. */
    @Override
    public MetricSource.Factory metricSources(boolean woven) {
        return recorder == null ? null : new GaugeFactory(recorder);
    }

    /** A class rather than a lambda: built at premain. */
    private static final class GaugeFactory implements MetricSource.Factory {
        private final SyncRecorder recorder;

        GaugeFactory(SyncRecorder recorder) {
            this.recorder = recorder;
        }

        @Override
        public List<MetricSource> create() {
            return List.of(new SyncMetricSource(recorder));
        }
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
