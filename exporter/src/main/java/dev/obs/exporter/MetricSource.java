package dev.obs.exporter;

import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Metrics a family collects itself rather than through the metric path's exact series (the fs counters,
 * container and JVM resources, sync gauges, the Maven summary). Each family declares its own
 * ({@code InstrumentationFamily.metricSources}); the pipeline starts each source when it starts exporting and
 * collects it with every metric export, on the exporter thread.
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

    /** Appends the source's part of the exit summary (by default its {@link #summary} line, indented). */
    default void appendSummary(StringBuilder out) {
        String line = summary();
        if (line != null) {
            out.append("  ").append(line).append(System.lineSeparator());
        }
    }

    /**
     * Creates the sources when exporting starts, on the exporter thread. Given at premain instead of the
     * sources themselves: a source's class refers to the SDK's metric types, and loading it at premain
     * would load a hundred SDK classes in every JVM, also in one that never records anything.
     */
    interface Factory {
        List<MetricSource> create();

        /**
         * Whether the family has recorded something its sources would export, before any source exists: asked
         * (cheaply, often) while the exporter waits for a first record, which alone starts exporting.
         */
        default boolean anyRecorded() {
            return false;
        }

        /** The sources of every factory, in order (nulls skipped). */
        static Factory all(List<Factory> factories) {
            return new AllSources(factories);
        }
    }

    /** {@link Factory#all}: a class rather than a lambda, as this is built at premain. */
    final class AllSources implements Factory {
        private final List<Factory> factories;

        private AllSources(List<Factory> factories) {
            this.factories = new java.util.ArrayList<>();
            for (Factory f : factories) {
                if (f != null) {
                    this.factories.add(f);
                }
            }
        }

        @Override
        public List<MetricSource> create() {
            List<MetricSource> out = new java.util.ArrayList<>();
            for (Factory f : factories) {
                try {
                    out.addAll(f.create());
                } catch (Throwable t) {
                    System.err.println("obs: metric sources could not be created: " + t);
                }
            }
            return out;
        }

        @Override
        public boolean anyRecorded() {
            for (Factory f : factories) {
                if (f.anyRecorded()) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * The point list of metric {@code name} in {@code byName}, added empty when there is none: how a source
     * groups its points by metric before it builds the metrics. A loop, not computeIfAbsent with a lambda:
     * collecting runs in every program's exit export, and a lambda's first use spins a class.
     */
    static <P> List<P> pointsOf(Map<String, List<P>> byName, String name) {
        List<P> points = byName.get(name);
        if (points == null) {
            points = new ArrayList<>();
            byName.put(name, points);
        }
        return points;
    }
}
