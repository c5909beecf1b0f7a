package dev.obs.instrumentation.git;

import java.lang.reflect.Field;
import java.util.List;
import org.eclipse.jgit.api.GitCommand;
import org.eclipse.jgit.api.MergeCommand;
import org.eclipse.jgit.api.MergeResult;
import org.eclipse.jgit.api.PullResult;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;

/**
 * Between which branches a merge, pull or rebase conflicted, for Git's sync conflicts: the branch merged
 * into (the repository's current branch) and what was merged into it. Read only when there were conflicts;
 * any failure gives null (the names are left out, the conflicts still count).
 */
final class GitBranches {
    /** {@code MergeCommand}'s private list of what {@code include(...)} added; JGit has no getter for it. */
    private static volatile Field mergeCommits;
    private static volatile boolean mergeCommitsMissing;

    private GitBranches() {
    }

    /** The current branch's short name ({@code main}), or a commit id when HEAD is detached; null on failure. */
    static String current(Object command) {
        try {
            Repository r = ((GitCommand<?>) command).getRepository();
            return r == null ? null : r.getBranch();
        } catch (Throwable e) {
            return null;
        }
    }

    /** The ref merged ({@code origin/main}), else the first merged commit's id; null when unknown. */
    static String merged(MergeCommand command, MergeResult result) {
        try {
            Field f = mergeCommits();
            if (f != null && f.get(command) instanceof List<?> commits && !commits.isEmpty()
                    && commits.get(0) instanceof Ref ref) {
                return Repository.shortenRefName(ref.getName());
            }
            ObjectId[] merged = result.getMergedCommits();
            return merged != null && merged.length > 1 && merged[1] != null ? merged[1].name() : null;
        } catch (Throwable e) {
            return null;
        }
    }

    /** The remote branch a pull merged: {@code <remote>/<branch.X.merge>} from the repository's config. */
    static String pulled(Object command, PullResult result) {
        try {
            Repository r = ((GitCommand<?>) command).getRepository();
            String branch = r.getBranch();
            String merge = r.getConfig().getString("branch", branch, "merge");
            String remote = result.getFetchedFrom();
            if (merge == null) {
                return remote;
            }
            String shortName = Repository.shortenRefName(merge);
            return remote == null || remote.isEmpty() || remote.equals(".") ? shortName : remote + "/" + shortName;
        } catch (Throwable e) {
            return null;
        }
    }

    private static Field mergeCommits() {
        Field f = mergeCommits;
        if (f != null || mergeCommitsMissing) {
            return f;
        }
        try {
            f = MergeCommand.class.getDeclaredField("commits");
            f.setAccessible(true);
            mergeCommits = f;
            return f;
        } catch (Throwable e) {
            mergeCommitsMissing = true;
            return null;
        }
    }
}
