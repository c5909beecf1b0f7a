package dev.obs.exporter.docker;

import dev.obs.exporter.MetricSource;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.List;

/**
 * The docker family's metrics: the containers the application started ({@link ContainerSampler}) and the
 * JVM's own resources ({@link JvmResources}), as one source because the JVM's cgroup and the started
 * containers share each {@code container.*} metric ({@link ResourcePoints}).
 */
public final class ContainerMetricSource implements MetricSource {
    private final ContainerSampler sampler;
    /** Null with {@code obs.container.self=false}. */
    private final JvmResources jvm;

    /** Creates the source when exporting starts (see {@link MetricSource.Factory}); cheap to load at premain. */
    public static final class Factory implements MetricSource.Factory {
        private final Duration interval;
        private final boolean selfEnabled;

        /**
         * @param interval    time between samples of each started container
         * @param selfEnabled whether the JVM's own cgroup and process are measured
         */
        public Factory(Duration interval, boolean selfEnabled) {
            this.interval = interval;
            this.selfEnabled = selfEnabled;
        }

        @Override
        public List<MetricSource> create() {
            return List.of(new ContainerMetricSource(interval, selfEnabled));
        }
    }

    ContainerMetricSource(Duration interval, boolean selfEnabled) {
        this.sampler = new ContainerSampler(interval);
        this.jvm = selfEnabled ? new JvmResources() : null;
    }

    @Override
    public void start() {
        sampler.start();
    }

    @Override
    public List<MetricData> collect(Resource resource, InstrumentationScopeInfo scope, long start, long now) {
        ResourcePoints points = new ResourcePoints(resource, scope, start, now);
        if (jvm != null) {
            jvm.addOwnCgroup(points);
        }
        sampler.addSamples(points);
        List<MetricData> out = points.build();
        if (jvm != null) {
            JvmResources.addJvm(out, resource, scope, start, now);
        }
        sampler.addCost(out, resource, scope, start, now);
        return out;
    }

    @Override
    public String summary() {
        return sampler.summary();
    }
}
