package dev.obs.exporter;

import dev.obs.exporter.http.LiveEndpoints;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Everything exporting needs, built once when the first record comes (never in a program that records
 * nothing): obs's self metrics, the SDK's resource and scope, the destinations with their counters, the span
 * converter, the metric aggregator and the started metric sources of the families. Its fields are written before it is
 * published and never after.
 */
final class ExportSession {
    final SelfMetrics self;
    /** Null with obs.exporter=none and no live endpoints (nothing carries it). */
    final Resource resource;
    /** Null when {@link #resource} is. */
    final InstrumentationScopeInfo scope;
    final MetricsAggregator aggregator;
    final SpanConverter converter;
    final List<Destination> destinations;
    /** Export outcomes, one per destination, in the same order. */
    final SelfMetrics.ExporterCounters[] counters;
    final List<MetricSource> sources;

    private ExportSession(ExporterSettings settings, String version, long startEpochNanos, long epochOffsetNanos,
                          MetricSource.Factory sourceFactory, LiveEndpoints live) {
        self = new SelfMetrics();
        // With obs.exporter=none and no live endpoints no span, metric or log record ever leaves, so none carries
        // the resource or the scope: building the resource (reading /proc, masking the command line) would be
        // work for nothing in every run of that setting, and so would initializing the SDK's Resource,
        // InstrumentationScopeInfo and Attributes classes (their defaults: about 5 ms of a start, interpreted).
        // Null then: nothing converts a span or collects a metric (export() and collectSourcesAhead() return
        // first), and the log records the sources still hand over go nowhere.
        boolean carried = !settings.exporters().isEmpty() || live != null;
        resource = carried ? ResourceFactory.create(settings, version) : null;
        scope = carried ? InstrumentationScopeInfo.builder("dev.obs").setVersion(version).build() : null;
        aggregator = new MetricsAggregator(startEpochNanos);
        converter = new SpanConverter(resource, scope, epochOffsetNanos);
        List<Destination> created;
        try {
            // none: Destinations is not even initialized (its retry policy and no-op meters)
            created = settings.exporters().isEmpty() ? Collections.emptyList() : Destinations.create(settings);
        } catch (Throwable t) {
            System.err.println("obs: exporters could not be created, nothing will be exported: " + t);
            created = Collections.emptyList();
        }
        destinations = created;
        if (settings.exporters().contains("otlp") && !settings.exporters().contains("file") && live == null) {
            // no destination writes OTLP/JSON: the SDK need not serialize the resource and scope as JSON
            ProtobufOnlyMarshalers.seed(resource, scope);
        }
        sources = new ArrayList<>();
        if (sourceFactory != null) {
            try {
                sources.addAll(sourceFactory.create());
            } catch (Throwable t) {
                System.err.println("obs: metric sources could not be created: " + t);
            }
        }
        for (MetricSource source : sources) {
            try {
                source.start();
            } catch (Throwable t) {
                System.err.println("obs: a metric source could not start: " + t);
            }
        }
        counters = new SelfMetrics.ExporterCounters[destinations.size()];
        for (int i = 0; i < destinations.size(); i++) {
            counters[i] = self.register(destinations.get(i).name());
            if (live != null) {
                live.destination(counters[i].health);
            }
        }
    }

    static ExportSession open(ExporterSettings settings, String version, long startEpochNanos, long epochOffsetNanos,
                              MetricSource.Factory sourceFactory, LiveEndpoints live) {
        return new ExportSession(settings, version, startEpochNanos, epochOffsetNanos, sourceFactory, live);
    }

    /** The first destination's counters (the one whose outcome is that of the metric values), or null. */
    SelfMetrics.ExporterCounters first() {
        return counters.length > 0 ? counters[0] : null;
    }

    void shutdownDestinations() {
        for (Destination d : destinations) {
            d.shutdown();
        }
    }
}
