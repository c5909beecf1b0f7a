package dev.obs.instrumentation.sync;

import dev.obs.exporter.MetricSource;
import dev.obs.exporter.sync.SyncMetricSource;
import dev.obs.exporter.sync.SyncRecorder;
import dev.obs.instrumentation.InstrumentationFamily;
import dev.obs.instrumentation.TypeInstrumentation;
import dev.obs.instrumentation.git.sync.GitSync;
import dev.obs.instrumentation.sync.dispatch.SyncDispatch;
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
    /** The gauges and events of what the recorders saw; null when the family is switched off. */
    private final MetricSource.Factory metrics;
    /** What the woven rules and API calls dispatch to. */
    private final SyncDispatch.Handler handler;
    /** What Git's operations are reported to; null when the sync or the git family is off. */
    private final GitSync.Listener gitListener;
    /** At exit: one warning per rule whose class the program never loaded. */
    private final Runnable checkRulesAtExit;

    public SyncFamily(List<SyncPointcut> pointcuts, SyncRecorder recorder, SyncDispatch.Handler handler,
                      SyncRecorder gitRecorder, GitSync.Listener gitListener, Runnable checkRulesAtExit) {
        this(pointcuts, recorder == null && gitRecorder == null ? null : new GaugeFactory(recorder, gitRecorder),
                handler, gitListener, checkRulesAtExit);
    }

    /**
     * @param metrics     the recorders' gauges and events, or null when the family is off
     * @param gitListener what Git's operations are reported to, or null when the sync or the git family is off
     */
    public SyncFamily(List<SyncPointcut> pointcuts, MetricSource.Factory metrics, SyncDispatch.Handler handler,
                      GitSync.Listener gitListener, Runnable checkRulesAtExit) {
        this.pointcuts = pointcuts;
        this.metrics = metrics;
        this.handler = handler;
        this.gitListener = gitListener;
        this.checkRulesAtExit = checkRulesAtExit;
    }

    @Override
    public void installRecorder() {
        SyncDispatch.install(handler);
        if (gitListener != null) {
            GitSync.install(gitListener);
        }
    }

    @Override
    public void beforeLastExport() {
        checkRulesAtExit.run();
    }

    /** The gauges and events of what the recorder saw. */
    @Override
    public MetricSource.Factory metricSources(boolean woven) {
        return metrics;
    }

    /** A class rather than a lambda: built at premain. */
    private static final class GaugeFactory implements MetricSource.Factory {
        private final SyncRecorder recorder;
        private final SyncRecorder gitRecorder;

        GaugeFactory(SyncRecorder recorder, SyncRecorder gitRecorder) {
            this.recorder = recorder;
            this.gitRecorder = gitRecorder;
        }

        @Override
        public List<MetricSource> create() {
            return List.of(new SyncMetricSource(recorder, gitRecorder == null ? List.of() : List.of(gitRecorder)));
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
