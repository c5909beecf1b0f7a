package dev.obs.instrumentation.maven;

import dev.obs.bootstrap.ObsSpan;
import net.bytebuddy.asm.Advice;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.project.MavenProject;

/** {@code LifecycleModuleBuilder.buildProject(session, rootSession, context, project, segment)}: one project. */
public final class ProjectAdvice {
    private ProjectAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class, inline = false)
    public static ObsSpan enter(@Advice.Argument(3) Object project) {
        return MavenBuildRecorder.projectStarted((MavenProject) project);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, inline = false)
    public static void exit(@Advice.Enter ObsSpan span, @Advice.Argument(0) Object session,
                            @Advice.Argument(3) Object project, @Advice.Thrown Throwable thrown) {
        MavenBuildRecorder.projectEnded(span, (MavenSession) session, (MavenProject) project, thrown);
    }
}
