package dev.obs.bootstrap;

import java.io.File;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the JGit instrumentation records around a porcelain command's {@code call()}. The advice does the
 * JGit-typed extraction (it is inlined into JGit's classes) and hands plain values over; this class knows
 * no JGit type.
 *
 * <p>Span names derive from the command class's simple name ({@code PullCommand} → {@code git pull},
 * {@code CreateBranchCommand} → {@code git branch create}), computed once per class.
 */
public final class GitRecorder {
    public static final String URL = "vcs.repository.url.full";
    public static final String WORK_TREE = "git.work_tree";
    public static final String REVISION = "vcs.ref.head.revision";
    public static final String OUTCOME = "git.outcome";
    public static final String CONFLICTS = "git.conflicts.count";

    /** Command class binary name → span name; bounded by the number of command classes JGit has. */
    private static final ConcurrentHashMap<String, String> NAMES = new ConcurrentHashMap<>();
    private static final int MAX_NAMES = 512;

    /** Base names (simple name without {@code Command}) whose git verb is not just the lower-cased name. */
    private static final Map<String, String> SPECIAL = Map.ofEntries(
            Map.entry("CreateBranch", "branch create"),
            Map.entry("DeleteBranch", "branch delete"),
            Map.entry("ListBranch", "branch list"),
            Map.entry("RenameBranch", "branch rename"),
            Map.entry("ListTag", "tag list"),
            Map.entry("DeleteTag", "tag delete"),
            Map.entry("StashCreate", "stash"),
            Map.entry("StashApply", "stash apply"),
            Map.entry("StashDrop", "stash drop"),
            Map.entry("StashList", "stash list"),
            Map.entry("GarbageCollect", "gc"),
            Map.entry("LsRemote", "ls-remote"),
            Map.entry("ListNotes", "notes list"),
            Map.entry("AddNote", "notes add"),
            Map.entry("RemoveNote", "notes remove"),
            Map.entry("ShowNote", "notes show"),
            Map.entry("RemoteAdd", "remote add"),
            Map.entry("RemoteList", "remote list"),
            Map.entry("RemoteRemove", "remote remove"),
            Map.entry("RemoteSetUrl", "remote set-url"),
            Map.entry("SubmoduleAdd", "submodule add"),
            Map.entry("SubmoduleInit", "submodule init"),
            Map.entry("SubmoduleStatus", "submodule status"),
            Map.entry("SubmoduleSync", "submodule sync"),
            Map.entry("SubmoduleUpdate", "submodule update"),
            Map.entry("SubmoduleDeinit", "submodule deinit"),
            Map.entry("CherryPick", "cherry-pick"),
            Map.entry("NameRev", "name-rev"));

    private GitRecorder() {
    }

    /**
     * Starts the span of one command call and makes it current.
     *
     * @param commandClass the command's binary name, e.g. {@code org.eclipse.jgit.api.PullCommand}
     * @param workTree the repository's work tree (its git directory when bare), or null
     * @param url the remote's URL or name, unmasked, or null
     * @return the span, or null when not recording
     */
    public static ObsSpan start(String commandClass, File workTree, String url) {
        ObsSpan span = Recorder.startSpan(spanName(commandClass));
        if (span != null) {
            if (workTree != null) {
                span.setAttribute(WORK_TREE, SecretMasker.mask(workTree.getPath()));
            }
            if (url != null && !url.isEmpty()) {
                span.setAttribute(URL, SecretMasker.mask(url));
            }
        }
        return span;
    }

    /** Sets the remote's URL (or name), masked, once it is known at the end. */
    public static void url(ObsSpan span, String url) {
        if (span != null && url != null && !url.isEmpty()) {
            span.setAttribute(URL, SecretMasker.mask(url));
        }
    }

    /** Sets the work tree once it is known at the end (clone: the repository the command created). */
    public static void workTree(ObsSpan span, File workTree) {
        if (span != null && workTree != null) {
            span.setAttribute(WORK_TREE, SecretMasker.mask(workTree.getPath()));
        }
    }

    /** The revision a command produced ({@code git commit}: the new commit's id). */
    public static void revision(ObsSpan span, String objectId) {
        if (span != null && objectId != null) {
            span.setAttribute(REVISION, objectId);
        }
    }

    /**
     * The result of a merge, pull or rebase: its status name, whether it succeeded (an unsuccessful one
     * ends with error status) and the number of conflicting paths (negative: unknown, not recorded).
     */
    public static void outcome(ObsSpan span, String outcome, boolean successful, long conflicts) {
        if (span == null) {
            return;
        }
        if (outcome != null) {
            span.setAttribute(OUTCOME, outcome);
        }
        if (conflicts >= 0) {
            span.setAttribute(CONFLICTS, conflicts);
        }
        if (!successful) {
            span.failed = true;
        }
    }

    /** Ends the span with the exception the command threw, or null. */
    public static void end(ObsSpan span, Throwable thrown) {
        Recorder.endSpan(span, thrown);
    }

    /** {@code git <verb>} for a command class, cached per class. */
    public static String spanName(String commandClass) {
        String name = NAMES.get(commandClass);
        if (name == null) {
            name = "git " + verb(commandClass);
            if (NAMES.size() < MAX_NAMES) {
                NAMES.putIfAbsent(commandClass, name);
            }
        }
        return name;
    }

    /**
     * {@code org.eclipse.jgit.api.PullCommand} → {@code pull}; the special cases of {@link #SPECIAL};
     * any other multi-word name in git's own style ({@code FooBarCommand} → {@code foo-bar}).
     */
    static String verb(String commandClass) {
        String simple = commandClass.substring(Math.max(commandClass.lastIndexOf('.'),
                commandClass.lastIndexOf('$')) + 1);
        String base = simple.endsWith("Command") && simple.length() > "Command".length()
                ? simple.substring(0, simple.length() - "Command".length()) : simple;
        String special = SPECIAL.get(base);
        if (special != null) {
            return special;
        }
        StringBuilder out = new StringBuilder(base.length() + 4);
        for (int i = 0; i < base.length(); i++) {
            char c = base.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(base.charAt(i - 1))) {
                out.append('-');
            }
            out.append(Character.toLowerCase(c));
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }
}
