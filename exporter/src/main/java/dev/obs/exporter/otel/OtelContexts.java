package dev.obs.exporter.otel;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;
import dev.obs.bootstrap.otel.OtelBridge;
import dev.obs.bootstrap.otel.OtelBridge.Parent;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Joins obs's traces to the OpenTelemetry context the program already has: when obs starts a span with no
 * obs span open on the thread, the current OpenTelemetry span (if valid) becomes its parent, and its sampled
 * flag decides whether obs's spans are exported. Its TraceState, when not empty, is kept for the trace in
 * {@link TraceStates} (not in the span) for the {@code tracestate} obs propagates.
 *
 * <p>Which OpenTelemetry: the Java agent keeps its API in the bootstrap loader, relocated under
 * {@code io.opentelemetry.javaagent.shaded.}, and bridges the application's {@code io.opentelemetry.api} to
 * it, so with the agent attached its copy is read (it also sees spans the application made current through
 * its own API). Without the agent, the application's own API is read, from the class loader that loaded
 * {@code io.opentelemetry.context.Context}. obs learns of either when {@code Context.current()} first runs:
 * the otel family weaves a call to {@link OtelBridge#contextInUse} into it, which hands the class to
 * {@link #register} here (and premain calls {@link #probeAgent} for an agent that started before obs).
 * This class lives in the agent's class loader; the bootstrap's {@link OtelBridge} reaches it through
 * {@link OtelBridge.Contexts} ({@link #INSTANCE}, installed by premain). Nothing of OpenTelemetry is loaded by obs;
 * the handles are resolved on the first obs root span after that, on the application's thread, as obs's
 * own work ({@link Recorder#beginObsWork}).
 *
 * <p>Two more things, only where OpenTelemetry is in use: {@link #enterScope}/{@link #exitScope} make an obs
 * span current in the program's OpenTelemetry context (JGit transport spans only: the agent's HTTP spans
 * below become its children), and {@link #runUninstrumented} runs obs's own OTLP export with the agent's
 * instrumentation suppressed, so the agent does not trace obs's exports as the program's HTTP calls.
 *
 * <p>Cost: with no OpenTelemetry, {@link #currentParent} is one read of a volatile field that stays null.
 * With it, seven method-handle calls and a hex parse per obs root span (not per child span); a non-empty
 * TraceState is formatted into {@link TraceStates} once per TraceState object, compared by identity after.
 *
 * <p>Memory ordering: {@link #READER} is an atomic reference; a {@link ContextReader} is
 * immutable but for its resolved handles, written by the one thread that resolves them and published by
 * its state's volatile write (2), which every read checks first (the scope handles likewise by their own
 * state). {@link #suppressInstrumentation} is written before {@link #suppressionResolved}. The scope stack
 * is thread-local: a scope is closed on the thread that opened it, innermost first.
 */
public final class OtelContexts implements OtelBridge.Contexts {
    /** The reader premain installs in {@link OtelBridge}. */
    public static final OtelContexts INSTANCE = new OtelContexts();

    static final String AGENT_PREFIX = otelName("io|opentelemetry|javaagent|shaded|");
    static final String CONTEXT = otelName("io|opentelemetry|context|Context");
    static final String SPAN = otelName("io|opentelemetry|api|trace|Span");
    static final String SPAN_CONTEXT = otelName("io|opentelemetry|api|trace|SpanContext");
    static final String TRACE_FLAGS = otelName("io|opentelemetry|api|trace|TraceFlags");
    static final String TRACE_STATE = otelName("io|opentelemetry|api|trace|TraceState");
    static final String IMPLICIT_KEYED = otelName("io|opentelemetry|context|ImplicitContextKeyed");
    static final String SCOPE = otelName("io|opentelemetry|context|Scope");

    /** Where the agent keeps {@code InstrumentationUtil}: {@code api.impl} in 2.3x, {@code api.internal} before. */
    static final String[] INSTRUMENTATION_UTIL = {otelName("io|opentelemetry|api|impl|InstrumentationUtil"),
            otelName("io|opentelemetry|api|internal|InstrumentationUtil")};
    /** The agent's {@code InstrumentationUtil.suppressInstrumentation(Runnable)}, once resolved. */
    private static volatile MethodHandle suppressInstrumentation;
    private static volatile boolean suppressionResolved;

    /** OpenTelemetry scopes obs opened on this thread, innermost last: {obs span, Scope} pairs. */
    private static final ThreadLocal<java.util.ArrayDeque<Object[]>> SCOPES = new ThreadLocal<>();

    /** Null until an OpenTelemetry context class has been seen in use. */
    private static final AtomicReference<ContextReader> READER = new AtomicReference<>();
    /** True once the agent's (bootstrap) context is the one read: nothing can replace it. */
    private static volatile boolean settled;

    private OtelContexts() {
    }

    /** For an OpenTelemetry agent whose premain ran before obs's: its context class is already loaded. */
    public static void probeAgent() {
        try {
            OtelBridge.contextInUse(Class.forName(AGENT_PREFIX + CONTEXT, false, null));
        } catch (ClassNotFoundException | LinkageError absent) {
            // no agent yet: contextInUse registers it if it starts later
        }
    }

    /** Lock-free (it runs inside the program's {@code Context.current()}); a race registers the same thing twice. */
    @Override
    public boolean register(Class<?> contextClass) {
        ClassLoader loader = contextClass.getClassLoader();
        if (loader == null && contextClass.getName().startsWith(AGENT_PREFIX)) {
            READER.set(new ContextReader(null, AGENT_PREFIX));
            settled = true;
        } else {
            // the first application loader wins; with several, the others' spans are not joined
            READER.compareAndSet(null, new ContextReader(loader, ""));
        }
        return settled;
    }

    /** Whether an OpenTelemetry context has been seen (for tests and the bridge's benchmark). */
    public static boolean active() {
        return READER.get() != null;
    }

    /**
     * The current OpenTelemetry span's context when it is valid, else null. Never throws; null when no
     * OpenTelemetry was seen.
     */
    @Override
    public Parent currentParent() {
        ContextReader r = READER.get();
        return r == null ? null : r.read();
    }

    /**
     * Makes {@code span} (just started and current in obs) the current span of the program's OpenTelemetry
     * context too, until {@link #exitScope}: spans the OpenTelemetry agent starts inside it (an HTTP call
     * of JGit's transport) become its children. Only for spans around library code that never reads
     * {@code Span.current()} itself: code of the program's own would get obs's span, which records nothing.
     * Nothing happens without an OpenTelemetry API in use, or when its handles do not resolve.
     */
    public static void enterScope(ObsSpan span) {
        ContextReader r = READER.get();
        if (r == null || span == null) {
            return;
        }
        Object scope = r.open(span);
        if (scope != null) {
            java.util.ArrayDeque<Object[]> scopes = SCOPES.get();
            if (scopes == null) {
                SCOPES.set(scopes = new java.util.ArrayDeque<>());
            }
            scopes.addLast(new Object[] {span, scope});
        }
    }

    /** Closes the scope {@link #enterScope} opened for {@code span}, on the same thread, before it ends. */
    public static void exitScope(ObsSpan span) {
        java.util.ArrayDeque<Object[]> scopes = SCOPES.get();
        if (scopes == null || scopes.isEmpty() || scopes.peekLast()[0] != span) {
            return; // never opened, or an inner scope was left open: closing this one would restore out of order
        }
        ContextReader r = READER.get();
        Object scope = scopes.removeLast()[1];
        if (r != null) {
            r.close(scope);
        }
    }

    /**
     * Runs {@code work} (an OTLP export on obs's own thread) with the OpenTelemetry agent's instrumentation
     * suppressed, so the agent does not trace obs's exports as HTTP client spans of the program. Without the
     * agent it just runs it. For obs's threads only.
     */
    public static void runUninstrumented(Runnable work) {
        MethodHandle suppress = settled ? agentSuppression() : null;
        if (suppress == null) {
            work.run();
            return;
        }
        try {
            suppress.invokeExact(work);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static MethodHandle agentSuppression() {
        if (!suppressionResolved) {
            for (String name : INSTRUMENTATION_UTIL) {
                try {
                    Class<?> util = Class.forName(AGENT_PREFIX + name, true, null);
                    suppressInstrumentation = MethodHandles.publicLookup().findStatic(util, "suppressInstrumentation",
                            MethodType.methodType(void.class, Runnable.class));
                    break;
                } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                    // not in this agent version: the next name, else its exports are traced as before
                }
            }
            suppressionResolved = true;
        }
        return suppressInstrumentation;
    }

    /**
     * Reads {@code Span.current().getSpanContext()} of one OpenTelemetry API copy through method handles,
     * resolved on first use. States: 0 not resolved, 1 resolving (on one thread; a nested read, from the
     * class loading it causes, returns null), 2 ready, 3 failed (the API is not reachable from that loader,
     * e.g. only {@code opentelemetry-context} is on the class path): reads return null from then on.
     */
    static final class ContextReader {
        private static final MethodType TO_OBJECT = MethodType.methodType(Object.class);
        private final ClassLoader loader;
        private final String prefix;
        private final AtomicInteger state = new AtomicInteger();
        private MethodHandle currentSpanContext;
        private MethodHandle isValid;
        private MethodHandle isSampled;
        private MethodHandle traceId;
        private MethodHandle spanId;
        /** SpanContext -> TraceState, TraceState -> isEmpty, (TraceState, BiConsumer) -> forEach; null if absent. */
        private MethodHandle traceState;
        private MethodHandle traceStateEmpty;
        private MethodHandle traceStateForEach;
        /** (trace hex, span hex, sampled) -> Scope of the current context with that span: see {@link #open}. */
        private final AtomicInteger scopeState = new AtomicInteger();
        private MethodHandle openScope;
        private MethodHandle closeScope;

        ContextReader(ClassLoader loader, String prefix) {
            this.loader = loader;
            this.prefix = prefix;
        }

        Parent read() {
            int s = state.get();
            if (s != 2 && (s != 0 || !resolve())) {
                return null;
            }
            try {
                Object context = (Object) currentSpanContext.invokeExact();
                if (context == null || !(boolean) isValid.invokeExact(context)) {
                    return null;
                }
                String trace = (String) traceId.invokeExact(context);
                String span = (String) spanId.invokeExact(context);
                if (trace.length() != 32 || span.length() != 16) {
                    return null;
                }
                Parent parent = new Parent(hex(trace, 0), hex(trace, 16), hex(span, 0),
                        (boolean) isSampled.invokeExact(context));
                if (traceState != null) {
                    try {
                        keepTraceState(parent, (Object) traceState.invokeExact(context));
                    } catch (Throwable t) {
                        // the parent is joined all the same; its tracestate is not propagated
                    }
                }
                return parent;
            } catch (Throwable t) {
                return null;
            }
        }

        /**
         * Keeps the parent's non-empty TraceState as its trace's {@code tracestate} ({@link TraceStates}),
         * formatted once per TraceState object: obs's later root spans under the same parent only compare.
         */
        private void keepTraceState(Parent parent, Object state) throws Throwable {
            if (state == null || (boolean) traceStateEmpty.invokeExact(state)
                    || TraceStates.known(parent.traceIdHigh, parent.traceIdLow, state)) {
                return;
            }
            boolean wasSuppressed = Recorder.beginObsWork();
            try {
                TraceStates.Formatter members = new TraceStates.Formatter();
                traceStateForEach.invokeExact(state, (java.util.function.BiConsumer<String, String>) members);
                TraceStates.remember(parent.traceIdHigh, parent.traceIdLow, state, members.header());
            } finally {
                Recorder.endObsWork(wasSuppressed);
            }
        }

        /** The thread that moves the state from 0 resolves; others read null meanwhile (never wait). */
        private boolean resolve() {
            if (!state.compareAndSet(0, 1)) {
                return false;
            }
            boolean wasSuppressed = Recorder.beginObsWork();
            try {
                Class<?> span = Class.forName(prefix + SPAN, true, loader);
                Class<?> spanContext = Class.forName(prefix + SPAN_CONTEXT, true, loader);
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                MethodHandle current = lookup.findStatic(span, "current", MethodType.methodType(span));
                MethodHandle getSpanContext = lookup.findVirtual(span, "getSpanContext",
                        MethodType.methodType(spanContext));
                currentSpanContext = MethodHandles.filterReturnValue(current, getSpanContext).asType(TO_OBJECT);
                isValid = booleanGetter(lookup, spanContext, "isValid");
                isSampled = booleanGetter(lookup, spanContext, "isSampled");
                traceId = stringGetter(lookup, spanContext, "getTraceId");
                spanId = stringGetter(lookup, spanContext, "getSpanId");
                resolveTraceState(lookup, spanContext);
                state.set(2); // publishes the handles written above
                return true;
            } catch (Throwable t) {
                state.set(3);
                return false;
            } finally {
                Recorder.endObsWork(wasSuppressed);
            }
        }

        /** The TraceState handles, or none (the parent's ids are joined all the same, without tracestate). */
        private void resolveTraceState(MethodHandles.Lookup lookup, Class<?> spanContext) {
            try {
                Class<?> stateClass = Class.forName(prefix + TRACE_STATE, true, loader);
                MethodHandle get = lookup.findVirtual(spanContext, "getTraceState", MethodType.methodType(stateClass))
                        .asType(MethodType.methodType(Object.class, Object.class));
                MethodHandle empty = booleanGetter(lookup, stateClass, "isEmpty");
                MethodHandle forEach = lookup.findVirtual(stateClass, "forEach",
                        MethodType.methodType(void.class, java.util.function.BiConsumer.class))
                        .asType(MethodType.methodType(void.class, Object.class, java.util.function.BiConsumer.class));
                traceStateEmpty = empty;
                traceStateForEach = forEach;
                traceState = get; // last: read() checks it, and the state's volatile write publishes all three
            } catch (Throwable t) {
                traceState = null;
            }
        }

        /**
         * {@code Context.current().with(Span.wrap(SpanContext.create(trace, span, flags,
         * TraceState.getDefault()))).makeCurrent()}, or null.
         */
        Object open(ObsSpan span) {
            int s = scopeState.get();
            if (s != 2 && (s != 0 || !resolveScope())) {
                return null;
            }
            String traceparent = W3cTraceContext.traceparent(span);
            try {
                return (Object) openScope.invokeExact(traceparent.substring(3, 35), traceparent.substring(36, 52),
                        span.sampled());
            } catch (Throwable t) {
                return null;
            }
        }

        void close(Object scope) {
            try {
                closeScope.invokeExact(scope);
            } catch (Throwable ignored) {
                // the program's context storage refused: nothing obs can do about it
            }
        }

        private boolean resolveScope() {
            if (state.get() != 2 || !scopeState.compareAndSet(0, 1)) {
                return false;
            }
            boolean wasSuppressed = Recorder.beginObsWork();
            try {
                Class<?> context = Class.forName(prefix + CONTEXT, true, loader);
                Class<?> span = Class.forName(prefix + SPAN, true, loader);
                Class<?> spanContext = Class.forName(prefix + SPAN_CONTEXT, true, loader);
                Class<?> flags = Class.forName(prefix + TRACE_FLAGS, true, loader);
                Class<?> traceState = Class.forName(prefix + TRACE_STATE, true, loader);
                Class<?> keyed = Class.forName(prefix + IMPLICIT_KEYED, true, loader);
                Class<?> scope = Class.forName(prefix + SCOPE, true, loader);
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                MethodHandle create = lookup.findStatic(spanContext, "create",
                        MethodType.methodType(spanContext, String.class, String.class, flags, traceState));
                // sampled -> TraceFlags
                MethodHandle sampledFlags = MethodHandles.guardWithTest(
                        MethodHandles.identity(boolean.class),
                        MethodHandles.dropArguments(lookup.findStatic(flags, "getSampled", MethodType.methodType(flags)),
                                0, boolean.class),
                        MethodHandles.dropArguments(lookup.findStatic(flags, "getDefault", MethodType.methodType(flags)),
                                0, boolean.class));
                MethodHandle defaultState = lookup.findStatic(traceState, "getDefault", MethodType.methodType(traceState));
                // (trace, span, sampled) -> SpanContext
                MethodHandle spanContextOf = MethodHandles.filterArguments(
                        MethodHandles.foldArguments(create, 3, defaultState), 2, sampledFlags);
                MethodHandle wrap = lookup.findStatic(span, "wrap", MethodType.methodType(span, spanContext));
                MethodHandle with = lookup.findVirtual(context, "with", MethodType.methodType(context, keyed))
                        .asType(MethodType.methodType(context, context, span));
                MethodHandle current = lookup.findStatic(context, "current", MethodType.methodType(context));
                MethodHandle makeCurrent = lookup.findVirtual(context, "makeCurrent", MethodType.methodType(scope));
                // (trace, span, sampled) -> Span -> Context.current().with(span)
                MethodHandle spanOf = MethodHandles.filterReturnValue(spanContextOf, wrap);
                MethodHandle contextOf = MethodHandles.filterReturnValue(spanOf, MethodHandles.foldArguments(with, current));
                openScope = MethodHandles.filterReturnValue(contextOf, makeCurrent)
                        .asType(MethodType.methodType(Object.class, String.class, String.class, boolean.class));
                closeScope = lookup.findVirtual(scope, "close", MethodType.methodType(void.class))
                        .asType(MethodType.methodType(void.class, Object.class));
                scopeState.set(2);
                return true;
            } catch (Throwable t) {
                scopeState.set(3);
                return false;
            } finally {
                Recorder.endObsWork(wasSuppressed);
            }
        }

        private static MethodHandle booleanGetter(MethodHandles.Lookup lookup, Class<?> type, String name)
                throws ReflectiveOperationException {
            return lookup.findVirtual(type, name, MethodType.methodType(boolean.class))
                    .asType(MethodType.methodType(boolean.class, Object.class));
        }

        private static MethodHandle stringGetter(MethodHandles.Lookup lookup, Class<?> type, String name)
                throws ReflectiveOperationException {
            return lookup.findVirtual(type, name, MethodType.methodType(String.class))
                    .asType(MethodType.methodType(String.class, Object.class));
        }
    }

    /**
     * An OpenTelemetry class name written with {@code |} for its dots: obs.jar relocates its own copy of
     * OpenTelemetry, and the shade plugin rewrites every string constant that looks like one of its names;
     * these must stay the program's names.
     */
    public static String otelName(String barred) {
        return barred.replace('|', '.');
    }

    /** 16 lowercase or uppercase hex digits of {@code s} from {@code from} as a long. */
    static long hex(String s, int from) {
        long v = 0;
        for (int i = from; i < from + 16; i++) {
            v = (v << 4) | Character.digit(s.charAt(i), 16);
        }
        return v;
    }
}
