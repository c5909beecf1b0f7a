package dev.obs.exporter.otel;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;

/**
 * The W3C Trace Context fields obs hands to what a span talks to: the {@code traceparent} header of an HTTP
 * request (JGit's HTTP transport, docker-java's engine requests) and the {@code TRACEPARENT} variable of a
 * traced subprocess. Only the W3C fields: version {@code 00}, trace id, the span's id, the sampled flag
 * (set when obs exports the span's trace); beside it the {@code tracestate} header / {@code TRACESTATE}
 * variable when the trace's OpenTelemetry parent had a non-empty TraceState ({@link TraceStates}).
 * {@code obs.propagation.enabled=false} switches it off.
 */
public final class W3cTraceContext {
    public static final String HEADER = "traceparent";
    public static final String VARIABLE = "TRACEPARENT";
    public static final String STATE_HEADER = "tracestate";
    public static final String STATE_VARIABLE = "TRACESTATE";
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static volatile boolean enabled = true;

    private W3cTraceContext() {
    }

    /** Sets {@code obs.propagation.enabled} (premain, once). */
    public static void configure(boolean propagation) {
        enabled = propagation;
    }

    /** {@code obs.propagation.enabled}. */
    public static boolean enabled() {
        return enabled;
    }

    /** The traceparent of the thread's current obs span, or null (none, or propagation off). */
    public static String currentTraceparent() {
        return enabled() ? traceparent(Recorder.currentSpan()) : null;
    }

    /** The tracestate of the thread's current obs span's trace, or null (none kept, no span, propagation off). */
    public static String currentTracestate() {
        return enabled() ? tracestate(Recorder.currentSpan()) : null;
    }

    /** The tracestate obs keeps for {@code span}'s trace (its OpenTelemetry parent's), or null. */
    public static String tracestate(ObsSpan span) {
        return span == null ? null : TraceStates.lookup(span.traceIdHigh, span.traceIdLow);
    }

    /** {@code 00-<trace id>-<span id>-<flags>} for {@code span}, or null for null. */
    public static String traceparent(ObsSpan span) {
        return span == null ? null : traceparent(span.traceIdHigh, span.traceIdLow, span.spanId, span.sampled());
    }

    /** {@code 00-<trace id>-<span id>-<flags>}. */
    static String traceparent(long traceIdHigh, long traceIdLow, long spanId, boolean sampled) {
        char[] out = new char[55];
        out[0] = '0';
        out[1] = '0';
        out[2] = '-';
        hex(traceIdHigh, out, 3);
        hex(traceIdLow, out, 19);
        out[35] = '-';
        hex(spanId, out, 36);
        out[52] = '-';
        out[53] = '0';
        out[54] = sampled ? '1' : '0';
        return new String(out);
    }

    private static void hex(long v, char[] out, int at) {
        for (int i = 15; i >= 0; i--) {
            out[at + i] = HEX[(int) (v & 0xF)];
            v >>>= 4;
        }
    }
}
