package dev.obs.instrumentation.git;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;
import dev.obs.instrumentation.git.sync.GitSync;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the git family's helpers report to {@link GitSync} as sync operations, one per outermost command. */
class GitSyncReportsTest {
    private final List<String> reports = new ArrayList<>();

    @BeforeEach
    void listen() {
        Recorder.install(span -> true, 1.0);
        GitSync.install(new GitSync.Listener() {
            @Override
            public void operation(String operation, String peer, long refsUpdated, long bytesReceived,
                                  long bytesSent, String outcome, Throwable thrown, long startNanos, long endNanos) {
                reports.add(operation + " " + peer + " refs=" + refsUpdated + " received=" + bytesReceived
                        + " sent=" + bytesSent + " " + outcome + (endNanos >= startNanos ? "" : " (time runs back)"));
            }

            @Override
            public void conflicts(String operation, String peer, long count, String[] paths, String ours,
                                  String theirs) {
                reports.add("conflicts " + operation + " " + peer + " " + count + " " + Arrays.toString(paths) + " "
                        + ours + "<-" + theirs);
            }
        });
    }

    @AfterEach
    void stopListening() {
        GitSync.install(null);
    }

    @Test
    void aTransportUsedDirectlyIsAnOperationOfItsOwn() {
        ObsSpan fetch = GitRecorder.startTransport(false, "git", "127.0.0.1", -1, "git://127.0.0.1/r.git");
        GitRecorder.transferred(100, 0, 3, 0);
        GitRecorder.endTransport(fetch, 2, false, null);
        assertEquals(List.of("fetch git://127.0.0.1/r.git refs=2 received=100 sent=0 success"), reports);
    }

    @Test
    void aPullIsOneOperationWithTheFetchItRanAndTheConflictsOfItsMerge() {
        ObsSpan pull = GitRecorder.start("org.eclipse.jgit.api.PullCommand", null, null);
        ObsSpan fetch = GitRecorder.start("org.eclipse.jgit.api.FetchCommand", null, null);
        ObsSpan transport = GitRecorder.startTransport(false, "https", "example.com", -1,
                "https://bob:s3cret@example.com/r.git");
        GitRecorder.transferred(40, 0, 2, 0);
        GitRecorder.endTransport(transport, 1, false, null);
        GitRecorder.url(fetch, "origin");
        GitRecorder.end(fetch, null);
        assertEquals(List.of(), reports, "the fetch is part of the pull");
        ObsSpan merge = GitRecorder.start("org.eclipse.jgit.api.MergeCommand", null, null);
        GitRecorder.conflictPaths(merge, List.of("a.txt"), "main", "branch 'main' of https://example.com/r.git");
        GitRecorder.end(merge, null, GitRecorder.outcome(merge, "CONFLICTING", false, 1));
        GitRecorder.conflictPaths(pull, List.of("a.txt"), "main", "origin/main");
        GitRecorder.end(pull, null, GitRecorder.outcome(pull, "CONFLICTING", false, 1));
        assertEquals(List.of("conflicts pull https://****@example.com/r.git 1 null main<-origin/main",
                "pull https://****@example.com/r.git refs=1 received=40 sent=0 conflicting"), reports);
    }

    @Test
    void aPushThatThrowsIsAnError() {
        ObsSpan push = GitRecorder.start("org.eclipse.jgit.api.PushCommand", null, null);
        GitRecorder.url(push, "https://alice:pw@example.com/r.git");
        GitRecorder.end(push, new IllegalStateException("no route"));
        assertEquals(List.of("push https://****@example.com/r.git refs=0 received=0 sent=0 error"), reports);
    }

    @Test
    void anOperationWhoseEndNeverCameIsDroppedByTheNext() {
        ObsSpan lost = GitRecorder.start("org.eclipse.jgit.api.PushCommand", null, null);
        Recorder.endSpan(lost, null); // its exit advice never ran: the span ended, GitSync was not told
        ObsSpan fetch = GitRecorder.start("org.eclipse.jgit.api.FetchCommand", null, null);
        GitRecorder.url(fetch, "file:///srv/r.git");
        GitRecorder.end(fetch, null);
        assertEquals(List.of("fetch file:///srv/r.git refs=0 received=0 sent=0 success"), reports);
    }
}
