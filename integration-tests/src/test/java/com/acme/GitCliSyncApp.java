package com.acme;

import java.io.File;
import java.util.List;

/**
 * Syncs with a remote through the real git command line: a clone, a fetch, a push and a pull from
 * {@code origin} (all succeed), and a fetch from a URL with credentials whose port is closed (exit 128).
 * Prints every exit code. Usage: {@code GitCliSyncApp <remote URL> <work dir> <unreachable URL>}.
 */
public final class GitCliSyncApp {
    public static void main(String[] args) throws Exception {
        String clone = new File(args[1], "a").getAbsolutePath();
        exec("clone", List.of("git", "clone", "-q", args[0], clone));
        exec("fetch", List.of("git", "-C", clone, "fetch", "-q", "origin"));
        exec("push", List.of("git", "-C", clone, "push", "-q", "origin", "HEAD:refs/heads/cli"));
        exec("pull", List.of("git", "-C", clone, "pull", "-q", "--ff-only", "origin", "main"));
        exec("unreachable fetch", List.of("git", "-C", clone, "fetch", "-q", args[2]));
    }

    private static void exec(String label, List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        System.out.println(label + " exit " + p.waitFor());
    }
}
