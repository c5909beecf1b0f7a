package com.acme;

import java.util.List;
import org.eclipse.jgit.api.Git;

/**
 * Hands a corpus of credentials to both Git paths: the git command line (URLs, extra headers, token-shaped
 * arguments) and JGit (remote URLs). Every remote is a closed port, so each operation fails fast; the
 * program prints how each ended. Usage: {@code GitSecretsApp}.
 */
public final class GitSecretsApp {
    /** The secrets, also read by the test that looks for them in everything exported. */
    public static final List<String> SECRETS = List.of(
            "tok3n-in-url-9f8e7d", "ssh-pa55-6c5b4a", "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
            "github_pat_11AAAAAAA0aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
            "glpat-xYzAbCdEfGhIjKlMnOpQ", "AKIAIOSFODNN7EXAMPLE", "bearer-value-1a2b3c4d5e");

    public static void main(String[] args) throws Exception {
        List<String> urls = List.of(
                "https://alice:" + SECRETS.get(0) + "@127.0.0.1:1/repo.git",
                "ssh://bob:" + SECRETS.get(1) + "@127.0.0.1:1/repo.git",
                "https://" + SECRETS.get(2) + "@127.0.0.1:1/repo.git",
                "https://oauth2:" + SECRETS.get(3) + "@127.0.0.1:1/repo.git",
                "https://gitlab-ci-token:" + SECRETS.get(4) + "@127.0.0.1:1/repo.git");
        for (String url : urls) {
            run(List.of("git", "ls-remote", url));
            try {
                Git.lsRemoteRepository().setRemote(url).call();
                System.out.println("jgit ls-remote ok");
            } catch (Exception e) {
                System.out.println("jgit ls-remote failed");
            }
        }
        run(List.of("git", "-c", "http.extraHeader=Authorization: Bearer " + SECRETS.get(6), "ls-remote",
                "https://127.0.0.1:1/repo.git"));
        run(List.of("git", "-c", "credential.helper=", "-c", "aws.key=" + SECRETS.get(5), "ls-remote",
                "https://127.0.0.1:1/repo.git"));
        run(List.of("git", "ls-remote", "--password", SECRETS.get(4), "https://127.0.0.1:1/repo.git"));
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        System.out.println("git exit " + p.waitFor());
    }
}
