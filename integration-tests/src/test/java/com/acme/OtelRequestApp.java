package com.acme;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;

/**
 * A program that traces its own requests with OpenTelemetry and does Git work inside them: a span
 * {@code request} made current, a JGit {@code add} and {@code commit} in it; then a request its sampler
 * drops ({@code unsampled request}, JGit {@code add} and {@code commit}), then one more sampled request with
 * a JGit {@code status}.
 *
 * <p>{@code agent <dir>}: the tracer is {@code GlobalOpenTelemetry}'s (the OpenTelemetry agent's when it is
 * attached, a no-op otherwise). {@code sdk <dir> <traces url>}: the application's own SDK, exporting to that
 * OTLP/HTTP URL, sampling every span but {@code unsampled request}. stdout is the same with or without
 * agents; the request span's ids go to stderr.
 */
public final class OtelRequestApp {
    private OtelRequestApp() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        Sdk sdk = args[0].equals("sdk") ? new Sdk(args[2]) : null;
        Tracer tracer = sdk != null ? sdk.tracer() : GlobalOpenTelemetry.getTracer("com.acme.request");
        try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
            request(tracer, "request", () -> {
                Files.writeString(dir.resolve("a.txt"), "a\n");
                git.add().addFilepattern("a.txt").call();
                git.commit().setMessage("first").setAuthor("A", "a@example.com").setSign(false).call();
            });
            request(tracer, "unsampled request", () -> {
                Files.writeString(dir.resolve("b.txt"), "b\n");
                git.add().addFilepattern("b.txt").call();
                git.commit().setMessage("second").setAuthor("A", "a@example.com").setSign(false).call();
            });
            request(tracer, "status request", () -> System.out.println("clean: " + git.status().call().isClean()));
        }
        if (sdk != null) {
            sdk.shutdown();
        }
        System.out.println("done");
    }

    interface Work {
        void run() throws Exception;
    }

    private static void request(Tracer tracer, String name, Work work) throws Exception {
        Span span = tracer.spanBuilder(name).setSpanKind(SpanKind.SERVER).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            work.run();
        } finally {
            span.end();
        }
        System.out.println(name + " done");
        System.err.println("request '" + name + "' trace " + span.getSpanContext().getTraceId() + " span "
                + span.getSpanContext().getSpanId() + " sampled " + span.getSpanContext().isSampled());
    }

    /** The application's own SDK; a class of its own, so the agent mode runs without the SDK's jars. */
    private static final class Sdk {
        private final SdkTracerProvider provider;

        Sdk(String tracesUrl) {
            provider = SdkTracerProvider.builder()
                    .setSampler(new DropUnsampledRequests())
                    .addSpanProcessor(SimpleSpanProcessor.create(OtlpHttpSpanExporter.builder().setEndpoint(tracesUrl).build()))
                    .build();
        }

        Tracer tracer() {
            return provider.get("com.acme.request");
        }

        void shutdown() {
            provider.shutdown().join(10, TimeUnit.SECONDS);
        }
    }

    /** Samples every span but the root named {@code unsampled request} (whose children follow it). */
    private static final class DropUnsampledRequests implements Sampler {
        @Override
        public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
                                           Attributes attributes, List<LinkData> parentLinks) {
            Span parent = Span.fromContext(parentContext);
            if (parent.getSpanContext().isValid()) {
                return parent.getSpanContext().isSampled() ? SamplingResult.recordAndSample() : SamplingResult.drop();
            }
            return name.equals("unsampled request") ? SamplingResult.drop() : SamplingResult.recordAndSample();
        }

        @Override
        public String getDescription() {
            return "DropUnsampledRequests";
        }
    }
}
