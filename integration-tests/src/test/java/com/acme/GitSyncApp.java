package com.acme;

import java.io.File;
import java.nio.file.Files;
import java.time.Instant;
import java.time.ZoneOffset;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeResult;
import org.eclipse.jgit.api.PullResult;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RemoteRefUpdate;

/**
 * Two devices keeping one repository in sync through a bare remote with JGit, in a fetch/merge/push loop:
 * clone, push, fetch and merge, pull; a push the remote rejects, a merge that conflicts on {@code shared.txt}
 * and is resolved; a pull that conflicts on {@code shared.txt} and {@code notes.txt}; a fetch from a remote
 * that does not answer (credentials in its URL). It prints each step's result for the test. Usage:
 * {@code GitSyncApp <remote url> <work dir> <unreachable url>}.
 */
public final class GitSyncApp {
    private static final PersonIdent WHO =
            new PersonIdent("obs", "obs@example.com", Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    public static void main(String[] args) throws Exception {
        String remote = args[0];
        File work = new File(args[1]);
        String unreachable = args[2];
        try (Git a = Git.cloneRepository().setURI(remote).setDirectory(new File(work, "a")).call();
             Git b = Git.cloneRepository().setURI(remote).setDirectory(new File(work, "b")).call()) {
            commit(a, "shared.txt", "one\n");
            push("a-push-1", a);
            b.fetch().call();
            merge("b-merge-1", b);
            commit(b, "other.txt", "from b\n");
            push("b-push-1", b);
            pull("a-pull-1", a);

            commit(a, "shared.txt", "two from a\n");
            push("a-push-2", a);
            commit(b, "shared.txt", "two from b\n");
            push("b-push-2", b); // rejected: a pushed first
            b.fetch().call();
            merge("b-merge-2", b); // conflicts on shared.txt
            commit(b, "shared.txt", "two, merged\n");
            push("b-push-3", b);
            pull("a-pull-2", a);

            commit(a, "shared.txt", "three from a\n", "notes.txt", "a's notes\n");
            push("a-push-3", a);
            commit(b, "shared.txt", "three from b\n", "notes.txt", "b's notes\n");
            pull("b-pull-1", b); // conflicts on shared.txt and notes.txt
            try {
                a.fetch().setRemote(unreachable).call();
                System.out.println("unreachable fetched");
            } catch (Exception e) {
                System.out.println("unreachable error " + e.getClass().getName());
            }
        }
    }

    private static void commit(Git git, String... pathsAndContents) throws Exception {
        File dir = git.getRepository().getWorkTree();
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            Files.writeString(new File(dir, pathsAndContents[i]).toPath(), pathsAndContents[i + 1]);
            git.add().addFilepattern(pathsAndContents[i]).call();
        }
        git.commit().setMessage("edit " + pathsAndContents[0]).setAuthor(WHO).setCommitter(WHO).call();
    }

    private static void push(String step, Git git) throws Exception {
        for (PushResult r : git.push().call()) {
            for (RemoteRefUpdate u : r.getRemoteUpdates()) {
                System.out.println(step + " " + u.getRemoteName() + "=" + u.getStatus());
            }
        }
    }

    private static void merge(String step, Git git) throws Exception {
        MergeResult m = git.merge().include(git.getRepository().findRef("refs/remotes/origin/main"))
                .setCommit(true).call();
        System.out.println(step + " " + m.getMergeStatus().name() + " " + (m.getConflicts() == null ? "[]"
                : new java.util.TreeSet<>(m.getConflicts().keySet())));
    }

    private static void pull(String step, Git git) throws Exception {
        PullResult p = git.pull().call();
        MergeResult m = p.getMergeResult();
        System.out.println(step + " " + m.getMergeStatus().name() + " " + (m.getConflicts() == null ? "[]"
                : new java.util.TreeSet<>(m.getConflicts().keySet())));
    }
}
