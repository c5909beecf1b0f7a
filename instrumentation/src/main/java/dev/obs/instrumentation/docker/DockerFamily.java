package dev.obs.instrumentation.docker;

import dev.obs.exporter.MetricSource;
import dev.obs.exporter.docker.ContainerMetricSource;
import java.time.Duration;
import dev.obs.instrumentation.InstrumentationFamily;
import dev.obs.instrumentation.TypeInstrumentation;
import java.util.List;

/**
 * docker-java ({@code com.github.docker-java} 3.x, any transport): a CLIENT span per Docker API operation,
 * named {@code docker <object> <verb>} ({@code docker container create}, {@code docker image pull}),
 * streams ended when their stream ends; containers it creates or starts are handed to the stats sampler.
 * The {@code docker} command line is the process family's.
 */
public final class DockerFamily implements InstrumentationFamily {
    /**
     * The started containers' samples (whether or not docker-java is woven: the command line's containers
     * come through the process family) and the JVM's own resources.
     */
    private final MetricSource.Factory metrics;

    /**
     * @param statsInterval time between samples of each started container ({@code obs.container.stats.interval})
     * @param containerSelf whether the JVM's own cgroup and process are measured
     */
    public DockerFamily(Duration statsInterval, boolean containerSelf) {
        this.metrics = new ContainerMetricSource.Factory(statsInterval, containerSelf);
    }

    @Override
    public MetricSource.Factory metricSources(boolean woven) {
        return metrics;
    }

    @Override
    public String name() {
        return "docker";
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(DockerJavaInstrumentation.sync(), DockerJavaInstrumentation.async(),
                DockerJavaInstrumentation.streamCallback(), DockerJavaInstrumentation.invocationBuilder());
    }
}
