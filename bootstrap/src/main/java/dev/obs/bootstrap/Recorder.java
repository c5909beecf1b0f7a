package dev.obs.bootstrap;

import dev.obs.bootstrap.otel.OtelBridge;

/**
 * The facade advice calls. Every method is safe to call from any thread and class loader, never blocks,
 * and never throws to its caller on purpose (advice also suppresses Throwable).
 *
 * <p>Spans: {@link #startMethodSpan}/{@link #startSpan} make the new span current on the thread;
 * {@link #endSpan} restores the previous one, adds the span's duration to its operation's exact series
 * ({@code dev.obs.exporter.SpanMetrics}: counted whether or not the span is kept) and queues the span. Whether a trace is
 * exported is decided once, at its root: by the sampler, and by the sink, which sheds whole traces while its
 * queue is backed up; the children follow their root. A span started with no obs span open joins the
 * program's current OpenTelemetry span when there is one ({@link OtelBridge}): same trace, that span as
 * parent, its sampled flag instead of obs's sampler.
 */
public final class Recorder {
    private static volatile SpanSink sink;
    /** Roots whose trace id's low 63 bits fall below this are sampled (OTel TraceIdRatioBased rule). */
    private static volatile long sampleBound = Long.MAX_VALUE;
    private static volatile boolean sampleAll = true;
    /** False only in the benchmark that measures the span path without the metric path. */
    private static volatile boolean spanMetrics = true;
    /** The series of spans that bring no measurement of their own (the exporter's SpanMetrics), or null. */
    private static volatile SpanMeasurement ofSpans;

    private Recorder() {
    }

    /**
     * Connects the exporter's queue: spans are recorded from here on, sampled as {@link BootstrapSettings}
     * says. Called once by the agent, once the exporter exists.
     */
    public static void install(SpanSink spanSink) {
        sink = spanSink;
    }

    /** Installs what measures a span that brings no measurement of its own to its end (the agent, once). */
    public static void measureSpansWith(SpanMeasurement measurement) {
        ofSpans = measurement;
    }

    /** The sampling ratio of {@link BootstrapSettings#install}. */
    static void sampleRatio(double ratio) {
        sampleAll = ratio >= 1.0;
        sampleBound = ratio <= 0.0 ? 0L : (long) (ratio * Long.MAX_VALUE);
    }

    /**
     * As {@link #install(SpanSink)} with the sampling ratio {@code ratio}, 0 to 1: for unit tests and
     * benchmarks, which have no agent.
     */
    public static void install(SpanSink spanSink, double ratio) {
        install(spanSink, ratio, true);
    }

    /**
     * As {@link #install(SpanSink, double)}; {@code metricsOfSpans=false} leaves out the metric path of
     * ended spans ({@code SpanMetrics}), for the benchmark that measures what that path costs.
     */
    public static void install(SpanSink spanSink, double ratio, boolean metricsOfSpans) {
        spanMetrics = metricsOfSpans;
        sampleRatio(ratio);
        sink = spanSink;
    }

    /** Starts a span for a configured method and makes it current. Returns null when not recording. */
    public static ObsSpan startMethodSpan(String namespace, String function) {
        return start(ObsSpan.ORIGIN_METHOD, namespace, function);
    }

    /** Starts a library span named {@code name} and makes it current. Returns null when not recording. */
    public static ObsSpan startSpan(String name) {
        return start(ObsSpan.ORIGIN_LIBRARY, name, null);
    }

    /**
     * Starts a library span that is a child of the current span but does not become current: for an
     * operation that ends on another thread (a subprocess, a stream). End it with {@link #endDetachedSpan}.
     */
    public static ObsSpan startDetachedSpan(String name) {
        return sink == null ? null : startSpanAt(name, System.nanoTime());
    }

    /** Ends a span from {@link #startDetachedSpan}, on any thread, and queues it. */
    public static void endDetachedSpan(ObsSpan span, Throwable error) {
        endDetachedSpan(span, error, null);
    }

    /**
     * As {@link #endDetachedSpan(ObsSpan, Throwable)}, the duration going to what the family measured
     * ({@code measured}, null: the generic series of the span's name).
     */
    public static void endDetachedSpan(ObsSpan span, Throwable error, SpanMeasurement measured) {
        if (span == null) {
            return;
        }
        span.endNanos = System.nanoTime();
        if (error != null) {
            recordError(span, error);
        }
        measure(span, measured);
        enqueue(span);
    }

    /**
     * Starts a span that happened elsewhere (a region a child process reported) as a child of
     * {@code parent}, at {@code startNanos} on the {@link System#nanoTime()} scale; it is not current.
     * End it with {@link #endSpanAt}. Returns null when not recording.
     */
    public static ObsSpan startChildSpanAt(ObsSpan parent, String name, long startNanos) {
        if (sink == null || parent == null) {
            return null;
        }
        long spanId = ThreadState.get().nextId();
        return new ObsSpan(parent.traceIdHigh, parent.traceIdLow, spanId, parent.spanId, parent.decision,
                ObsSpan.ORIGIN_LIBRARY, name, null, startNanos, null);
    }

    /** Ends a span from {@link #startChildSpanAt} at {@code endNanos} and queues it. */
    public static void endSpanAt(ObsSpan span, long endNanos) {
        if (span == null) {
            return;
        }
        span.endNanos = endNanos;
        measure(span, null);
        enqueue(span);
    }

    /** The metric path of an ended span: the family's own measurement, else the series of its name. */
    private static void measure(ObsSpan span, SpanMeasurement measured) {
        if (!spanMetrics) {
            return;
        }
        boolean error = span.errorType != null || span.failed;
        // two call sites, so the generic one stays monomorphic (the span metrics) when families hand their own
        if (measured != null) {
            measured.record(span, span.endNanos - span.startNanos, error);
        } else if (ofSpans != null) { // set once at premain, before anything is woven
            ofSpans.record(span, span.endNanos - span.startNanos, error);
        }
    }

    /**
     * Queues a span of an exported trace; a span of a shed trace is only counted, and one of an unsampled
     * trace goes nowhere (its duration metrics do not come from the span).
     */
    private static void enqueue(ObsSpan span) {
        SpanSink s = sink;
        if (s == null) {
            return;
        }
        if (span.decision == ObsSpan.EXPORTED) {
            s.offer(span);
        } else if (span.decision == ObsSpan.SHED) {
            s.countShedSpan();
        }
    }

    /**
     * Starts a library span that began at {@code startNanos} ({@link System#nanoTime()} scale) as a child of
     * the current span, without making it current: for an operation noticed only once it has ended (a slow
     * file read). End it with {@link #endSpanAt}. Returns null when not recording.
     */
    public static ObsSpan startSpanAt(String name, long startNanos) {
        ThreadState state = sink == null ? null : ThreadState.get();
        if (state == null || state.suppressed) {
            return null;
        }
        ObsSpan current = state.current;
        ObsSpan span = start(state, ObsSpan.ORIGIN_LIBRARY, name, null, startNanos);
        state.current = current;
        return span;
    }

    private static ObsSpan start(byte origin, String name, String function) {
        ThreadState state = sink == null ? null : ThreadState.get();
        return state == null || state.suppressed ? null : start(state, origin, name, function, System.nanoTime());
    }

    private static ObsSpan start(ThreadState state, byte origin, String name, String function, long startNanos) {
        ObsSpan parent = state.current;
        long spanId = state.nextId();
        ObsSpan span;
        OtelBridge.Parent otel;
        if (parent == null && (otel = OtelBridge.currentParent()) != null) {
            // the program's OpenTelemetry span is open: obs's spans join its trace and follow its sampling
            span = new ObsSpan(otel.traceIdHigh, otel.traceIdLow, spanId, otel.spanId,
                    rootDecision(otel.sampled), origin, name, function, startNanos, null);
        } else if (parent == null) {
            long low = state.nextId();
            boolean sampled = sampleAll || (low & Long.MAX_VALUE) < sampleBound;
            span = new ObsSpan(state.nextId(), low, spanId, 0L, rootDecision(sampled), origin, name, function,
                    startNanos, null);
        } else {
            span = new ObsSpan(parent.traceIdHigh, parent.traceIdLow, spanId, parent.spanId, parent.decision,
                    origin, name, function, startNanos, parent);
        }
        state.current = span;
        return span;
    }

    /** The whole trace is shed here, at its (local) root, so that no trace is delivered with holes. */
    private static byte rootDecision(boolean sampled) {
        SpanSink s = sink;
        return !sampled ? ObsSpan.UNSAMPLED : s != null && !s.admitTrace() ? ObsSpan.SHED : ObsSpan.EXPORTED;
    }

    /**
     * Ends a span started on this thread: records the outcome, restores the previous current span and
     * queues it for export. A null span (not recording) is ignored.
     *
     * @param error the exception the operation threw, or null
     */
    public static void endSpan(ObsSpan span, Throwable error) {
        endSpan(span, error, null);
    }

    /**
     * As {@link #endSpan(ObsSpan, Throwable)}, the duration going to what the family measured
     * ({@code measured}, null: the generic series of the span's name).
     */
    public static void endSpan(ObsSpan span, Throwable error, SpanMeasurement measured) {
        if (span == null) {
            return;
        }
        span.endNanos = System.nanoTime();
        if (error != null) {
            recordError(span, error);
        }
        measure(span, measured);
        ThreadState state = ThreadState.get();
        if (state.current == span) {
            state.current = span.previous;
        }
        enqueue(span);
    }

    /** Records the exception type and its masked message on the span. */
    public static void recordError(ObsSpan span, Throwable error) {
        span.errorType = error.getClass().getName();
        String message = error.getMessage();
        span.errorMessage = message == null ? null : SecretMasker.mask(message);
    }

    /**
     * The span stops being current on this thread without ending: something else (a stream's own thread)
     * ends it later with {@link #endDetachedSpan}. Nothing when it is not the current span.
     */
    public static void leaveSpan(ObsSpan span) {
        ThreadState state = ThreadState.get();
        if (span != null && state.current == span) {
            state.current = span.previous;
        }
    }

    /** The innermost span open on this thread, or null. */
    public static ObsSpan currentSpan() {
        return ThreadState.get().current;
    }

    /**
     * The span a task handed to another thread now should run under: the current span, or null when obs is
     * not recording, none is open, or the thread is obs's own (its tasks carry nothing).
     */
    public static ObsSpan spanToPropagate() {
        if (sink == null) {
            return null;
        }
        ThreadState state = ThreadState.get();
        return state.suppressed ? null : state.current;
    }

    /**
     * Makes {@code span} (null: none) the current span of this thread, for a task that runs on behalf of the
     * thread that submitted it; returns the span current before, to put back when the task is done.
     */
    public static ObsSpan swapCurrentSpan(ObsSpan span) {
        ThreadState state = ThreadState.get();
        ObsSpan previous = state.current;
        state.current = span;
        return previous;
    }

    /**
     * As {@link #swapCurrentSpan}, for a task a pool worker took or a thread's run: the span is remembered as
     * carried, so that {@link #dropCarriedSpan} drops it before the worker's next task.
     */
    public static ObsSpan carrySpan(ObsSpan span) {
        ThreadState state = ThreadState.get();
        ObsSpan previous = state.current;
        state.current = span;
        state.carried = span;
        return previous;
    }

    /**
     * A pool worker asks for its next task: the span {@link #carrySpan} made current for the previous one
     * goes, if it is still the current one (a span the worker's own code opened is left alone).
     */
    public static void dropCarriedSpan() {
        ThreadState state = ThreadState.get();
        ObsSpan carried = state.carried;
        if (carried != null) {
            if (state.current == carried) {
                state.current = null;
            }
            state.carried = null;
        }
    }

    /**
     * Marks the calling thread as obs's own: nothing it does is recorded, so the exporter's own I/O never
     * recurses into the recorder.
     */
    public static void suppressCurrentThread() {
        ThreadState.get().suppressed = true;
    }

    /**
     * Marks the calling thread as running obs's own code (weaving a class on the thread that loads it) until
     * {@link #endObsWork(boolean)}: its file reads are obs's, not the application's.
     *
     * @return what to pass to {@code endObsWork}
     */
    public static boolean beginObsWork() {
        ThreadState s = ThreadState.get();
        boolean was = s.suppressed;
        s.suppressed = true;
        return was;
    }

    /** Ends {@link #beginObsWork()}, restoring the thread's earlier state. */
    public static void endObsWork(boolean wasSuppressed) {
        ThreadState.get().suppressed = wasSuppressed;
    }
}
