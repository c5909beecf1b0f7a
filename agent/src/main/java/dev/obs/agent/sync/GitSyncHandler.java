package dev.obs.agent.sync;

import dev.obs.exporter.sync.SyncRecorder;
import dev.obs.instrumentation.git.sync.GitSync;

/**
 * Joins the git family's sync reports (instrumentation) to a sync recorder of service {@code git} (exporter):
 * a fetch or pull moves bytes received, a push bytes sent; the refs it updated are its records.
 */
public final class GitSyncHandler implements GitSync.Listener {
    private final SyncRecorder recorder;
    private final SyncRecorder.SeriesCache lastSeries = new SyncRecorder.SeriesCache();

    public GitSyncHandler(SyncRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public void operation(String operation, String peer, long refsUpdated, long bytesReceived, long bytesSent,
                          String outcome, Throwable thrown, long startNanos, long endNanos) {
        boolean push = operation.equals("push");
        recorder.operation(lastSeries, operation, peer.isEmpty() ? null : peer, null, refsUpdated,
                push ? bytesSent : bytesReceived, push ? "sent" : "received", outcome, thrown, null, startNanos,
                endNanos);
    }

    @Override
    public void conflicts(String operation, String peer, long count, String[] paths, String ours, String theirs) {
        recorder.conflicts(operation, peer, count, paths, ours, theirs);
    }
}
