package com.acme;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.time.ZoneOffset;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RemoteRefUpdate;

/**
 * JGit against a remote reached over two transports: clone {@code g} over {@code <git url>} (a real
 * {@code git daemon}), commit and push; clone {@code f} over {@code <file url>}, commit and push; fetch in
 * {@code g} (not thin, so the pack stored is the pack received). After each step it prints the bytes the
 * step added to the {@code .pack} files of the receiving repository (the clone, or {@code <origin dir>} for
 * a push), so the test can compare them with the spans. Usage:
 * {@code JGitTransportApp <git url> <file url> <origin dir> <work dir>}.
 */
public final class JGitTransportApp {
    private static final PersonIdent WHO =
            new PersonIdent("obs", "obs@example.com", Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    public static void main(String[] args) throws Exception {
        String gitUrl = args[0];
        String fileUrl = args[1];
        File origin = new File(args[2]);
        File work = new File(args[3]);

        try (Git g = Git.cloneRepository().setURI(gitUrl).setDirectory(new File(work, "g")).call()) {
            System.out.println("clone-git pack " + packBytes(g.getRepository().getDirectory()));
            System.out.println("clone-git head " + g.getRepository().resolve("HEAD").name());
            RevCommit c = commit(g, "from-g.txt", 3000, 1);
            long before = packBytes(origin);
            PushResult push = g.push().call().iterator().next();
            System.out.println("push-git status " + status(push));
            System.out.println("push-git commit " + c.getId().name());
            System.out.println("push-git pack " + (packBytes(origin) - before));

            try (Git f = Git.cloneRepository().setURI(fileUrl).setDirectory(new File(work, "f")).call()) {
                System.out.println("clone-file pack " + packBytes(f.getRepository().getDirectory()));
                System.out.println("clone-file head " + f.getRepository().resolve("HEAD").name());
                RevCommit d = commit(f, "from-f.txt", 5000, 2);
                before = packBytes(origin);
                PushResult pushF = f.push().call().iterator().next();
                System.out.println("push-file status " + status(pushF));
                System.out.println("push-file commit " + d.getId().name());
                System.out.println("push-file pack " + (packBytes(origin) - before));
            }

            before = packBytes(g.getRepository().getDirectory());
            FetchResult fetch = g.fetch().setThin(false).call();
            System.out.println("fetch-git refs " + fetch.getTrackingRefUpdates().size());
            System.out.println("fetch-git pack " + (packBytes(g.getRepository().getDirectory()) - before));
        }
    }

    /** A commit adding {@code name} with {@code size} bytes of content that does not compress or delta. */
    private static RevCommit commit(Git git, String name, int size, int seed) throws Exception {
        byte[] content = new byte[size];
        new java.util.Random(seed).nextBytes(content);
        Files.write(new File(git.getRepository().getWorkTree(), name).toPath(), content);
        git.add().addFilepattern(name).call();
        return git.commit().setMessage("add " + name).setAuthor(WHO).setCommitter(WHO).call();
    }

    private static String status(PushResult result) {
        StringBuilder out = new StringBuilder();
        for (RemoteRefUpdate u : result.getRemoteUpdates()) {
            out.append(u.getRemoteName()).append('=').append(u.getStatus()).append(' ');
        }
        return out.toString().trim();
    }

    /** Total size of the {@code .pack} files under {@code gitDir/objects/pack}. */
    private static long packBytes(File gitDir) throws IOException {
        File[] packs = new File(gitDir, "objects/pack").listFiles((d, n) -> n.endsWith(".pack"));
        long total = 0;
        for (File p : packs == null ? new File[0] : packs) {
            total += p.length();
        }
        return total;
    }
}
