package dev.obs.instrumentation.git;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperClass;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.exporter.git.GitOperation;
import dev.obs.instrumentation.AdviceApplier;
import dev.obs.instrumentation.TypeInstrumentation;
import java.io.File;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.GitCommand;
import org.eclipse.jgit.api.MergeCommand;
import org.eclipse.jgit.api.MergeResult;
import org.eclipse.jgit.api.PullResult;
import org.eclipse.jgit.api.RebaseResult;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * {@code call()} of the JGit porcelain commands. One instance matches a command with its own advice (the
 * commands that have a remote URL or a result worth recording); the generic one matches every other
 * subclass of {@code GitCommand} in {@code org.eclipse.jgit.api}, so each class gets exactly one advice.
 *
 * <p>The advice is dispatched ({@code inline = false}): it runs in a helper loader next to JGit and may use
 * JGit's API (the advice's signatures use {@code Object} only, so describing it needs no JGit class) and
 * hands plain values to {@link GitRecorder}. Values are read before the span starts or inside a catch-all after it, so a
 * failing getter can cost an attribute or the span, never the end of a started span.
 */
public final class GitCommandInstrumentation implements TypeInstrumentation {
    static final String PACKAGE = "org.eclipse.jgit.api.";
    static final String GIT_COMMAND = PACKAGE + "GitCommand";
    /** Commands with their own advice (simple names), kept out of the generic matcher. */
    static final String[] SPECIFIC = {"CloneCommand", "FetchCommand", "PushCommand", "LsRemoteCommand",
        "CommitCommand", "MergeCommand", "PullCommand", "RebaseCommand"};

    /** Null: the generic instrumentation. Otherwise the simple name of the one command it matches. */
    private final String command;
    private final String enterAdvice;
    private final String exitAdvice;

    /**
     * Advice names are nested classes of this one ({@code $CommitAdvice}). Matchers are built only when the
     * engine weaves, never at premain (see {@link TypeInstrumentation}).
     */
    private GitCommandInstrumentation(String command, String enterAdvice, String exitAdvice) {
        this.command = command;
        this.enterAdvice = enterAdvice;
        this.exitAdvice = exitAdvice;
    }

    /** Every command class in {@code org.eclipse.jgit.api} without advice of its own. */
    static GitCommandInstrumentation generic() {
        return new GitCommandInstrumentation(null, "$CommandEnter", "$CallAdvice");
    }

    /**
     * The command {@code org.eclipse.jgit.api.<simpleName>}: the shared {@link CommandEnter}, then the exit
     * advice {@code nestedExitAdvice} that reads this command's result.
     */
    static GitCommandInstrumentation of(String simpleName, String nestedExitAdvice) {
        return new GitCommandInstrumentation(simpleName, "$CommandEnter", nestedExitAdvice);
    }

    /** Clone, whose span starts with the URI cloned rather than a repository's work tree. */
    static GitCommandInstrumentation cloneCommand() {
        return new GitCommandInstrumentation("CloneCommand", "$CloneAdvice", "$CloneAdvice");
    }

    @Override
    public List<String> typeNamePrefixes() {
        // Every porcelain command is named ...Command: results, errors and helpers of the package are not
        // even parsed.
        return List.of(PACKAGE + "*Command");
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return new Matching().typeMatcher();
    }

    @Override
    public void transform(AdviceApplier applier) {
        new Matching().transform(applier);
    }

    /** Entry of every command but clone: the span, named after the command class, with the work tree. */
    @SuppressWarnings("unused")
    public static final class CommandEnter {
        private CommandEnter() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class, inline = false)
        public static ObsSpan enter(@Advice.Origin("#t") String type, @Advice.This Object command) {
            Repository r = ((GitCommand<?>) command).getRepository();
            File dir = r == null ? null : r.isBare() ? r.getDirectory() : r.getWorkTree();
            return GitRecorder.start(type, dir, null);
        }
    }

    /** Any command: name and work tree. */
    @SuppressWarnings("unused")
    public static final class CallAdvice {
        private CallAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, inline = false)
        public static void exit(@Advice.Enter ObsSpan span, @Advice.Thrown Throwable thrown) {
            GitRecorder.end(span, thrown);
        }
    }

    /**
     * Fetch, push, ls-remote: the remote's URL (a configured remote's name is looked up), read at the end:
     * a push without an explicit remote determines it in {@code call()}.
     */
    @SuppressWarnings("unused")
    public static final class RemoteAdvice {
        private RemoteAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, inline = false)
        public static void exit(@Advice.Enter ObsSpan span, @Advice.This Object command,
                                @Advice.FieldValue("remote") String remote, @Advice.Thrown Throwable thrown) {
            try {
                Repository r = span == null || remote == null ? null : ((GitCommand<?>) command).getRepository();
                String url = r == null ? null : r.getConfig().getString("remote", remote, "url");
                GitRecorder.url(span, url != null ? url : remote);
            } catch (Throwable ignored) {
                // the attribute only
            }
            GitRecorder.end(span, thrown);
        }
    }

    /** Clone: the URI it clones, and the work tree of the repository it created. */
    @SuppressWarnings("unused")
    public static final class CloneAdvice {
        private CloneAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class, inline = false)
        public static ObsSpan enter(@Advice.Origin("#t") String type, @Advice.FieldValue("uri") String uri) {
            return GitRecorder.start(type, null, uri);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, inline = false)
        public static void exit(@Advice.Enter ObsSpan span, @Advice.Return Object result,
                                @Advice.Thrown Throwable thrown) {
            try {
                Repository r = span == null || result == null ? null : ((Git) result).getRepository();
                GitRecorder.workTree(span, r == null ? null : r.isBare() ? r.getDirectory() : r.getWorkTree());
            } catch (Throwable ignored) {
                // the attribute only
            }
            GitRecorder.end(span, thrown);
        }
    }

    /** Commit: the new commit's id. */
    @SuppressWarnings("unused")
    public static final class CommitAdvice {
        private CommitAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, inline = false)
        public static void exit(@Advice.Enter ObsSpan span, @Advice.Return Object result,
                                @Advice.Thrown Throwable thrown) {
            try {
                GitRecorder.revision(span, result == null ? null : ((RevCommit) result).getId().name());
            } catch (Throwable ignored) {
                // the attribute only
            }
            GitRecorder.end(span, thrown);
        }
    }

    /** Merge: status, success, conflicting paths. */
    @SuppressWarnings("unused")
    public static final class MergeAdvice {
        private MergeAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, inline = false)
        public static void exit(@Advice.Enter ObsSpan span, @Advice.This Object command,
                                @Advice.Return Object result, @Advice.Thrown Throwable thrown) {
            GitOperation measured = null;
            try {
                MergeResult m = span == null ? null : (MergeResult) result;
                if (m != null) {
                    measured = GitRecorder.outcome(span, m.getMergeStatus().name(), m.getMergeStatus().isSuccessful(),
                            m.getConflicts() == null ? 0 : m.getConflicts().size());
                    if (m.getConflicts() != null && !m.getConflicts().isEmpty()) {
                        GitRecorder.conflictPaths(span, m.getConflicts().keySet(), GitBranches.current(command),
                                GitBranches.merged((MergeCommand) command, m));
                    }
                }
            } catch (Throwable ignored) {
                // the attributes only
            }
            GitRecorder.end(span, thrown, measured);
        }
    }

    /** Pull: success, and the status and conflicts of its merge or rebase. */
    @SuppressWarnings("unused")
    public static final class PullAdvice {
        private PullAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, inline = false)
        public static void exit(@Advice.Enter ObsSpan span, @Advice.This Object command,
                                @Advice.Return Object result, @Advice.Thrown Throwable thrown) {
            GitOperation measured = null;
            try {
                PullResult p = span == null ? null : (PullResult) result;
                if (p != null) {
                    MergeResult m = p.getMergeResult();
                    RebaseResult rb = p.getRebaseResult();
                    measured = GitRecorder.outcome(span, m != null ? m.getMergeStatus().name()
                                    : rb != null ? rb.getStatus().name() : p.isSuccessful() ? "SUCCESS" : "FAILED",
                            p.isSuccessful(), m != null ? (m.getConflicts() == null ? 0 : m.getConflicts().size())
                                    : rb != null ? (rb.getConflicts() == null ? 0 : rb.getConflicts().size()) : -1);
                    java.util.Collection<String> paths = m != null && m.getConflicts() != null
                            ? m.getConflicts().keySet() : rb != null ? rb.getConflicts() : null;
                    if (paths != null && !paths.isEmpty()) {
                        GitRecorder.conflictPaths(span, paths, GitBranches.current(command),
                                GitBranches.pulled(command, p));
                    }
                }
            } catch (Throwable ignored) {
                // the attributes only
            }
            GitRecorder.end(span, thrown, measured);
        }
    }

    /** Rebase: status, success, conflicting paths. */
    @SuppressWarnings("unused")
    public static final class RebaseAdvice {
        private RebaseAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, inline = false)
        public static void exit(@Advice.Enter ObsSpan span, @Advice.This Object command,
                                @Advice.Return Object result, @Advice.Thrown Throwable thrown) {
            GitOperation measured = null;
            try {
                RebaseResult rb = span == null ? null : (RebaseResult) result;
                if (rb != null) {
                    measured = GitRecorder.outcome(span, rb.getStatus().name(), rb.getStatus().isSuccessful(),
                            rb.getConflicts() == null ? 0 : rb.getConflicts().size());
                    if (rb.getConflicts() != null && !rb.getConflicts().isEmpty()) {
                        GitRecorder.conflictPaths(span, rb.getConflicts(), GitBranches.current(command), null);
                    }
                }
            } catch (Throwable ignored) {
                // the attributes only
            }
            GitRecorder.end(span, thrown, measured);
        }
    }

    /**
     * The matchers, in a class of its own: premain creates this instrumentation, and verifying a class that
     * builds matchers loads Byte Buddy's {@code ElementMatcher} (see {@link TypeInstrumentation}).
     */
    private final class Matching {
        ElementMatcher<TypeDescription> typeMatcher() {
            if (command != null) {
                return named(PACKAGE + command);
            }
            String[] specific = new String[SPECIFIC.length];
            for (int i = 0; i < specific.length; i++) {
                specific[i] = PACKAGE + SPECIFIC[i];
            }
            return nameStartsWith(PACKAGE).and(not(namedOneOf(specific))).and(hasSuperClass(named(GIT_COMMAND)));
        }

        void transform(AdviceApplier applier) {
            applier.applyAdvice(named("call").and(takesArguments(0)).and(not(isAbstract())).and(not(isBridge()))
                    .and(not(isSynthetic())), GitCommandInstrumentation.class.getName() + enterAdvice,
                    GitCommandInstrumentation.class.getName() + exitAdvice);
        }
    }
}
