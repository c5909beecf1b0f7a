package dev.obs.agent.sync;

import dev.obs.exporter.sync.SyncRuntime;
import dev.obs.instrumentation.sync.dispatch.SyncDispatch;

/** Joins the advice's dispatch (instrumentation) to the rules' runtime (exporter), which do not see each other. */
public final class SyncHandler implements SyncDispatch.Handler {
    private final SyncRuntime runtime;

    public SyncHandler(SyncRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public void onExit(Class<?> type, String method, Object self, Object[] args, Object returned, Throwable thrown,
                       long startNanos) {
        runtime.onExit(type, method, self, args, returned, thrown, startNanos);
    }
}
