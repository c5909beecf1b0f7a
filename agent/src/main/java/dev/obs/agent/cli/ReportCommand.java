package dev.obs.agent.cli;

import dev.obs.exporter.report.ReportPage;
import dev.obs.exporter.store.FamilyCharts;
import dev.obs.exporter.store.MetricsSummary;
import dev.obs.exporter.store.MetricsWindow;
import dev.obs.exporter.store.StoreReader;
import dev.obs.exporter.store.TimeWindow;
import dev.obs.exporter.store.TraceSet;
import dev.obs.exporter.store.TraceSummary;
import dev.obs.exporter.store.TraceTree;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code obs report}: one self-contained HTML file for a window of the store. The page embeds exactly what
 * {@code obs metrics --json}, {@code obs traces --json} and {@code obs trace ID --json} print for the same
 * window and service (written by the same code), plus per-family chart buckets, and draws them in the browser.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write one self-contained HTML file (no network needed to open it): charts over time per "
                + "family, the operations table, the slowest and failed traces as waterfalls, file system by group, "
                + "containers, obs's own health.")
final class ReportCommand implements Callable<Integer> {
    /** The finest chart bucket by default: obs exports metrics every 60 s unless told otherwise. */
    private static final Duration DEFAULT_MIN_BUCKET = Duration.ofMinutes(1);
    private static final int MAX_BUCKETS = 240;

    @Mixin
    StoreOption store;
    @Mixin
    WindowOptions window;

    @Option(names = "--service", paramLabel = "NAME", description = "Only this service (service.name)")
    String service;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "obs-report.html",
            description = "The HTML file to write (default: ${DEFAULT-VALUE})")
    Path output;

    @Option(names = "--traces", paramLabel = "N", defaultValue = "20",
            description = "How many of the slowest and of the failed traces to include (default: ${DEFAULT-VALUE})")
    int traces;

    @Option(names = "--bucket", paramLabel = "INTERVAL",
            description = "Width of a chart bucket, e.g. 10s or 5m (default: a sixtieth of the window, at least 1m; "
                    + "not finer than the metric export interval, otel.metric.export.interval)")
    String bucket;

    @Override
    public Integer call() throws Exception {
        if (traces <= 0) {
            throw CliError.usage("--traces must be a positive number, not " + traces);
        }
        Duration bucketWidth = bucket == null ? null : MetricsCommand.parseInterval(bucket);
        Instant now = Instant.now();
        long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        TimeWindow tw = window.window(now); // a usage error is reported before a missing store
        StoreReader reader = store.open();
        // The table's window is read exactly as obs metrics reads it, so every figure is the same; the charts
        // need a second read with buckets, whose open end is "now" rather than the last record.
        MetricsWindow totals = reader.metrics(tw, nowNanos);
        MetricsSummary summary = MetricsSummary.of(totals, service, null, null, reader.notes().damagedLines(),
                reader.dir().toString());
        int buckets = bucketCount(totals.seconds(), bucketWidth);
        // An open end is the last record for the totals of a whole store: the charts end there too, not now.
        TimeWindow chartWindow = tw.openEnd() ? new TimeWindow(tw.sinceNanos(), totals.endNanos() + 1) : tw;
        MetricsWindow charted = reader.metrics(chartWindow, nowNanos, buckets);
        TraceSet set = reader.traces(tw);
        TracesJson.Selection slowest = TracesJson.select(set, false, null, service, false, traces);
        TracesJson.Selection failed = TracesJson.select(set, true, null, service, false, traces);

        ByteArrayOutputStream data = new ByteArrayOutputStream();
        try (Json j = new Json(data)) {
            var g = j.g;
            g.writeStartObject();
            g.writeObjectFieldStart("report");
            g.writeStringField("generated", Fmt.iso(nowNanos));
            g.writeStringField("version", System.getProperty("obs.cli.version", "development build"));
            g.writeStringField("since", window.since);
            g.writeStringField("until", window.until);
            g.writeStringField("service", service);
            g.writeEndObject();
            g.writeFieldName("metrics");
            g.writeRawValue(metricsJson(summary));
            writeCharts(j, charted);
            // the sync page: what obs sync metrics --json and obs sync conflicts --json print for the window
            g.writeFieldName("sync");
            g.writeRawValue(syncJson(totals));
            g.writeFieldName("syncConflicts");
            g.writeRawValue(syncConflictsJson(reader, tw));
            g.writeFieldName("slowest");
            TracesJson.writeList(j, slowest, reader.notes().damagedLines());
            g.writeFieldName("failed");
            TracesJson.writeList(j, failed, reader.notes().damagedLines());
            g.writeObjectFieldStart("traces");
            Set<String> ids = new LinkedHashSet<>();
            slowest.traces().forEach(s -> ids.add(s.traceId()));
            failed.traces().forEach(s -> ids.add(s.traceId()));
            for (String id : ids) {
                g.writeFieldName(id);
                TracesJson.writeTree(j, TraceTree.of(set.spans(id)));
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        String title = "obs report" + (service == null ? "" : " · " + service);
        String page = ReportPage.render(title, data.toString(StandardCharsets.UTF_8));
        Path file = output.toAbsolutePath().normalize();
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, page, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliError.failure("cannot write " + file + " (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")");
        }
        System.out.println("wrote " + file + ": " + summary.operations().size() + " operations, "
                + ids(slowest, failed) + " traces");
        if (reader.notes().damagedNote() != null) {
            System.err.println(reader.notes().damagedNote());
        }
        return 0;
    }

    private static int ids(TracesJson.Selection a, TracesJson.Selection b) {
        Set<String> ids = new LinkedHashSet<>();
        for (TraceSummary s : a.traces()) {
            ids.add(s.traceId());
        }
        for (TraceSummary s : b.traces()) {
            ids.add(s.traceId());
        }
        return ids.size();
    }

    /** Buckets of the asked width, else a sixtieth of the window but at least a minute; never more than 240. */
    static int bucketCount(double windowSeconds, Duration width) {
        double w = width != null ? width.toMillis() / 1000.0
                : Math.max(DEFAULT_MIN_BUCKET.toSeconds(), windowSeconds / 60);
        return (int) Math.max(1, Math.min(MAX_BUCKETS, Math.ceil(windowSeconds / w - 1e-9)));
    }

    private String syncJson(MetricsWindow totals) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SyncCommand.Metrics.writeJson(dev.obs.exporter.sync.SyncStoreView.of(totals.totals(service), totals.seconds(),
                null, null), out);
        return out.toString(StandardCharsets.UTF_8).trim();
    }

    private static String syncConflictsJson(StoreReader reader, TimeWindow tw) throws IOException {
        List<SyncCommand.Conflicts.PathConflicts> ranked = SyncCommand.Conflicts.rank(SyncCommand.events(reader, tw));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SyncCommand.Conflicts.writeJson(ranked.subList(0, Math.min(SyncCommand.Conflicts.DEFAULT_LIMIT,
                ranked.size())), out);
        return out.toString(StandardCharsets.UTF_8).trim();
    }

    private static String metricsJson(MetricsSummary summary) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MetricsJson.write(summary, out);
        return out.toString(StandardCharsets.UTF_8).trim();
    }

    /** {"buckets":[{"start","end"}...],"families":{"git":[{count, errors, rate, p50/p95/p99}...]}}. */
    private void writeCharts(Json j, MetricsWindow w) throws IOException {
        var g = j.g;
        g.writeObjectFieldStart("charts");
        g.writeArrayFieldStart("buckets");
        for (int i = 0; i < w.bucketCount(); i++) {
            g.writeStartObject();
            g.writeStringField("start", Fmt.iso(w.bucketStartNanos(i)));
            g.writeStringField("end", Fmt.iso(w.bucketEndNanos(i)));
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeObjectFieldStart("families");
        for (Map.Entry<String, List<FamilyCharts.Point>> e : FamilyCharts.byFamily(w, service).entrySet()) {
            g.writeArrayFieldStart(e.getKey());
            for (FamilyCharts.Point p : e.getValue()) {
                g.writeStartObject();
                g.writeNumberField("count", p.count());
                g.writeNumberField("errors", p.errors());
                j.number("ratePerSecond", p.ratePerSecond());
                j.number("p50Seconds", p.p50Seconds());
                j.number("p95Seconds", p.p95Seconds());
                j.number("p99Seconds", p.p99Seconds());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
        g.writeEndObject();
    }
}
