package dev.obs.instrumentation.concurrent;

import dev.obs.instrumentation.InstrumentationFamily;
import dev.obs.instrumentation.JavaBaseHook;
import dev.obs.instrumentation.TypeInstrumentation;
import java.util.List;

/**
 * The current span crosses threads: a task submitted to an executor, a {@code CompletableFuture} stage, a
 * fork-join task or a new (virtual) thread runs under the span that was current where it was submitted,
 * so the spans it starts are that span's children. java.base only, woven by obs's own ASM weaver (see
 * {@link ContextInstrumentation}).
 */
public final class ConcurrentFamily implements InstrumentationFamily {
    /** The holders a task handed to an executor under a span is wrapped in. */
    @Override
    public void installRecorder() {
        dev.obs.bootstrap.context.ContextHooks.install(ContextTasks.INSTANCE);
    }
    @Override
    public String name() {
        return "concurrent";
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of();
    }

    @Override
    public List<JavaBaseHook> javaBaseHooks() {
        return ContextInstrumentation.hooks();
    }
}
