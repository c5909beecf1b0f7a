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
    @Override
    public String name() {
        return "otel";
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new OtelContextInstrumentation());
    }
}
