package dev.obs.instrumentation.maven;

import java.util.Collection;
import java.util.List;
import net.bytebuddy.asm.Advice;
import org.eclipse.aether.resolution.MetadataRequest;
import org.eclipse.aether.resolution.MetadataResult;

/** {@code DefaultMetadataResolver.resolveMetadata(session, requests)}: metadata resolution. */
public final class MetadataAdvice {
    private MetadataAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class, inline = false)
    @SuppressWarnings("unchecked")
    public static Object enter(@Advice.Argument(1) Object requests) {
        return ResolutionRecorder.metadataStarted((Collection<? extends MetadataRequest>) requests);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, inline = false)
    @SuppressWarnings("unchecked")
    public static void exit(@Advice.Enter Object resolution, @Advice.Return Object results,
                            @Advice.Thrown Throwable thrown) {
        ResolutionRecorder.metadataEnded((Resolution) resolution, (List<MetadataResult>) results, thrown);
    }
}
