package dev.obs.instrumentation.maven;

import java.util.Collection;
import net.bytebuddy.asm.Advice;
import org.eclipse.aether.resolution.ArtifactRequest;

/** {@code DefaultArtifactResolver.resolveArtifacts(session, requests)}: artifact resolution. */
public final class ArtifactsAdvice {
    private ArtifactsAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class, inline = false)
    @SuppressWarnings("unchecked")
    public static Object enter(@Advice.Argument(1) Object requests) {
        return ResolutionRecorder.artifactsStarted((Collection<? extends ArtifactRequest>) requests);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, inline = false)
    public static void exit(@Advice.Enter Object resolution, @Advice.Thrown Throwable thrown) {
        ResolutionRecorder.artifactsEnded((Resolution) resolution, thrown);
    }
}
