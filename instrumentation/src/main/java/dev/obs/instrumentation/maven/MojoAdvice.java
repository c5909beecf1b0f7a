package dev.obs.instrumentation.maven;

import net.bytebuddy.asm.Advice;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;

/** {@code MojoExecutor.execute(session, mojoExecution, ...)}: one mojo execution, its dependency resolution in it. */
public final class MojoAdvice {
    private MojoAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class, inline = false)
    public static Object enter(@Advice.Argument(0) Object session, @Advice.Argument(1) Object execution) {
        return MavenBuildRecorder.mojoStarted((MavenSession) session, (MojoExecution) execution);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, inline = false)
    public static void exit(@Advice.Enter Object frame, @Advice.Thrown Throwable thrown) {
        MavenBuildRecorder.mojoEnded((MavenBuildRecorder.MojoFrame) frame, thrown);
    }
}
