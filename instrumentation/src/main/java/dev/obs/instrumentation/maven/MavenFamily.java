package dev.obs.instrumentation.maven;

import dev.obs.exporter.MetricSource;
import dev.obs.exporter.maven.MavenSummary;
import dev.obs.instrumentation.InstrumentationFamily;
import dev.obs.instrumentation.TypeInstrumentation;
import java.util.List;

/**
 * Maven 3.8 and 3.9 with resolver ({@code org.eclipse.aether}) 1.x, attached with
 * {@code MAVEN_OPTS=-javaagent:obs.jar}: a span tree per build (build, project, mojo, dependency collection,
 * artifact and metadata resolution, transfers), the {@code dependency.*} and {@code maven.mojo.duration}
 * metrics, and the Maven section of the exit summary. See {@link MavenInstrumentation} for where it hooks.
 */
public final class MavenFamily implements InstrumentationFamily {
    @Override
    public String name() {
        return "maven";
    }

    /** The Maven section of the exit summary. */
    @Override
    public MetricSource.Factory metricSources(boolean woven) {
        return woven ? new SummaryFactory() : null;
    }

    /** A class rather than a lambda: built at premain. */
    private static final class SummaryFactory implements MetricSource.Factory {
        @Override
        public List<MetricSource> create() {
            return List.of(new MavenSummary());
        }
    }

    /**
     * Only in a JVM that Maven's launcher started ({@code bin/mvn} sets {@code classworlds.conf} and
     * {@code maven.home} before premain): any other program gets no Maven matchers at all.
     */
    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        boolean launchedByMaven = System.getProperty("classworlds.conf") != null
                || System.getProperty("maven.home") != null;
        return launchedByMaven ? MavenInstrumentation.all() : List.of();
    }
}
