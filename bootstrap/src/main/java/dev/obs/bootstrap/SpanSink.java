package dev.obs.bootstrap;

/**
 * Where ended spans go: the exporter's bounded queue. Implemented in the agent's class loader and
 * installed once with {@link Recorder#install}.
 */
public interface SpanSink {
    /**
     * Hands a finished span to the exporter without blocking.
     *
     * @return false when the queue is full; the sink has then counted the drop
     */
    boolean offer(ObsSpan span);
}
