package dev.obs.agent.sync;

import dev.obs.exporter.sync.SyncRecorder;
import dev.obs.exporter.sync.SyncRule;
import dev.obs.exporter.sync.SyncRuntime;
import dev.obs.instrumentation.sync.SyncFamily;
import java.lang.instrument.Instrumentation;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
        SyncRecorder recorder = new SyncRecorder();
        SyncHandler handler = new SyncHandler(new SyncRuntime(sync.rules, recorder, warnings));
        SyncRecorder git = gitEnabled ? new SyncRecorder("git") : null;
        return new SyncFamily(sync.pointcuts(), recorder, handler, git, git == null ? null : new GitSyncHandler(git),
                new RulesNeverLoaded(inst, sync.rules));
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
