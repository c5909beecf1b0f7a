package dev.obs.instrumentation.maven;

import net.bytebuddy.asm.Advice;
import org.eclipse.aether.RepositoryEvent;

/** {@code DefaultRepositoryEventDispatcher.dispatch(event)}: every repository event, before the listeners. */
public final class RepositoryEventAdvice {
    private RepositoryEventAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class, inline = false)
    public static void enter(@Advice.Argument(0) Object event) {
        ResolutionRecorder.event((RepositoryEvent) event);
    }
}
