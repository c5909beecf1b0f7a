package dev.obs.instrumentation.otel;

import dev.obs.instrumentation.InstrumentationFamily;
import dev.obs.instrumentation.TypeInstrumentation;
import java.util.List;

/**
 * The OpenTelemetry context the program already has (the OpenTelemetry Java agent's, or the application's
 * own API and SDK): obs's spans that start with no obs span open become children of its current span (see
 * {@link dev.obs.bootstrap.otel.OtelBridge}, {@link dev.obs.exporter.otel.OtelContexts}). {@code obs.instrumentation.otel.enabled=false} switches it off.
 */
public final class OtelFamily implements InstrumentationFamily {
    /** What the call woven into {@code Context.current()} registers with, and root spans read through. */
    @Override
    public void installRecorder() {
        dev.obs.bootstrap.otel.OtelBridge.install(dev.obs.exporter.otel.OtelContexts.INSTANCE);
    }

    /**
     * An OpenTelemetry agent attached before obs has its context loaded already: no call to weave would tell
     * obs of it in time for the first spans of main.
     */
    @Override
    public void exporterStarted() {
        dev.obs.exporter.otel.OtelContexts.probeAgent();
    }
    @Override
    public String name() {
        return "otel";
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new OtelContextInstrumentation());
    }
}
