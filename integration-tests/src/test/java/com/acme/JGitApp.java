package com.acme;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.ZoneOffset;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeResult;
import org.eclipse.jgit.api.PullResult;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * Real JGit on real repositories under {@code <work dir>}: a bare {@code origin}, clone {@code a} (over
 * {@code file://}), commit and push, a branch and a conflicting merge, a second clone {@code b} pushing a
 * change that {@code a} pulls, status and log, and an ls-remote with credentials in the URL against a
 * closed port (fails). Commits have fixed authors and dates, so their ids (printed) are the same in every
 * run. Usage: {@code JGitApp <work dir>}.
 */
public final class JGitApp {
    private static final PersonIdent WHO =
            new PersonIdent("obs", "obs@example.com", Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    public static void main(String[] args) throws Exception {
        File dir = new File(args[0]).getAbsoluteFile();
        File origin = new File(dir, "origin.git");
        Git.init().setBare(true).setDirectory(origin).call().close();
        String originUrl = "file://" + origin.getPath();
        System.out.println("origin " + originUrl);

        try (Git a = Git.cloneRepository().setURI(originUrl).setDirectory(new File(dir, "a")).call()) {
            configure(a);
            String main = a.getRepository().getBranch();
            RevCommit first = commit(a, "f.txt", "base\n", "first");
            System.out.println("commit " + first.getId().name());
            a.push().call();
            System.out.println("pushed " + main);

            a.branchCreate().setName("feature").call();
            a.checkout().setName("feature").call();
            commit(a, "f.txt", "feature\n", "on feature");
            a.checkout().setName(main).call();
            commit(a, "f.txt", "main\n", "on main");
            MergeResult merge = a.merge().include(a.getRepository().resolve("feature")).call();
            System.out.println("merge " + merge.getMergeStatus().name() + " conflicts " + merge.getConflicts().size());
            a.reset().setMode(ResetCommand.ResetType.HARD).call();

            try (Git b = Git.cloneRepository().setURI(originUrl).setDirectory(new File(dir, "b")).call()) {
                configure(b);
                commit(b, "g.txt", "from b\n", "from b");
                b.push().call();
            }
            PullResult pull = a.pull().setRebase(false).call();
            System.out.println("pull successful " + pull.isSuccessful() + " "
                    + pull.getMergeResult().getMergeStatus().name());

            Status status = a.status().call();
            System.out.println("status clean " + status.isClean());
            int count = 0;
            for (RevCommit ignored : a.log().call()) {
                count++;
            }
            System.out.println("log " + count + " commits");
        }

        try {
            Git.lsRemoteRepository().setRemote("https://alice:s3cret@127.0.0.1:1/x.git").setTimeout(5).call();
            System.out.println("ls-remote succeeded?");
        } catch (Exception e) {
            System.out.println("ls-remote failed " + e.getClass().getSimpleName());
        }
    }

    private static void configure(Git git) throws Exception {
        StoredConfig config = git.getRepository().getConfig();
        config.setString("user", null, "name", "obs");
        config.setString("user", null, "email", "obs@example.com");
        config.save();
    }

    private static RevCommit commit(Git git, String file, String content, String message) throws Exception {
        Files.writeString(new File(git.getRepository().getWorkTree(), file).toPath(), content,
                StandardCharsets.UTF_8);
        git.add().addFilepattern(file).call();
        return git.commit().setMessage(message).setAuthor(WHO).setCommitter(WHO).call();
    }
}
