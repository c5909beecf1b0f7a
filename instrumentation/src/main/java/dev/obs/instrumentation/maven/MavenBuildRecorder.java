package dev.obs.instrumentation.maven;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;
import dev.obs.exporter.maven.DependencyStatistics;
import org.apache.maven.execution.BuildFailure;
import org.apache.maven.execution.MavenExecutionRequest;
import org.apache.maven.execution.MavenExecutionResult;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.descriptor.MojoDescriptor;
import org.apache.maven.project.MavenProject;

/**
 * The build, project and mojo spans, and {@code maven.mojo.duration}. Called by the advice in Maven's core
 * realm; one copy of this class per Maven class loader.
 */
final class MavenBuildRecorder {
    static final String BUILD = "maven build";
    static final String PROJECT = "maven project ";
    static final String GOALS = "maven.goals";
    static final String PLUGIN = "maven.plugin";
    static final String PLUGIN_VERSION = "maven.plugin.version";
    static final String GOAL = "maven.goal";
    static final String EXECUTION_ID = "maven.execution.id";
    static final String MAVEN_PROJECT = "maven.project";

    /**
     * The mojo execution whose span is open on this thread: Maven 3.9's {@code MojoExecutor.execute} with five
     * arguments calls the one with four, both woven; the inner call of the same execution opens no span.
     */
    private static final ThreadLocal<MojoExecution> INNERMOST_MOJO = new ThreadLocal<>();

    /** What {@link #mojoStarted} hands to {@link #mojoEnded}; null when the call opened no span. */
    static final class MojoFrame {
        final ObsSpan span;
        final MojoExecution execution;
        final MojoExecution outer;
        final long startNanos = System.nanoTime();

        MojoFrame(ObsSpan span, MojoExecution execution, MojoExecution outer) {
            this.span = span;
            this.execution = execution;
            this.outer = outer;
        }
    }

    private MavenBuildRecorder() {
    }

    static ObsSpan buildStarted(MavenExecutionRequest request) {
        ObsSpan span = Recorder.startSpan(BUILD);
        if (span != null && request != null && request.getGoals() != null) {
            span.setAttribute(GOALS, String.join(" ", request.getGoals()));
        }
        return span;
    }

    static void buildEnded(ObsSpan span, MavenExecutionResult result, Throwable thrown) {
        if (span == null) {
            return;
        }
        if (result != null && result.hasExceptions()) {
            span.failed = true;
        }
        Recorder.endSpan(span, thrown);
        DependencyStatistics.build(span.endNanos - span.startNanos);
    }

    static ObsSpan projectStarted(MavenProject project) {
        ObsSpan span = Recorder.startSpan(PROJECT + project.getArtifactId());
        if (span != null) {
            span.setAttribute(MAVEN_PROJECT, coordinates(project));
        }
        return span;
    }

    /** {@code buildProject} does not throw for a failed project: the session's result says. */
    static void projectEnded(ObsSpan span, MavenSession session, MavenProject project, Throwable thrown) {
        if (span == null) {
            return;
        }
        if (session != null && session.getResult() != null
                && session.getResult().getBuildSummary(project) instanceof BuildFailure) {
            span.failed = true;
        }
        Recorder.endSpan(span, thrown);
    }

    static MojoFrame mojoStarted(MavenSession session, MojoExecution execution) {
        MojoExecution outer = INNERMOST_MOJO.get();
        if (outer == execution) {
            return null;
        }
        INNERMOST_MOJO.set(execution);
        ObsSpan span = Recorder.startSpan("maven " + prefix(execution) + ":" + execution.getGoal());
        if (span != null) {
            span.setAttribute(PLUGIN, plugin(execution));
            span.setAttribute(PLUGIN_VERSION, execution.getVersion());
            span.setAttribute(GOAL, execution.getGoal());
            span.setAttribute(EXECUTION_ID, execution.getExecutionId());
            MavenProject project = session == null ? null : session.getCurrentProject();
            if (project != null) {
                span.setAttribute(MAVEN_PROJECT, coordinates(project));
            }
        }
        return new MojoFrame(span, execution, outer);
    }

    static void mojoEnded(MojoFrame frame, Throwable thrown) {
        if (frame == null) {
            return;
        }
        INNERMOST_MOJO.set(frame.outer);
        long nanos = System.nanoTime() - frame.startNanos;
        Recorder.endSpan(frame.span, thrown);
        DependencyStatistics.mojo(plugin(frame.execution), frame.execution.getGoal(), thrown != null, nanos);
    }

    static String plugin(MojoExecution execution) {
        return execution.getGroupId() + ":" + execution.getArtifactId();
    }

    /** The plugin's goal prefix ({@code compiler}), or its artifact id when the descriptor does not say. */
    private static String prefix(MojoExecution execution) {
        MojoDescriptor descriptor = execution.getMojoDescriptor();
        String prefix = descriptor == null || descriptor.getPluginDescriptor() == null ? null
                : descriptor.getPluginDescriptor().getGoalPrefix();
        return prefix != null ? prefix : execution.getArtifactId();
    }

    private static String coordinates(MavenProject project) {
        return project.getGroupId() + ":" + project.getArtifactId() + ":" + project.getVersion();
    }
}
