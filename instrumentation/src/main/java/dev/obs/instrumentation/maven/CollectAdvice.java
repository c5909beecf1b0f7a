package dev.obs.instrumentation.maven;

import net.bytebuddy.asm.Advice;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.collection.CollectResult;

/** {@code DefaultDependencyCollector.collectDependencies(session, request)}: dependency collection. */
public final class CollectAdvice {
    private CollectAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class, inline = false)
    public static Object enter(@Advice.Argument(1) Object request) {
        return ResolutionRecorder.collectStarted((CollectRequest) request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, inline = false)
    public static void exit(@Advice.Enter Object resolution, @Advice.Return Object result,
                            @Advice.Thrown Throwable thrown) {
        ResolutionRecorder.collectEnded((Resolution) resolution, (CollectResult) result, thrown);
    }
}
