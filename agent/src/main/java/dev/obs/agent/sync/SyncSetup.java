package dev.obs.agent.sync;

import dev.obs.exporter.LogSource;
import dev.obs.exporter.MetricSource;
import dev.obs.exporter.sync.SyncMetricSource;
import dev.obs.exporter.sync.SyncRecorder;
import dev.obs.exporter.sync.SyncRule;
import dev.obs.exporter.sync.SyncRuntime;
import dev.obs.instrumentation.git.sync.GitSync;
import dev.obs.instrumentation.sync.SyncFamily;
import dev.obs.instrumentation.sync.dispatch.SyncDispatch;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import java.lang.instrument.Instrumentation;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The sync family as the configuration declares it: the program's own service (the file's rules and the API)
 * and, when the git family is on too, Git's fetch, pull and push as the service {@code git}.
 */
public final class SyncSetup {
    private SyncSetup() {
    }

    /**
     * @param enabled    {@code obs.instrumentation.sync.enabled}
     * @param gitEnabled {@code obs.instrumentation.git.enabled}
     * @param warnings   where a rule's problems are said (one line each)
     */
    public static SyncFamily family(SyncConfiguration sync, boolean enabled, boolean gitEnabled,
                                    Consumer<String> warnings, Instrumentation inst) {
        if (!enabled) {
            return new SyncFamily(sync.pointcuts(), null, null, null, null, new RulesNeverLoaded(inst, List.of()));
        }
        if (sync.rules.isEmpty()) {
            // only the API or Git can report: their recorders wait for the first report (or the exporter)
            WithoutRules parts = new WithoutRules(gitEnabled, warnings);
            return new SyncFamily(List.of(), parts, parts, gitEnabled ? parts : null, new RulesNeverLoaded(inst,
                    List.of()));
        }
        Parts parts = new Parts(sync.rules, gitEnabled, warnings, System.nanoTime(), System.currentTimeMillis());
        return new SyncFamily(sync.pointcuts(), parts.recorder, parts.handler, parts.git, parts.gitHandler,
                new RulesNeverLoaded(inst, sync.rules));
    }

    /** The recorders (one per service) and what reports to them, as of {@code startNanos}. Immutable. */
    static final class Parts {
        final SyncRecorder recorder;
        final SyncHandler handler;
        /** Null when the git family is off. */
        final SyncRecorder git;
        final GitSyncHandler gitHandler;

        Parts(List<SyncRule> rules, boolean gitEnabled, Consumer<String> warnings, long startNanos,
              long startWallMillis) {
            recorder = new SyncRecorder(null, startNanos, startWallMillis);
            handler = new SyncHandler(new SyncRuntime(rules, recorder, warnings));
            git = gitEnabled ? new SyncRecorder("git", startNanos, startWallMillis) : null;
            gitHandler = git == null ? null : new GitSyncHandler(git);
        }
    }

    /**
     * The sync family with no rule configured: the recorders (one per service), the runtime and the handlers
     * are created when the API or Git first reports, or when the exporter first asks for the gauges, by
     * whichever comes first, and never in a program that does neither. Two threads that come first together
     * both build them and keep the one published first (the other is dropped before it recorded anything):
     * no thread ever waits. The recorders report from when obs started, as if created then.
     */
    static final class WithoutRules implements SyncDispatch.Handler, GitSync.Listener, MetricSource.Factory {
        private final boolean gitEnabled;
        private final Consumer<String> warnings;
        private final long startNanos = System.nanoTime();
        private final long startWallMillis = System.currentTimeMillis();
        /** Published whole (Parts is immutable). */
        private final AtomicReference<Parts> parts = new AtomicReference<>();

        WithoutRules(boolean gitEnabled, Consumer<String> warnings) {
            this.gitEnabled = gitEnabled;
            this.warnings = warnings;
        }

        Parts parts() {
            Parts p = parts.get();
            if (p == null) {
                Parts mine = new Parts(List.of(), gitEnabled, warnings, startNanos, startWallMillis);
                p = parts.compareAndExchange(null, mine);
                if (p == null) {
                    p = mine;
                }
            }
            return p;
        }

        @Override
        public void onExit(Class<?> type, String method, Object self, Object[] args, Object returned,
                           Throwable thrown, long startNanos) {
            parts().handler.onExit(type, method, self, args, returned, thrown, startNanos);
        }

        @Override
        public void operation(String operation, String peer, long refsUpdated, long bytesReceived, long bytesSent,
                              String outcome, Throwable thrown, long startNanos, long endNanos) {
            parts().gitHandler.operation(operation, peer, refsUpdated, bytesReceived, bytesSent, outcome, thrown,
                    startNanos, endNanos);
        }

        @Override
        public void conflicts(String operation, String peer, long count, String[] paths, String ours,
                              String theirs) {
            parts().gitHandler.conflicts(operation, peer, count, paths, ours, theirs);
        }

        @Override
        public List<MetricSource> create() {
            return List.of(new OnFirstUse());
        }

        /**
         * The sync source, made from {@link #parts} when a collection first asks for the gauges (as when it was
         * made at the exporter's start: the recorders report from when obs started). Until something reported
         * there are no parts and no events to take (only a report makes them), so an exit with
         * {@code obs.exporter=none}, which takes the events but collects nothing, never builds them.
         */
        private final class OnFirstUse implements MetricSource, LogSource {
            @Override
            public void start() {
            }

            @Override
            public List<MetricData> collect(Resource resource, InstrumentationScopeInfo scope, long start,
                                            long now) {
                return source(parts()).collect(resource, scope, start, now);
            }

            @Override
            public List<LogRecordData> takeLogs(Resource resource, InstrumentationScopeInfo scope) {
                Parts p = parts.get();
                return p == null ? List.of() : source(p).takeLogs(resource, scope);
            }

            private SyncMetricSource source(Parts p) {
                // stateless beyond the recorders, which the parts hold: one per call costs an object
                return new SyncMetricSource(p.recorder, p.git == null ? List.of() : List.of(p.git));
            }
        }
    }

    /** A rule whose class the program never loaded: one warning at exit, naming it (a typo is the usual cause). */
    static final class RulesNeverLoaded implements Runnable {
        private final Instrumentation inst;
        private final List<SyncRule> rules;

        RulesNeverLoaded(Instrumentation inst, List<SyncRule> rules) {
            this.inst = inst;
            this.rules = rules;
        }

        @Override
        public void run() {
            if (rules.isEmpty()) {
                return;
            }
            Set<String> loaded = new HashSet<>();
            for (Class<?> c : inst.getAllLoadedClasses()) {
                loaded.add(c.getName());
            }
            for (SyncRule r : rules) {
                if (!loaded.contains(r.className)) {
                    System.err.println("obs: warning: sync rule '" + r.name + "': class " + r.className
                            + " was never loaded; the rule recorded nothing");
                }
            }
        }
    }
}
