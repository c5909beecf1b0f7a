package dev.obs.exporter;

import dev.obs.bootstrap.Recorder;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongCounterBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterBuilder;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporterBuilder;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/** Builds the configured destinations; runs on the exporter thread so the application never waits. */
final class Destinations {
    private Destinations() {
    }

    static List<Destination> create(ExporterSettings s) {
        List<Destination> out = new ArrayList<>();
        if (s.exporters().contains("otlp")) {
            out.add(otlp(s));
        }
        if (s.exporters().contains("file")) {
            out.add(new Destination("file",
                    new FileExporters.Spans(new JsonLinesStore(s.storeDir(), "traces", s.storeMaxFileBytes(),
                            s.storeMaxTotalBytes())),
                    new FileExporters.Metrics(new JsonLinesStore(s.storeDir(), "metrics",
                            s.storeMaxFileBytes(), s.storeMaxTotalBytes()))));
        }
        if (s.exporters().contains("console")) {
            out.add(new Destination("console", new ConsoleExporters.Spans(), new ConsoleExporters.Metrics()));
        }
        return out;
    }

    /**
     * The log record exporters of the otlp (OTLP/HTTP only) and file destinations (the console shows no
     * events), built when
     * the first events come: a program that has none never loads them.
     */
    static List<io.opentelemetry.sdk.logs.export.LogRecordExporter> logs(ExporterSettings s) {
        List<io.opentelemetry.sdk.logs.export.LogRecordExporter> out = new ArrayList<>();
        if (s.exporters().contains("otlp")) {
            String endpoint = s.tracesEndpoint().endsWith("/v1/traces")
                    ? s.tracesEndpoint().substring(0, s.tracesEndpoint().length() - "traces".length()) + "logs"
                    : s.tracesEndpoint();
            // over gRPC events go to the store only (obs.jar carries no gRPC log exporter)
            if (!"grpc".equals(s.protocol())) {
                io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporterBuilder b =
                        io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter.builder()
                                .setComponentLoader(OwnSender.INSTANCE).setEndpoint(endpoint)
                                .setTimeout(s.otlpTimeout()).setRetryPolicy(RETRY)
                                .setMeterProvider(NO_METERS)
                                .setExecutorService(Executors.newSingleThreadExecutor(suppressedDaemons()));
                if ("gzip".equals(s.compression())) {
                    b.setCompression("gzip");
                }
                s.headers().forEach(b::addHeader);
                out.add(b.build());
            }
        }
        if (s.exporters().contains("file")) {
            out.add(new FileExporters.Logs(new JsonLinesStore(s.storeDir(), "logs", s.storeMaxFileBytes(),
                    s.storeMaxTotalBytes())));
        }
        return out;
    }

    /**
     * Retries are short: a batch that cannot be delivered within about two seconds is reported as a
     * failure, and the in-flight bound turns a longer outage into counted drops instead of a backlog.
     */
    private static final RetryPolicy RETRY = RetryPolicy.builder().setMaxAttempts(3)
            .setInitialBackoff(Duration.ofMillis(250)).setMaxBackoff(Duration.ofSeconds(1)).build();

    private static Destination otlp(ExporterSettings s) {
        // Metrics have a sender of their own: the last metrics at exit must not wait behind span batches.
        ExecutorService spanSenders = Executors.newFixedThreadPool(2, suppressedDaemons());
        ExecutorService metricSender = Executors.newSingleThreadExecutor(suppressedDaemons());
        boolean gzip = "gzip".equals(s.compression());
        if ("grpc".equals(s.protocol())) {
            OtlpGrpcSpanExporterBuilder spans = OtlpGrpcSpanExporter.builder()
                    .setEndpoint(s.tracesEndpoint()).setTimeout(s.otlpTimeout()).setRetryPolicy(RETRY)
                    .setMeterProvider(NO_METERS);
            OtlpGrpcMetricExporterBuilder metrics = OtlpGrpcMetricExporter.builder()
                    .setEndpoint(s.metricsEndpoint()).setTimeout(s.otlpTimeout()).setRetryPolicy(RETRY)
                    .setMeterProvider(NO_METERS);
            if (gzip) {
                spans.setCompression("gzip");
                metrics.setCompression("gzip");
            }
            for (Map.Entry<String, String> h : s.headers().entrySet()) {
                spans.addHeader(h.getKey(), h.getValue());
                metrics.addHeader(h.getKey(), h.getValue());
            }
            return new Destination("otlp", spans.build(), metrics.build());
        }
        OtlpHttpSpanExporterBuilder spans = OtlpHttpSpanExporter.builder().setComponentLoader(OwnSender.INSTANCE)
                .setEndpoint(s.tracesEndpoint()).setTimeout(s.otlpTimeout()).setRetryPolicy(RETRY)
                .setMeterProvider(NO_METERS).setExecutorService(spanSenders)
                // marshals each batch into pooled, reused marshalers instead of a new object graph per span
                .setMemoryMode(MemoryMode.REUSABLE_DATA);
        OtlpHttpMetricExporterBuilder metrics = OtlpHttpMetricExporter.builder().setComponentLoader(OwnSender.INSTANCE)
                .setEndpoint(s.metricsEndpoint()).setTimeout(s.otlpTimeout()).setRetryPolicy(RETRY)
                .setMeterProvider(NO_METERS).setExecutorService(metricSender);
        if (gzip) {
            spans.setCompression("gzip");
            metrics.setCompression("gzip");
        }
        for (Map.Entry<String, String> h : s.headers().entrySet()) {
            spans.addHeader(h.getKey(), h.getValue());
            metrics.addHeader(h.getKey(), h.getValue());
        }
        return new Destination("otlp", spans.build(), metrics.build());
    }

    /** Sender threads are obs's own: daemon, and marked so the recorder ignores their I/O. */
    static ThreadFactory suppressedDaemons() {
        return new SuppressedDaemons();
    }

    /*
     * Classes rather than lambdas and method references here: this runs when exporting starts, in every
     * short program, and each lambda's first use spins a class (about a millisecond of CPU apiece).
     */

    private static final java.util.function.Supplier<MeterProvider> NO_METERS = NoopMeters.INSTANCE;

    /**
     * The exporters' own metrics go nowhere: obs reports its export results in its self-metrics. Not
     * {@code MeterProvider.noop()}: its meter loads a no-op class for every kind of instrument (about 55
     * classes, at the first export of every run), where the exporters only build long counters and add to
     * them (their legacy metrics). Any other instrument comes from the SDK's no-op meter.
     */
    private static final class NoopMeters implements java.util.function.Supplier<MeterProvider>, MeterProvider,
            MeterBuilder, Meter {
        static final NoopMeters INSTANCE = new NoopMeters();

        @Override
        public MeterProvider get() {
            return this;
        }

        @Override
        public Meter get(String instrumentationScopeName) {
            return this;
        }

        @Override
        public MeterBuilder meterBuilder(String instrumentationScopeName) {
            return this;
        }

        @Override
        public MeterBuilder setSchemaUrl(String schemaUrl) {
            return this;
        }

        @Override
        public MeterBuilder setInstrumentationVersion(String instrumentationScopeVersion) {
            return this;
        }

        @Override
        public Meter build() {
            return this;
        }

        @Override
        public LongCounterBuilder counterBuilder(String name) {
            return NoopCounter.INSTANCE;
        }

        @Override
        public io.opentelemetry.api.metrics.LongUpDownCounterBuilder upDownCounterBuilder(String name) {
            return MeterProvider.noop().get("obs").upDownCounterBuilder(name);
        }

        @Override
        public io.opentelemetry.api.metrics.DoubleHistogramBuilder histogramBuilder(String name) {
            return MeterProvider.noop().get("obs").histogramBuilder(name);
        }

        @Override
        public io.opentelemetry.api.metrics.DoubleGaugeBuilder gaugeBuilder(String name) {
            return MeterProvider.noop().get("obs").gaugeBuilder(name);
        }
    }

    /** A long counter that counts nothing, and its builder. */
    private static final class NoopCounter implements LongCounterBuilder, LongCounter {
        static final NoopCounter INSTANCE = new NoopCounter();

        @Override
        public LongCounterBuilder setDescription(String description) {
            return this;
        }

        @Override
        public LongCounterBuilder setUnit(String unit) {
            return this;
        }

        @Override
        public io.opentelemetry.api.metrics.DoubleCounterBuilder ofDoubles() {
            return MeterProvider.noop().get("obs").counterBuilder("obs").ofDoubles();
        }

        @Override
        public LongCounter build() {
            return this;
        }

        @Override
        public io.opentelemetry.api.metrics.ObservableLongCounter buildWithCallback(
                java.util.function.Consumer<io.opentelemetry.api.metrics.ObservableLongMeasurement> callback) {
            return MeterProvider.noop().get("obs").counterBuilder("obs").buildWithCallback(callback);
        }

        @Override
        public void add(long value) {
        }

        @Override
        public void add(long value, io.opentelemetry.api.common.Attributes attributes) {
        }

        @Override
        public void add(long value, io.opentelemetry.api.common.Attributes attributes,
                        io.opentelemetry.context.Context context) {
        }
    }

    /**
     * Hands the HTTP exporters obs's {@link UrlConnectionSender} directly. The SDK's default finds senders
     * with a {@code ServiceLoader}, which reads obs.jar's service files through the agent class loader
     * (2–3 ms of CPU per exporter at every start). No other component is offered: compression is
     * {@code none} or {@code gzip}, which the SDK has built in.
     */
    private static final class OwnSender implements ComponentLoader {
        static final OwnSender INSTANCE = new OwnSender();

        @Override
        public <T> Iterable<T> load(Class<T> spiClass) {
            if (spiClass == HttpSenderProvider.class) {
                return List.of(spiClass.cast(new UrlConnectionSender.Provider()));
            }
            return List.of();
        }
    }

    private static final class SuppressedDaemons implements ThreadFactory {
        @Override
        public Thread newThread(Runnable runnable) {
            Thread t = new Thread("obs-export-sender") {
                @Override
                public void run() {
                    Recorder.suppressCurrentThread();
                    runnable.run();
                }
            };
            t.setDaemon(true);
            return t;
        }
    }
}
