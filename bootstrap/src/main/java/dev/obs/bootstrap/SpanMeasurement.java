package dev.obs.bootstrap;

/**
 * What a family measured of one span, handed to {@link Recorder#endSpan(ObsSpan, Throwable, SpanMeasurement)}
 * by the recorder that made the span: the span's duration then goes to the family's own typed series instead
 * of the generic series of its name ({@code dev.obs.exporter.SpanMetrics}). Called once, on the thread that ends the span,
 * before the span is queued; it must not block and must not keep the span.
 */
public interface SpanMeasurement {
    /**
     * @param durationNanos the span's duration
     * @param error         whether the span ended with an exception or an error status
     */
    void record(ObsSpan span, long durationNanos, boolean error);
}
