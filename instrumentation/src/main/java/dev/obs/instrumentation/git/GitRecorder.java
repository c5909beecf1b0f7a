package dev.obs.instrumentation.git;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;
import dev.obs.bootstrap.SecretMasker;
import dev.obs.exporter.git.GitOperation;
import dev.obs.exporter.otel.OtelContexts;
import dev.obs.instrumentation.git.settings.GitSettings;
import dev.obs.instrumentation.git.sync.GitSync;
import java.io.File;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the JGit instrumentation records around a porcelain command's {@code call()}. A helper of the git
 * family, defined next to JGit with its advice (see {@code HelperDispatch}): the advice does the JGit-typed
 * extraction and hands plain values over.
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
    /** Span names of {@code Transport.fetch} / {@code Transport.push} (compared by reference). */
    public static final String TRANSPORT_FETCH = "git transport fetch";
    public static final String TRANSPORT_PUSH = "git transport push";
    public static final String PROTOCOL = "network.protocol.name";
    public static final String SERVER_ADDRESS = "server.address";
    public static final String SERVER_PORT = "server.port";
    public static final String BYTES_RECEIVED = "git.transfer.bytes.received";
    public static final String BYTES_SENT = "git.transfer.bytes.sent";
    public static final String OBJECTS_RECEIVED = "git.transfer.objects.received";
    public static final String OBJECTS_SENT = "git.transfer.objects.sent";
    public static final String REFS_UPDATED = "git.refs.updated";
    /** OTel span kind CLIENT's ordinal (see {@link ObsSpan#spanKind}). */
    private static final byte CLIENT = 2;
    public static final String CONFLICT_PATHS = "git.conflicts.paths";
    private static final int MAX_CONFLICT_PATHS = 100;

    /** Command class binary name → span name; bounded by the number of command classes JGit has. */
    private static final ConcurrentHashMap<String, String> NAMES = new ConcurrentHashMap<>();
    private static final int MAX_NAMES = 512;
    /**
     * Span name → the measurement of a command that ends with no outcome of its own, which keeps its
     * series: ending such a command allocates nothing and builds no key. Bounded like {@link #NAMES}.
     */
    private static final ConcurrentHashMap<String, GitOperation> PLAIN = new ConcurrentHashMap<>();

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

    /**
     * The last work tree masked, with its masked form. Every command of a repository passes the same
     * {@code File} (JGit's {@code Repository.getWorkTree()}), whose {@code getPath()} is the same String,
     * so the mask (several regular-expression scans of the path, about 10 µs) runs once per repository,
     * not per command. One immutable pair behind a volatile field: a racing thread masks again and
     * publishes its own pair; either pair is correct.
     */
    private static volatile String[] lastWorkTree = {"", ""};

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
                span.setAttribute(WORK_TREE, maskedWorkTree(workTree.getPath()));
            }
            if (url != null && !url.isEmpty()) {
                span.setAttribute(URL, SecretMasker.mask(url));
            }
            String sync = syncOperation(span.name);
            if (sync != null) {
                GitSync.begin(span, sync);
            }
        }
        return span;
    }

    /** The sync operation a command is ({@code fetch}, {@code pull}, {@code push}), or null. */
    static String syncOperation(String spanName) {
        switch (spanName) {
            case "git fetch":
                return "fetch";
            case "git pull":
                return "pull";
            case "git push":
                return "push";
            default:
                return null;
        }
    }

    /** {@code SecretMasker.mask(path)}, remembered for the last path (see {@link #lastWorkTree}). */
    static String maskedWorkTree(String path) {
        String[] last = lastWorkTree;
        if (last[0] == path || last[0].equals(path)) {
            return last[1];
        }
        String masked = SecretMasker.mask(path);
        lastWorkTree = new String[] {path, masked};
        return masked;
    }

    /** Sets the remote's URL (or name), masked, once it is known at the end. */
    public static void url(ObsSpan span, String url) {
        if (span != null && url != null && !url.isEmpty()) {
            String masked = SecretMasker.mask(url);
            span.setAttribute(URL, masked);
            GitSync.peer(masked);
        }
    }

    /** Sets the work tree once it is known at the end (clone: the repository the command created). */
    public static void workTree(ObsSpan span, File workTree) {
        if (span != null && workTree != null) {
            span.setAttribute(WORK_TREE, maskedWorkTree(workTree.getPath()));
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
     *
     * @return what to end the span with ({@link #end(ObsSpan, Throwable, GitOperation)}), or null
     */
    public static GitOperation outcome(ObsSpan span, String outcome, boolean successful, long conflicts) {
        if (span == null) {
            return null;
        }
        if (outcome != null) {
            span.setAttribute(OUTCOME, outcome);
        }
        if (conflicts >= 0) {
            span.setAttribute(CONFLICTS, conflicts);
        }
        if (!successful) {
            span.failed = true;
            GitSync.status(span, outcome);
        }
        return new GitOperation(GitOperation.Client.JGIT, operation(span), outcome, conflicts, 0, 0);
    }

    /**
     * With {@code obs.git.capture.paths=true}, the conflicting paths themselves ({@code git.conflicts.paths},
     * at most {@value #MAX_CONFLICT_PATHS}); by default only their count is recorded, since paths can name
     * customers, projects or people.
     */
    public static void conflictPaths(ObsSpan span, java.util.Collection<String> paths) {
        conflictPaths(span, paths, null, null);
    }

    /**
     * As {@link #conflictPaths(ObsSpan, java.util.Collection)}; the conflicts also count as Git sync conflicts
     * ({@link GitSync}) between {@code ours} (the branch merged into) and {@code theirs} (what was merged).
     */
    public static void conflictPaths(ObsSpan span, java.util.Collection<String> paths, String ours, String theirs) {
        if (span == null || paths == null || paths.isEmpty()) {
            return;
        }
        String[] out = null;
        if (GitSettings.captureConflictPaths()) {
            out = new String[Math.min(paths.size(), MAX_CONFLICT_PATHS)];
            int i = 0;
            for (String p : paths) {
                if (i == out.length) {
                    break;
                }
                out[i++] = SecretMasker.mask(p);
            }
            span.setAttribute(CONFLICT_PATHS, out);
        }
        GitSync.conflicts(operation(span), paths.size(), out, ours == null ? "" : SecretMasker.mask(ours),
                theirs == null ? "" : SecretMasker.mask(theirs));
    }

    /** Ends the span with the exception the command threw, or null. */
    public static void end(ObsSpan span, Throwable thrown) {
        end(span, thrown, null);
    }

    /** As {@link #end(ObsSpan, Throwable)}, with the outcome {@link #outcome} measured (null: none). */
    public static void end(ObsSpan span, Throwable thrown, GitOperation measured) {
        if (span != null) {
            Recorder.endSpan(span, thrown, measured != null ? measured : plain(span));
            if (syncOperation(span.name) != null) { // only these begin one (no thread-local read for the others)
                GitSync.end(span, thrown);
            }
        }
    }

    /** The measurement of a command of {@code span}'s name that has no outcome to add ({@link #PLAIN}). */
    private static GitOperation plain(ObsSpan span) {
        GitOperation op = PLAIN.get(span.name);
        if (op == null) {
            op = new GitOperation(GitOperation.Client.JGIT, operation(span));
            if (PLAIN.size() < MAX_NAMES) {
                PLAIN.putIfAbsent(span.name, op);
            }
        }
        return op;
    }

    /** {@code git.operation}: the span's name without {@code git } (this family names every span so). */
    private static String operation(ObsSpan span) {
        return span.name.substring(4);
    }

    /**
     * Starts the span of one {@code Transport.fetch} or {@code Transport.push} (a CLIENT span, child of
     * the porcelain command when there is one) and makes it current, so the pack parser and writer below
     * it can add their byte and object counts with {@link #transferred}.
     *
     * @param scheme the URI's scheme, or null (a local path, or scp-like {@code host:path} for ssh)
     * @param host the URI's host, or null; user and password are never passed
     * @param port the URI's port, or -1 for the protocol's default
     * @param url the URI as a string (no password), masked here
     */
    public static ObsSpan startTransport(boolean push, String scheme, String host, int port, String url) {
        ObsSpan span = Recorder.startSpan(push ? TRANSPORT_PUSH : TRANSPORT_FETCH);
        if (span != null) {
            span.spanKind = CLIENT;
            String protocol = protocol(scheme, host);
            span.setAttribute(PROTOCOL, protocol);
            if (host != null && !host.isEmpty()) {
                span.setAttribute(SERVER_ADDRESS, host);
                int p = port > 0 ? port : defaultPort(protocol);
                if (p > 0) {
                    span.setAttribute(SERVER_PORT, (long) p);
                }
            }
            if (url != null && !url.isEmpty()) {
                span.setAttribute(URL, SecretMasker.mask(url));
            }
            // the OpenTelemetry agent's HTTP client spans below it (JGit's HTTP transport) become its children
            OtelContexts.enterScope(span);
            // JGit's transport API used directly, with no porcelain command around it, is an operation too
            GitSync.begin(span, push ? "push" : "fetch");
        }
        return span;
    }

    /** True when the current span is a transport span: the pack advice then reads its statistics. */
    public static boolean inTransport() {
        ObsSpan span = Recorder.currentSpan();
        return span != null && (span.name == TRANSPORT_FETCH || span.name == TRANSPORT_PUSH);
    }

    /**
     * Adds one pack's figures to the current span if it is a transport span (a fetch may parse more than
     * one pack, e.g. when it follows tags); otherwise (a pack parsed or written by a server, by gc) nothing.
     */
    public static void transferred(long bytesReceived, long bytesSent, long objectsReceived, long objectsSent) {
        ObsSpan span = Recorder.currentSpan();
        if (span == null || (span.name != TRANSPORT_FETCH && span.name != TRANSPORT_PUSH)) {
            return;
        }
        if (bytesReceived > 0 || objectsReceived > 0) {
            span.addToLong(BYTES_RECEIVED, bytesReceived).addToLong(OBJECTS_RECEIVED, objectsReceived);
        }
        if (bytesSent > 0 || objectsSent > 0) {
            span.addToLong(BYTES_SENT, bytesSent).addToLong(OBJECTS_SENT, objectsSent);
        }
    }

    /**
     * Ends a transport span: the refs it updated (negative: unknown), whether the remote rejected a ref
     * (error status), and the exception, or null. A fetch always has received bytes and objects (0 when
     * nothing was transferred), a push sent bytes and objects.
     */
    public static void endTransport(ObsSpan span, long refsUpdated, boolean rejected, Throwable thrown) {
        if (span == null) {
            return;
        }
        if (span.name == TRANSPORT_PUSH) {
            span.addToLong(BYTES_SENT, 0).addToLong(OBJECTS_SENT, 0);
        } else {
            span.addToLong(BYTES_RECEIVED, 0).addToLong(OBJECTS_RECEIVED, 0);
        }
        if (refsUpdated >= 0) {
            span.setAttribute(REFS_UPDATED, refsUpdated);
        }
        if (rejected) {
            span.failed = true;
        }
        OtelContexts.exitScope(span);
        long received = sum(span, BYTES_RECEIVED);
        long sent = sum(span, BYTES_SENT);
        GitSync.transferred(stringAttribute(span, URL), refsUpdated, received, sent, rejected);
        Recorder.endSpan(span, thrown, new GitOperation(GitOperation.Client.JGIT, operation(span), null, 0,
                received, sent));
        GitSync.end(span, thrown);
    }

    /** The String attribute {@code key}, or null. */
    private static String stringAttribute(ObsSpan span, String key) {
        for (int i = 0, n = span.attributeCount(); i < n; i++) {
            if (span.attributeKey(i).equals(key) && span.attributeValue(i) instanceof String) {
                return (String) span.attributeValue(i);
            }
        }
        return null;
    }

    /** The Long attribute {@code key} that {@link #transferred} added to, or 0. */
    private static long sum(ObsSpan span, String key) {
        for (int i = 0, n = span.attributeCount(); i < n; i++) {
            if (span.attributeKey(i).equals(key) && span.attributeValue(i) instanceof Long) {
                return (Long) span.attributeValue(i);
            }
        }
        return 0;
    }

    /** {@code git}, {@code http}, {@code https}, {@code ssh}, {@code file}... from a JGit URIish. */
    static String protocol(String scheme, String host) {
        if (scheme == null || scheme.isEmpty()) {
            return host == null || host.isEmpty() ? "file" : "ssh";
        }
        String s = scheme.toLowerCase(Locale.ROOT);
        return s.contains("ssh") ? "ssh" : s;
    }

    private static int defaultPort(String protocol) {
        switch (protocol) {
            case "git":
                return 9418;
            case "ssh":
                return 22;
            case "http":
                return 80;
            case "https":
                return 443;
            default:
                return -1;
        }
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
