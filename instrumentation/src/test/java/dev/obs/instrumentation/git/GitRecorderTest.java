package dev.obs.instrumentation.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;
import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class GitRecorderTest {
    @AfterEach
    void uninstallRecorder() {
        Recorder.install(null, 1.0); // the recorder is global: no later test records into this one's sink
        Recorder.swapCurrentSpan(null);
    }

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
    void eachWorkTreeIsMaskedForItselfWhenRepositoriesAlternate() {
        String secret = "/srv/token=hunter2/repo";
        String plain = "/srv/plain/repo";
        for (int i = 0; i < 2; i++) {
            assertEquals("/srv/token=****", GitRecorder.maskedWorkTree(secret));
            assertEquals(plain, GitRecorder.maskedWorkTree(plain));
            assertEquals("/srv/token=****", GitRecorder.maskedWorkTree(new String(secret)),
                    "an equal path, not the same");
        }
    }

    @ParameterizedTest
    @CsvSource({
        "git, 127.0.0.1, git",
        "HTTPS, example.com, https",
        "ssh, example.com, ssh",
        "git+ssh, example.com, ssh",
        "file, , file",
        ", , file",
        ", example.com, ssh",
    })
    void protocolFromTheUri(String scheme, String host, String protocol) {
        assertEquals(protocol, GitRecorder.protocol(scheme, host));
    }

    @Test
    void transportSpansAddUpThePacksMovedWhileTheyAreCurrent() {
        List<ObsSpan> queued = new ArrayList<>();
        Recorder.install(queued::add, 1.0);
        GitRecorder.transferred(100, 0, 3, 0);
        assertFalse(GitRecorder.inTransport(), "no current span: nothing to add to");

        ObsSpan fetch = GitRecorder.startTransport(false, "git", "127.0.0.1", -1, "git://127.0.0.1/r.git");
        assertTrue(GitRecorder.inTransport());
        GitRecorder.transferred(100, 0, 3, 0);
        GitRecorder.transferred(20, 0, 1, 0);
        GitRecorder.endTransport(fetch, 2, false, null);
        assertEquals(GitRecorder.TRANSPORT_FETCH, fetch.name);
        assertEquals(2, fetch.spanKind, "CLIENT");
        assertEquals(Map.of(GitRecorder.PROTOCOL, "git", GitRecorder.SERVER_ADDRESS, "127.0.0.1",
                GitRecorder.SERVER_PORT, 9418L, GitRecorder.URL, "git://127.0.0.1/r.git",
                GitRecorder.BYTES_RECEIVED, 120L, GitRecorder.OBJECTS_RECEIVED, 4L, GitRecorder.REFS_UPDATED, 2L),
                attributes(fetch));
        assertFalse(fetch.failed);

        ObsSpan command = GitRecorder.start("org.eclipse.jgit.api.PushCommand", null, null);
        GitRecorder.transferred(0, 50, 0, 2);
        assertEquals(Map.of(), attributes(command), "only a transport span takes the figures");
        ObsSpan push = GitRecorder.startTransport(true, "https", "example.com", 8443,
                "https://bob:s3cret@example.com:8443/r.git");
        GitRecorder.endTransport(push, 0, true, null);
        GitRecorder.end(command, null);
        assertEquals(Map.of(GitRecorder.PROTOCOL, "https", GitRecorder.SERVER_ADDRESS, "example.com",
                GitRecorder.SERVER_PORT, 8443L, GitRecorder.URL, "https://****@example.com:8443/r.git",
                GitRecorder.BYTES_SENT, 0L, GitRecorder.OBJECTS_SENT, 0L, GitRecorder.REFS_UPDATED, 0L),
                attributes(push));
        assertTrue(push.failed, "a rejected ref");
        assertNull(Recorder.currentSpan());

        ObsSpan local = GitRecorder.startTransport(false, null, null, -1, "/srv/r.git");
        GitRecorder.endTransport(local, -1, false, null);
        assertEquals(Map.of(GitRecorder.PROTOCOL, "file", GitRecorder.URL, "/srv/r.git",
                GitRecorder.BYTES_RECEIVED, 0L, GitRecorder.OBJECTS_RECEIVED, 0L), attributes(local));
        assertEquals(List.of(fetch, push, command, local), queued);
    }

    @Test
    void nullSpansAreIgnored() {
        List<ObsSpan> queued = new ArrayList<>();
        Recorder.install(queued::add, 1.0);
        ObsSpan current = GitRecorder.start("org.eclipse.jgit.api.StatusCommand", null, null);

        GitRecorder.url(null, "x");
        GitRecorder.workTree(null, new File("x"));
        GitRecorder.revision(null, "x");
        GitRecorder.outcome(null, "x", false, 1);
        GitRecorder.end(null, new RuntimeException());
        GitRecorder.endTransport(null, 1, true, new RuntimeException());

        assertSame(current, Recorder.currentSpan(), "the current span is neither ended nor replaced");
        assertEquals(Map.of(), attributes(current), "nothing reached the current span");
        assertFalse(current.failed);
        assertEquals(List.of(), queued, "nothing was ended");
        // positive control: the same recorder ends and queues a real span
        GitRecorder.end(current, null);
        assertEquals(List.of(current), queued);
    }

    private static Map<String, Object> attributes(ObsSpan span) {
        Map<String, Object> out = new HashMap<>();
        for (int i = 0; i < span.attributeCount(); i++) {
            out.put(span.attributeKey(i), span.attributeValue(i));
        }
        return out;
    }
}
