package dev.obs.bootstrap.otel;

import dev.obs.bootstrap.Recorder;

/**
 * The bootstrap's side of joining obs's traces to the program's OpenTelemetry context. {@link #contextInUse}
 * is woven into {@code Context.current()}, whose OpenTelemetry agent copy lives in the boot loader, and
 * {@link Recorder} asks {@link #currentParent} at each root span. Reading the program's (or the agent's)
 * API through method handles is done in the agent's class loader ({@code dev.obs.exporter.otel.OtelContexts}),
 * which premain installs before anything is woven.
 *
 * <p>Cost: with no OpenTelemetry seen, a root span pays one read of a volatile field that stays null;
 * {@code Context.current()} pays a volatile read and a comparison once its class is known.
 */
public final class OtelBridge {
    /** The agent loader's reader of OpenTelemetry contexts. */
    public interface Contexts {
        /** A context class seen in use; true when it settles the question (the agent's, in the boot loader). */
        boolean register(Class<?> contextClass);

        /** The current OpenTelemetry span's context when it is valid, else null. Never throws. */
        Parent currentParent();
    }

    private static volatile Contexts installed;
    /** {@link #installed} once a context class has been registered; null until then. */
    private static volatile Contexts reading;
    /** The context class last registered: its further calls return after one comparison. */
    private static volatile Class<?> lastSeen;
    /** True once the agent's (bootstrap) context is the one read: nothing can replace it. */
    private static volatile boolean settled;

    private OtelBridge() {
    }

    /** Installs the reader (premain, once, before {@code Context.current()} is woven). */
    public static void install(Contexts contexts) {
        installed = contexts;
    }

    /**
     * Woven at the end of {@code Context.current()} (the application's or the agent's): registers the
     * context class the first time. Allocates nothing after that.
     */
    public static void contextInUse(Class<?> contextClass) {
        Contexts c = installed;
        if (settled || contextClass == lastSeen || c == null) {
            return;
        }
        if (c.register(contextClass)) {
            settled = true;
        }
        lastSeen = contextClass;
        reading = c;
    }

    /** The current OpenTelemetry span's context when it is valid, else null (always, until one was seen). */
    public static Parent currentParent() {
        Contexts c = reading;
        return c == null ? null : c.currentParent();
    }

    /** A valid OpenTelemetry span context, as obs keeps ids. */
    public static final class Parent {
        public final long traceIdHigh;
        public final long traceIdLow;
        public final long spanId;
        public final boolean sampled;

        public Parent(long traceIdHigh, long traceIdLow, long spanId, boolean sampled) {
            this.traceIdHigh = traceIdHigh;
            this.traceIdLow = traceIdLow;
            this.spanId = spanId;
            this.sampled = sampled;
        }
    }
}
