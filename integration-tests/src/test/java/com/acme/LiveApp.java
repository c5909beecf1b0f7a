package com.acme;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * Git and file work for the live endpoints, then it stays up to be scraped: {@code git init} of
 * {@code <dir>/repo}, {@code <commits>} times a file written there, {@code git add} and {@code git commit} (the operations
 * counted);
 * then {@code <files>} files of {@code <bytes>} bytes written to {@code <dir>/data} and read back. Prints
 * {@code done git <operations> written <bytes> read <bytes>} and sleeps until killed.
 * Usage: {@code LiveApp <dir> <commits> <files> <bytes>}.
 */
public final class LiveApp {
    public static void main(String[] args) throws Exception {
        File dir = new File(args[0]).getAbsoluteFile();
        int commits = Integer.parseInt(args[1]);
        int files = Integer.parseInt(args[2]);
        int bytes = Integer.parseInt(args[3]);
        PersonIdent who = new PersonIdent("obs", "obs@example.com");
        int gitOperations = 0;
        // Git.init() is a static factory, not a porcelain command obs traces: only add and commit are counted
        try (Git git = Git.init().setDirectory(new File(dir, "repo")).call()) {
            for (int i = 0; i < commits; i++) {
                Files.writeString(new File(dir, "repo/f" + i + ".txt").toPath(), "commit " + i + "\n",
                        StandardCharsets.UTF_8);
                git.add().addFilepattern("f" + i + ".txt").call();
                git.commit().setMessage("commit " + i).setAuthor(who).setCommitter(who).call();
                gitOperations += 2;
            }
        }
        File data = new File(dir, "data");
        data.mkdirs();
        byte[] block = new byte[bytes];
        long written = 0;
        long read = 0;
        for (int i = 0; i < files; i++) {
            try (FileOutputStream out = new FileOutputStream(new File(data, "d" + i))) {
                out.write(block);
                written += bytes;
            }
        }
        byte[] buffer = new byte[8192];
        for (int i = 0; i < files; i++) {
            try (FileInputStream in = new FileInputStream(new File(data, "d" + i))) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    read += n;
                }
            }
        }
        System.out.println("done git " + gitOperations + " written " + written + " read " + read);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
