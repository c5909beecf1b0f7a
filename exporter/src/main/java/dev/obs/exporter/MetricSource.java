package dev.obs.exporter;

import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.List;

/**
 * Metrics obs measures itself rather than receives from the recorder (container and JVM resources). The
 * pipeline starts each source when it starts exporting and collects it with every metric export, on the
 * exporter thread.
 */
public interface MetricSource {
    /** Called once on the exporter thread when exporting starts (a source may start its own thread here). */
    void start();

    /**
     * The source's current metrics, cumulative from {@code startEpochNanos}. Called on the exporter thread;
     * must not block on I/O that can hang.
     */
    List<MetricData> collect(Resource resource, InstrumentationScopeInfo scope, long startEpochNanos,
                             long nowEpochNanos);

    /** One line for the exit summary, or null. */
    default String summary() {
        return null;
    }

    /**
     * Creates the sources when exporting starts, on the exporter thread. Given at premain instead of the
     * sources themselves: a source's class refers to the SDK's metric types, and loading it at premain
     * would load a hundred SDK classes in every JVM, also in one that never records anything.
     */
    interface Factory {
        List<MetricSource> create();
    }
}
