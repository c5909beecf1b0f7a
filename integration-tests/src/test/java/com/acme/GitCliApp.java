package com.acme;

import java.io.File;
import java.util.List;

/**
 * Runs the real git command line: init and commit (succeed), a checkout of a missing branch (exit 1), an
 * ls-remote with credentials in the URL and an extra header against a closed port (exit 128), and one
 * untraced executable. Prints every exit code, so runs with and without the agent can be compared.
 * Usage: {@code GitCliApp <work dir>}.
 */
public final class GitCliApp {
    public static void main(String[] args) throws Exception {
        new GitCliApp().run(new File(args[0]));
    }

    public void run(File dir) throws Exception {
        String path = dir.getAbsolutePath();
        exec("git init", List.of("git", "init", "-q", path));
        exec("git commit", List.of("git", "-C", path, "-c", "user.name=obs", "-c", "user.email=obs@example.com",
                "commit", "--allow-empty", "-q", "-m", "first"));
        exec("git checkout", List.of("git", "-C", path, "checkout", "-q", "no-such-branch"));
        exec("git ls-remote", List.of("git", "-c", "http.extraHeader=Authorization: Bearer sekret-header-value",
                "ls-remote", "https://alice:ghp_abcdefghijklmnopqrstuvwxyz0123456789@127.0.0.1:1/x.git"));
        Process viaRuntime = Runtime.getRuntime().exec(new String[] {"git", "--version"});
        viaRuntime.getInputStream().readAllBytes();
        System.out.println("git --version exit " + viaRuntime.waitFor());
        exec("sh", List.of("sh", "-c", "true"));
    }

    private static void exec(String label, List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        System.out.println(label + " exit " + p.waitFor());
    }
}
