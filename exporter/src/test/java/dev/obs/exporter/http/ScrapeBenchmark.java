package dev.obs.exporter.http;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableLongPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSumData;
import io.opentelemetry.sdk.resources.Resource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code scripts/bench.sh scrape}: the wall time of one {@code GET /metrics} of 10 000 Prometheus series
 * (400 histograms of 21 bounds: 24 series each, 9 600; 400 counters and target_info) from a client on the same machine,
 * through the real server: the request reaches an HTTP thread, waits for the "exporter" thread (here a
 * thread that publishes a prepared list when asked, as the pipeline does at its turn), and the text is
 * written and sent. Collecting the list is the OTLP export's own work and is not part of it. Prints the
 * median and 90th percentile over the measured scrapes and PASS when the median is at most 20 ms.
 * Usage: {@code ScrapeBenchmark [warm-up scrapes] [measured scrapes]}.
 */
public final class ScrapeBenchmark {
    static final double TARGET_MILLIS = 20;

    public static void main(String[] args) throws Exception {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int measured = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        List<MetricData> metrics = tenThousandSeries();
        LiveEndpoints live = new LiveEndpoints(new LiveSettings("127.0.0.1", 0, Duration.ofSeconds(30), "bench",
                List.of(), Map.of()));
        Thread exporter = new Thread(() -> {
            while (true) {
                long request = live.pendingScrape();
                if (request != 0) {
                    live.publishMetrics(metrics, request);
                }
                LockSupport.parkNanos(50_000_000L);
            }
        }, "bench-exporter");
        exporter.setDaemon(true);
        exporter.start();
        live.start(exporter, new java.util.ArrayDeque<>(), 1);
        if (!live.awaitBound(10_000)) {
            throw new AssertionError("the server did not start");
        }
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + live.port() + "/metrics"))
                .build();
        long lines = client.send(request, HttpResponse.BodyHandlers.ofString()).body().lines()
                .filter(l -> !l.startsWith("#")).count();
        for (int i = 0; i < warmup; i++) {
            client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        }
        long[] nanos = new long[measured];
        int bytes = 0;
        for (int i = 0; i < measured; i++) {
            long t0 = System.nanoTime();
            HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            nanos[i] = System.nanoTime() - t0;
            bytes = r.body().length;
            if (r.statusCode() != 200) {
                throw new AssertionError("scrape answered " + r.statusCode());
            }
        }
        Arrays.sort(nanos);
        PrometheusWriter writer = new PrometheusWriter();
        long[] writeNanos = new long[measured];
        for (int i = 0; i < measured; i++) {
            long t0 = System.nanoTime();
            StringBuilder text = new StringBuilder(64 * 1024);
            writer.write(metrics, false, text);
            writeNanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(writeNanos);
        double median = nanos[measured / 2] / 1e6;
        double p90 = nanos[(int) (measured * 0.9)] / 1e6;
        System.out.printf("scrape: %d series (sample lines), %d bytes; %d scrapes after %d warm-up: median %.2f ms,"
                + " p90 %.2f ms, min %.2f ms; of which writing the text alone: median %.2f ms%n", lines, bytes, measured,
                warmup, median, p90, nanos[0] / 1e6, writeNanos[measured / 2] / 1e6);
        boolean pass = lines >= 10_000 && median <= TARGET_MILLIS;
        System.out.printf("%-8s %-40s %10s %10s  %s%n", "suite", "measure", "value", "target", "verdict");
        System.out.printf("%-8s %-40s %8.2fms %8.0fms  %s%n", "scrape", "GET /metrics, 10 000 series, median", median,
                TARGET_MILLIS, pass ? "PASS" : "FAIL");
        live.stop();
        System.exit(pass ? 0 : 1);
    }

    static List<MetricData> tenThousandSeries() {
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.builder()
                .put("service.name", "bench").build()));
        InstrumentationScopeInfo scope = InstrumentationScopeInfo.create("dev.obs");
        List<Double> bounds = List.of(0.000001, 0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005,
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0);
        long start = 1_700_000_000_000_000_000L;
        long now = start + 60_000_000_000L;
        List<HistogramPointData> histograms = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            List<Long> counts = new ArrayList<>();
            for (int b = 0; b <= bounds.size(); b++) {
                counts.add((long) (b * 7 + i));
            }
            long count = counts.stream().mapToLong(Long::longValue).sum();
            histograms.add(ImmutableHistogramPointData.create(start, now, Attributes.builder()
                    .put("code.namespace", "com.acme.service.Repository" + (i / 10))
                    .put("code.function", "method" + (i % 10)).put("error.type", i % 3 == 0 ? "" : "IOException")
                    .build(), count * 0.0123, true, 0.000001, true, 9.5, bounds, counts));
        }
        List<LongPointData> counters = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            counters.add(ImmutableLongPointData.create(start, now, Attributes.builder()
                    .put("fs.operation", "read").put("file.group", "group" + i)
                    .put("fs.io.direction", i % 2 == 0 ? "read" : "write").build(), 123_456_789L + i));
        }
        return List.of(
                ImmutableMetricData.createDoubleHistogram(resource, scope, "obs.method.duration",
                        "Duration of configured method calls", "s",
                        ImmutableHistogramData.create(AggregationTemporality.CUMULATIVE, histograms)),
                ImmutableMetricData.createLongSum(resource, scope, "fs.io.bytes", "Bytes read and written", "By",
                        ImmutableSumData.create(true, AggregationTemporality.CUMULATIVE, counters)));
    }
}
