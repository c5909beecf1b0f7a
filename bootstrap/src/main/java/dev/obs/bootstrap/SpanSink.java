package dev.obs.bootstrap;

/**
 * Where ended spans go: the exporter's bounded queue. Implemented in the agent's class loader and
 * installed once with {@link Recorder#install}.
 */
public interface SpanSink {
    /**
     * Hands a finished span of an exported trace to the exporter without blocking.
     *
     * @return false when the queue is full; the sink has then counted the drop
     */
    boolean offer(ObsSpan span);

    /**
     * Decides, when a sampled trace starts, whether it is recorded for export: false while the queue is
     * backed up (the trace is shed whole, and counted), so the traces that are delivered are complete.
     */
    default boolean admitTrace() {
        return true;
    }

    /** Counts a span of a shed trace that ended (it is not queued). */
    default void countShedSpan() {
    }
}
