package dev.obs.instrumentation.git;

import dev.obs.instrumentation.InstrumentationFamily;
import dev.obs.instrumentation.TypeInstrumentation;
import java.util.List;

/**
 * JGit porcelain: a span per {@code call()} of the commands in {@code org.eclipse.jgit.api} (subclasses of
 * {@code GitCommand}), named {@code git <command>}. Commands a command runs internally (a pull's fetch and
 * merge) nest under it through the thread's current span. Below them, {@code Transport.fetch}/{@code push}
 * become {@code git transport fetch|push} spans with the bytes and objects of the packs moved (see
 * {@link GitTransportInstrumentation}); JGit's HTTP requests carry the current span's {@code traceparent}
 * ({@link GitHttpPropagationInstrumentation}). JGit 6.10 and 7.x.
 */
public final class GitFamily implements InstrumentationFamily {
    private final boolean captureConflictPaths;

    public GitFamily(boolean captureConflictPaths) {
        this.captureConflictPaths = captureConflictPaths;
    }

    @Override
    public void installRecorder() {
        dev.obs.instrumentation.git.settings.GitSettings.configure(captureConflictPaths);
    }
    @Override
    public String name() {
        return "git";
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(GitCommandInstrumentation.generic(),
                GitCommandInstrumentation.cloneCommand(),
                GitCommandInstrumentation.of("FetchCommand", "$RemoteAdvice"),
                GitCommandInstrumentation.of("PushCommand", "$RemoteAdvice"),
                GitCommandInstrumentation.of("LsRemoteCommand", "$RemoteAdvice"),
                GitCommandInstrumentation.of("CommitCommand", "$CommitAdvice"),
                GitCommandInstrumentation.of("MergeCommand", "$MergeAdvice"),
                GitCommandInstrumentation.of("PullCommand", "$PullAdvice"),
                GitCommandInstrumentation.of("RebaseCommand", "$RebaseAdvice"),
                GitTransportInstrumentation.fetch(),
                GitTransportInstrumentation.push(),
                GitTransportInstrumentation.packParser(),
                GitTransportInstrumentation.packWriter(),
                new GitHttpPropagationInstrumentation());
    }
}
