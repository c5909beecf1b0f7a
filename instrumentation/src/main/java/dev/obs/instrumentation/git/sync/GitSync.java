package dev.obs.instrumentation.git.sync;

import dev.obs.bootstrap.ObsSpan;

/**
 * Git as a sync source, one per JVM: the git family's helpers (one copy per JGit class loader) report here
 * each fetch, pull and push they measured, and each merge, pull or rebase that left conflicts; the agent
 * installs the {@link Listener} that turns them into the sync family's series ({@code sync.service = git}).
 * Outside the family's helper package, so every helper loader shares this class through the agent's loader.
 *
 * <p>One sync operation per outermost command: a {@code git pull} runs a fetch (and its transport) inside
 * it, which add their remote, bytes and refs to the pull instead of counting twice. The operation open on a
 * thread is a thread-local; it is keyed by the span that opened it, so only that span's end closes it. One
 * whose span ended without closing it (an exit advice that never ran) is dropped by the next call.
 *
 * <p>Memory ordering: the listener is published once through a volatile field at start; none installed
 * records nothing.
 */
public final class GitSync {
    /** What the sync family does with Git's operations. Must not throw. */
    public interface Listener {
        /**
         * One fetch, pull or push ended.
         *
         * @param operation     {@code fetch}, {@code pull} or {@code push}
         * @param peer          the remote's URL (or name), credentials masked; empty when unknown
         * @param refsUpdated   refs the operation updated (tracking refs on fetch, remote refs on push)
         * @param outcome       {@code success}, {@code rejected} (a push the remote refused), {@code error}
         *                      (it threw), or the merge status of a pull in lower case ({@code conflicting})
         * @param thrown        what the command threw, or null
         */
        void operation(String operation, String peer, long refsUpdated, long bytesReceived, long bytesSent,
                       String outcome, Throwable thrown, long startNanos, long endNanos);

        /**
         * A merge, pull or rebase left {@code count} conflicting paths.
         *
         * @param peer   the remote of the pull this happened in, or empty
         * @param paths  the conflicting paths, masked, when {@code obs.git.capture.paths} is on; else null
         * @param ours   the branch merged into (the repository's current branch), or empty
         * @param theirs what was merged (a branch or ref name, else a commit id), or empty
         */
        void conflicts(String operation, String peer, long count, String[] paths, String ours, String theirs);
    }

    /** The sync operation open on a thread. */
    private static final class Open {
        final ObsSpan owner;
        final String operation;
        final long startNanos;
        String peer = "";
        long refs;
        long bytesReceived;
        long bytesSent;
        boolean rejected;
        String status;
        /** Conflicts of a merge or rebase inside this pull: reported once, with the pull, at its end. */
        String conflictOperation;
        long conflictCount;
        String[] conflictPaths;
        String ours;
        String theirs;

        Open(ObsSpan owner, String operation, long startNanos) {
            this.owner = owner;
            this.operation = operation;
            this.startNanos = startNanos;
        }
    }

    private static volatile Listener listener;
    private static final ThreadLocal<Open> OPEN = new ThreadLocal<>();

    private GitSync() {
    }

    /** Installed by the agent at start. */
    public static void install(Listener l) {
        listener = l;
    }

    /** Whether Git operations are reported (a listener is installed). */
    public static boolean enabled() {
        return listener != null;
    }

    /**
     * A fetch, pull or push starts under {@code owner} (its span); nothing when one is open on this thread
     * already (the fetch of a pull).
     */
    public static void begin(ObsSpan owner, String operation) {
        if (listener != null && open() == null) {
            OPEN.set(new Open(owner, operation, System.nanoTime()));
        }
    }

    /** The operation open on this thread, or null; one whose span has ended already is dropped. */
    private static Open open() {
        Open o = OPEN.get();
        if (o != null && o.owner.endNanos != 0) {
            OPEN.remove();
            return null;
        }
        return o;
    }

    /** The remote of the open operation, masked; the first one said wins unless it was empty. */
    public static void peer(String maskedUrl) {
        Open o = open();
        if (o != null && o.peer.isEmpty() && maskedUrl != null) {
            o.peer = maskedUrl;
        }
    }

    /** A transport of the open operation ended: its bytes and refs, and whether the remote rejected a ref. */
    public static void transferred(String maskedUrl, long refsUpdated, long bytesReceived, long bytesSent,
                                   boolean rejected) {
        Open o = open();
        if (o == null) {
            return;
        }
        if (maskedUrl != null && !maskedUrl.isEmpty()) {
            o.peer = maskedUrl; // the transport's URI is the remote actually talked to
        }
        o.refs += Math.max(0, refsUpdated);
        o.bytesReceived += bytesReceived;
        o.bytesSent += bytesSent;
        o.rejected |= rejected;
    }

    /**
     * One fetch, pull or push measured whole by its caller, not through {@link #begin}/{@link #end} on one
     * thread: a run of the {@code git} command line, which ends on the JDK's process-reaper thread (for its
     * recorder once it lives in the agent's loader; see {@link Listener#operation} for the values).
     */
    public static void completed(String operation, String maskedPeer, long refsUpdated, long bytesReceived,
                                 long bytesSent, String outcome, Throwable thrown, long startNanos, long endNanos) {
        Listener l = listener;
        if (l != null) {
            l.operation(operation, maskedPeer == null ? "" : maskedPeer, Math.max(0, refsUpdated), bytesReceived,
                    bytesSent, outcome, thrown, startNanos, endNanos);
        }
    }

    /** The merge or rebase status of the pull {@code owner} opened, when it did not succeed ({@code CONFLICTING}). */
    public static void status(ObsSpan owner, String status) {
        Open o = OPEN.get();
        if (o != null && o.owner == owner) {
            o.status = status;
        }
    }

    /**
     * The command or transport of {@code owner} ended; when it opened the operation, the operation is
     * reported.
     */
    public static void end(ObsSpan owner, Throwable thrown) {
        Open o = OPEN.get();
        if (o == null || o.owner != owner) {
            return;
        }
        OPEN.remove();
        Listener l = listener;
        if (l == null) {
            return;
        }
        if (o.conflictCount > 0) {
            l.conflicts(o.conflictOperation, o.peer, o.conflictCount, o.conflictPaths, o.ours, o.theirs);
        }
        String outcome = thrown != null ? "error" : o.rejected ? "rejected"
                : o.status != null ? o.status.toLowerCase(java.util.Locale.ROOT) : "success";
        l.operation(o.operation, o.peer, o.refs, o.bytesReceived, o.bytesSent, outcome, thrown, o.startNanos,
                System.nanoTime());
    }

    /**
     * Conflicts left by a merge, pull or rebase (see {@link Listener#conflicts}). Inside a pull, the merge or
     * rebase it runs and the pull itself both say so: kept with the pull and reported once at its end, as the
     * pull's (the pull's names of the branches win when it has them).
     */
    public static void conflicts(String operation, long count, String[] paths, String ours, String theirs) {
        Listener l = listener;
        if (l == null || count <= 0) {
            return;
        }
        String o1 = ours == null ? "" : ours;
        String t1 = theirs == null ? "" : theirs;
        Open o = open();
        if (o == null) {
            l.conflicts(operation, "", count, paths, o1, t1);
            return;
        }
        o.conflictOperation = o.operation;
        o.conflictCount = count;
        o.conflictPaths = paths != null ? paths : o.conflictPaths;
        o.ours = o1.isEmpty() && o.ours != null ? o.ours : o1;
        o.theirs = t1.isEmpty() && o.theirs != null ? o.theirs : t1;
    }
}
