package dev.obs.instrumentation.maven;

import dev.obs.bootstrap.ObsSpan;
import net.bytebuddy.asm.Advice;
import org.apache.maven.execution.MavenExecutionRequest;
import org.apache.maven.execution.MavenExecutionResult;

/** {@code DefaultMaven.execute(request)}: the build. */
public final class BuildAdvice {
    private BuildAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class, inline = false)
    public static ObsSpan enter(@Advice.Argument(0) Object request) {
        return MavenBuildRecorder.buildStarted((MavenExecutionRequest) request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, inline = false)
    public static void exit(@Advice.Enter ObsSpan span, @Advice.Return Object result, @Advice.Thrown Throwable thrown) {
        MavenBuildRecorder.buildEnded(span, (MavenExecutionResult) result, thrown);
    }
}
