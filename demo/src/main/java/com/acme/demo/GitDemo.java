package com.acme.demo;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;

/** The Git part of the demo: the git command line builds a repository, JGit clones it and works in it. */
final class GitDemo {
    private GitDemo() {
    }

    static void run() throws Exception {
        Path dir = Files.createTempDirectory("obs-demo-git");
        Path origin = dir.resolve("origin");
        cli(List.of("git", "init", "-q", origin.toString()));
        Files.writeString(origin.resolve("README.md"), "demo\n");
        cli(List.of("git", "-C", origin.toString(), "add", "README.md"));
        cli(List.of("git", "-C", origin.toString(), "-c", "user.name=demo", "-c", "user.email=demo@example.com",
                "commit", "-q", "-m", "first"));
        File clone = dir.resolve("clone").toFile();
        try (Git git = Git.cloneRepository().setURI(origin.toUri().toString()).setDirectory(clone).call()) {
            Files.writeString(clone.toPath().resolve("notes.txt"), "obs was here\n");
            git.add().addFilepattern("notes.txt").call();
            git.commit().setMessage("notes").setAuthor("demo", "demo@example.com")
                    .setCommitter("demo", "demo@example.com").call();
            git.status().call();
            int commits = 0;
            for (var ignored : git.log().call()) {
                commits++;
            }
            System.out.println("demo: git clone has " + commits + " commits");
        }
    }

    private static void cli(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }
}
