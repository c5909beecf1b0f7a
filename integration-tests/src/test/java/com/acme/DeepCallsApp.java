package com.acme;

/**
 * MooBench's shape: {@code --calls=N} calls of a traced method that recurses {@code --depth=D} deep, so
 * N x D method spans in one burst. With {@code --git=M --dir=path} it then runs M JGit {@code status}
 * commands on a new repository, each after a burst of {@code --between=K} such calls, so the span queue is
 * full when each Git span ends. Prints a checksum so the calls cannot be optimised away.
 */
public final class DeepCallsApp {
    public static void main(String[] args) throws Exception {
        int calls = AppArgs.intArg(args, "calls", 1000);
        int depth = AppArgs.intArg(args, "depth", 10);
        long sum = 0;
        for (int i = 0; i < calls; i++) {
            sum += descend(depth);
        }
        int gitCalls = AppArgs.intArg(args, "git", 0);
        if (gitCalls > 0) {
            sum += GitPart.run(gitCalls, AppArgs.intArg(args, "between", 1000), depth,
                    new java.io.File(AppArgs.stringArg(args, "dir", "repo")));
        }
        System.out.println("checksum " + sum);
    }

    static long descend(int depth) {
        return depth <= 1 ? 1 : 1 + descend(depth - 1);
    }

    /** Apart, so the method-only run needs no JGit on its class path (main's verification never loads it). */
    private static final class GitPart {
        static long run(int gitCalls, int between, int depth, java.io.File dir) throws Exception {
            long sum = 0;
            try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.init().setDirectory(dir).call()) {
                for (int i = 0; i < gitCalls; i++) {
                    for (int j = 0; j < between; j++) {
                        sum += descend(depth);
                    }
                    sum += git.status().call().isClean() ? 1 : 0;
                }
            }
            return sum;
        }
    }
}
