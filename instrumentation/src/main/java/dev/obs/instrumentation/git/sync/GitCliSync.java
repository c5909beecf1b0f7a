package dev.obs.instrumentation.git.sync;

import java.util.Set;

/**
 * A run of the {@code git} command line that fetches (a clone too), pulls or pushes, reported to {@link GitSync} when the
 * process exits (on the JDK's reaper thread). The command line says less than JGit does: the peer is the
 * remote argument as written (masked; empty when the command names none, i.e. the branch's upstream), the
 * outcome is {@code success} for exit code 0 and {@code error} otherwise, and no bytes or refs are known.
 */
public final class GitCliSync {
    private static final Set<String> SYNC_OPERATIONS = Set.of("fetch", "pull", "push", "clone");
    /** Options of fetch, pull and push whose value is the next argument (so it is not the remote). */
    private static final Set<String> OPTIONS_WITH_VALUE = Set.of("--depth", "--deepen", "--shallow-since",
            "--shallow-exclude", "-j", "--jobs", "--upload-pack", "--negotiation-tip", "-o", "--server-option",
            "--push-option", "--receive-pack", "--exec", "--repo", "-s", "--strategy", "-X", "--strategy-option",
            "--refmap", "--recurse-submodules-default", "-b", "--branch", "--origin", "-c", "--config", "--reference",
            "--reference-if-able", "--separate-git-dir", "-u", "--template", "--bundle-uri");

    private final String operation;
    private final String peer;
    private final long startNanos;

    private GitCliSync(String operation, String peer, long startNanos) {
        this.operation = operation;
        this.peer = peer;
        this.startNanos = startNanos;
    }

    /**
     * The sync operation a {@code git} run is, or null when it is none or Git sync is off.
     *
     * @param operation    the git subcommand
     * @param maskedArgs   the command line, credentials masked, {@code git} first
     * @param subcommandAt where the subcommand is in {@code maskedArgs}
     */
    public static GitCliSync of(String operation, String[] maskedArgs, int subcommandAt, long startNanos) {
        if (!GitSync.enabled() || !SYNC_OPERATIONS.contains(operation)) {
            return null;
        }
        // a clone is its fetch, as with JGit
        return new GitCliSync(operation.equals("clone") ? "fetch" : operation, remoteArgument(maskedArgs, subcommandAt),
                startNanos);
    }

    /** The first argument after the subcommand that is neither an option nor an option's value, or "". */
    static String remoteArgument(String[] args, int subcommandAt) {
        for (int i = subcommandAt + 1; i < args.length; i++) {
            String a = args[i];
            if (a == null) {
                continue;
            }
            if (a.equals("--")) {
                return i + 1 < args.length && args[i + 1] != null ? args[i + 1] : "";
            }
            if (OPTIONS_WITH_VALUE.contains(a)) {
                i++;
            } else if (!a.startsWith("-")) {
                return a;
            }
        }
        return "";
    }

    /** The process exited with {@code exitCode}, or waiting for it failed with {@code error}. */
    public void exited(int exitCode, Throwable error, long endNanos) {
        GitSync.completed(operation, peer, 0, 0, 0, error == null && exitCode == 0 ? "success" : "error", error,
                startNanos, endNanos);
    }
}
