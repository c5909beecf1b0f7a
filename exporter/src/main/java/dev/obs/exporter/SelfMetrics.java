package dev.obs.exporter;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableGaugeData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableLongPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSumData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * obs's own health, exported like any other metric: what was accepted, dropped (by reason), exported, what
 * failed, and how deep the span queue got. Export results arrive on sender threads, hence the atomics.
 */
final class SelfMetrics {
    static final AttributeKey<String> SIGNAL = AttributeKey.stringKey("signal");
    static final AttributeKey<String> EXPORTER = AttributeKey.stringKey("exporter");
    static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");

    private final List<ExporterCounters> exporters = new ArrayList<>();

    /** Export outcomes of one exporter. */
    static final class ExporterCounters {
        final String name;
        final AtomicLong spansExported = new AtomicLong();
        /** Spans of batches whose export failed. */
        final AtomicLong spansFailed = new AtomicLong();
        /** Spans of batches still unanswered (or never sent) at the shutdown deadline. */
        final AtomicLong spansAbandoned = new AtomicLong();
        final AtomicLong spanFailures = new AtomicLong();
        final AtomicLong metricsExported = new AtomicLong();
        final AtomicLong metricFailures = new AtomicLong();
        /** Live endpoints: outcomes with their times, for {@code /health}. */
        final dev.obs.exporter.http.DestinationHealth health;

        ExporterCounters(String name) {
            this.name = name;
            this.health = new dev.obs.exporter.http.DestinationHealth(name, InFlightSpanExports.MAX_IN_FLIGHT);
        }
    }

    /**
     * Why spans and values were not exported, as counted so far. Spans: {@code queueFull} (an admitted
     * trace's span found the queue full), {@code shed} (spans of traces shed at the root, {@code
     * shedTraces} of them), {@code backlog}, {@code exportFailed}, {@code shutdown} (not exported by the
     * shutdown deadline), {@code noExporter} (recorded with {@code obs.exporter=none}).
     */
    record Drops(long queueFull, long shed, long shedTraces, long backlog, long exportFailed, long shutdown,
                 long noExporter) {
        long spans() {
            return queueFull + shed + backlog + exportFailed + shutdown + noExporter;
        }
    }

    ExporterCounters register(String exporterName) {
        ExporterCounters c = new ExporterCounters(exporterName);
        exporters.add(c);
        return c;
    }

    long exportFailures() {
        long n = 0;
        for (ExporterCounters c : exporters) {
            n += c.spanFailures.get() + c.metricFailures.get();
        }
        return n;
    }

    List<MetricData> collect(Resource resource, InstrumentationScopeInfo scope, long start, long now,
                             long spansAccepted, long queueDepthMax, Drops drops, long metricsAccepted) {
        List<MetricData> out = new ArrayList<>();
        out.add(sum(resource, scope, "obs.records.accepted", "Records the recorder accepted", start, now,
                point(start, now, signal("spans"), spansAccepted),
                point(start, now, signal("metrics"), metricsAccepted)));
        out.add(sum(resource, scope, "obs.records.dropped",
                "Records not exported, by reason: queue_full, shed (whole traces shed at the root while the queue"
                        + " was backed up), backlog, export_failed, shutdown", start, now,
                dropped(start, now, "spans", "queue_full", drops.queueFull()),
                dropped(start, now, "spans", "shed", drops.shed()),
                dropped(start, now, "spans", "backlog", drops.backlog()),
                dropped(start, now, "spans", "export_failed", drops.exportFailed()),
                dropped(start, now, "spans", "shutdown", drops.shutdown())));
        out.add(ImmutableMetricData.createLongSum(resource, scope, "obs.traces.shed",
                "Traces shed whole at their root while the span queue was backed up (their spans: reason shed)",
                "{trace}", ImmutableSumData.create(true, AggregationTemporality.CUMULATIVE,
                        List.of(point(start, now, Attributes.empty(), drops.shedTraces())))));
        List<LongPointData> exported = new ArrayList<>();
        List<LongPointData> failures = new ArrayList<>();
        for (ExporterCounters c : exporters) {
            exported.add(point(start, now, signal("spans", c.name), c.spansExported.get()));
            exported.add(point(start, now, signal("metrics", c.name), c.metricsExported.get()));
            failures.add(point(start, now, signal("spans", c.name), c.spanFailures.get()));
            failures.add(point(start, now, signal("metrics", c.name), c.metricFailures.get()));
        }
        out.add(sum(resource, scope, "obs.records.exported", "Records exporters confirmed", start, now,
                exported.toArray(new LongPointData[0])));
        out.add(sum(resource, scope, "obs.export.failures", "Export calls that failed", start, now,
                failures.toArray(new LongPointData[0])));
        out.add(ImmutableMetricData.createLongGauge(resource, scope, "obs.queue.depth.max",
                "Highest span queue depth seen", "{record}",
                ImmutableGaugeData.create(List.of(point(start, now, signal("spans"), queueDepthMax)))));
        return out;
    }

    private static LongPointData dropped(long start, long now, String signal, String reason, long value) {
        return point(start, now, Attributes.of(SIGNAL, signal, REASON, reason), value);
    }

    private static Attributes signal(String signal) {
        return Attributes.of(SIGNAL, signal);
    }

    private static Attributes signal(String signal, String exporter) {
        return Attributes.of(SIGNAL, signal, EXPORTER, exporter);
    }

    private static LongPointData point(long start, long now, Attributes attributes, long value) {
        return ImmutableLongPointData.create(start, now, attributes, value);
    }

    private static MetricData sum(Resource resource, InstrumentationScopeInfo scope, String name,
                                  String description, long start, long now, LongPointData... points) {
        return ImmutableMetricData.createLongSum(resource, scope, name, description, "{record}",
                ImmutableSumData.create(true, AggregationTemporality.CUMULATIVE, List.of(points)));
    }
}
