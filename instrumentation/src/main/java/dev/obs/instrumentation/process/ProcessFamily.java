package dev.obs.instrumentation.process;

import dev.obs.instrumentation.InstrumentationFamily;
import dev.obs.instrumentation.JavaBaseHook;
import dev.obs.instrumentation.TypeInstrumentation;
import java.util.List;

/**
 * Subprocesses: spans for the executables configured in {@code obs.process.traced} (git, docker, podman by
 * default), a count by executable for all.
 */
public final class ProcessFamily implements InstrumentationFamily {
    @Override
    public String name() {
        return "process";
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of();
    }

    @Override
    public List<JavaBaseHook> javaBaseHooks() {
        return ProcessStartInstrumentation.hooks();
    }
}
