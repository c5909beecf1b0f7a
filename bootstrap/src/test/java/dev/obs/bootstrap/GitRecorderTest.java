package dev.obs.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class GitRecorderTest {
    @ParameterizedTest
    @CsvSource({
        "org.eclipse.jgit.api.PullCommand, git pull",
        "org.eclipse.jgit.api.CloneCommand, git clone",
        "org.eclipse.jgit.api.CommitCommand, git commit",
        "org.eclipse.jgit.api.RmCommand, git rm",
        "org.eclipse.jgit.api.CreateBranchCommand, git branch create",
        "org.eclipse.jgit.api.DeleteBranchCommand, git branch delete",
        "org.eclipse.jgit.api.ListBranchCommand, git branch list",
        "org.eclipse.jgit.api.StashCreateCommand, git stash",
        "org.eclipse.jgit.api.StashApplyCommand, git stash apply",
        "org.eclipse.jgit.api.GarbageCollectCommand, git gc",
        "org.eclipse.jgit.api.LsRemoteCommand, git ls-remote",
        "org.eclipse.jgit.api.ListTagCommand, git tag list",
        "org.eclipse.jgit.api.TagCommand, git tag",
        "org.eclipse.jgit.api.CherryPickCommand, git cherry-pick",
        "org.eclipse.jgit.api.SubmoduleUpdateCommand, git submodule update",
        "org.eclipse.jgit.api.RemoteSetUrlCommand, git remote set-url",
        "org.eclipse.jgit.api.ReflogCommand, git reflog",
        "org.eclipse.jgit.api.SomeNewThingCommand, git some-new-thing",
    })
    void spanNamesFollowGit(String commandClass, String spanName) {
        assertEquals(spanName, GitRecorder.spanName(commandClass));
        assertSame(GitRecorder.spanName(commandClass), GitRecorder.spanName(commandClass), "computed once");
    }

    @Test
    void attributesAreMaskedAndAnUnsuccessfulOutcomeFails() {
        List<ObsSpan> queued = new ArrayList<>();
        Recorder.install(queued::add, 1.0);
        ObsSpan span = GitRecorder.start("org.eclipse.jgit.api.MergeCommand", new File("/repo/a"), null);
        GitRecorder.url(span, "https://alice:s3cret@example.com/x.git");
        GitRecorder.outcome(span, "CONFLICTING", false, 2);
        GitRecorder.end(span, null);
        assertNull(Recorder.currentSpan());
        assertEquals(List.of(span), queued);
        assertEquals("git merge", span.name);
        Map<String, Object> attributes = attributes(span);
        assertEquals("/repo/a", attributes.get(GitRecorder.WORK_TREE));
        assertEquals("https://****@example.com/x.git", attributes.get(GitRecorder.URL));
        assertEquals("CONFLICTING", attributes.get(GitRecorder.OUTCOME));
        assertEquals(2L, attributes.get(GitRecorder.CONFLICTS));
        assertTrue(span.failed);

        ObsSpan ok = GitRecorder.start("org.eclipse.jgit.api.CommitCommand", null, null);
        GitRecorder.revision(ok, "8feb13582d2a64cec9ba07d661c4b31de7560e48");
        GitRecorder.outcome(ok, null, true, -1);
        GitRecorder.end(ok, null);
        assertEquals(Map.of(GitRecorder.REVISION, "8feb13582d2a64cec9ba07d661c4b31de7560e48"), attributes(ok));
        assertFalse(ok.failed);
    }

    @Test
    void nullSpansAreIgnored() {
        GitRecorder.url(null, "x");
        GitRecorder.workTree(null, new File("x"));
        GitRecorder.revision(null, "x");
        GitRecorder.outcome(null, "x", false, 1);
        GitRecorder.end(null, new RuntimeException());
    }

    private static Map<String, Object> attributes(ObsSpan span) {
        Map<String, Object> out = new HashMap<>();
        for (int i = 0; i < span.attributeCount(); i++) {
            out.put(span.attributeKey(i), span.attributeValue(i));
        }
        return out;
    }
}
