package com.acme;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
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
 * agents; the request span's ids go to stderr. {@code extracted <traces url>}: see {@link #extracted}.
 */
public final class OtelRequestApp {
    private OtelRequestApp() {
    }

    /** The caller's trace context {@code extracted} continues: a W3C traceparent and its tracestate. */
    static final String CALLER_TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    static final String CALLER_TRACESTATE = "vendor=abc";

    public static void main(String[] args) throws Exception {
        if (args[0].equals("extracted")) {
            extracted(args[1], () -> System.out.println("in request: " + traceLines(new ProcessBuilder(
                    List.of("git", "-c", "alias.envdump=!env", "envdump")))));
            return;
        }
        if (args[0].equals("extracted-fetch")) {
            extracted(args[1], () -> fetch(args[2], Path.of(args[3])));
            return;
        }
        if (args[0].equals("extracted-docker")) {
            extracted(args[1], () -> DockerPing.ping(args[2]));
            return;
        }
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

    /**
     * {@code extracted <traces url>}: the application's own SDK; a {@code request} span whose parent is
     * extracted (W3CTraceContextPropagator) from the caller's traceparent and tracestate; inside it
     * {@code git envdump} (an alias for {@code env}), whose {@code TRACE*} environment lines are printed.
     * {@code extracted-fetch <traces url> <url> <dir>}: the same request, a JGit fetch from {@code url} into
     * a new repository in {@code dir} inside it (the test's server answers 404).
     * {@code extracted-docker <traces url> <docker host>}: the same request, a docker-java ping inside it.
     */
    private static void extracted(String tracesUrl, Work work) throws Exception {
        Sdk sdk = new Sdk(tracesUrl);
        java.util.Map<String, String> headers = java.util.Map.of("traceparent", CALLER_TRACEPARENT,
                "tracestate", CALLER_TRACESTATE);
        Context caller = W3CTraceContextPropagator.getInstance().extract(Context.root(), headers,
                new TextMapGetter<java.util.Map<String, String>>() {
                    @Override
                    public Iterable<String> keys(java.util.Map<String, String> carrier) {
                        return carrier.keySet();
                    }

                    @Override
                    public String get(java.util.Map<String, String> carrier, String key) {
                        return carrier == null ? null : carrier.get(key);
                    }
                });
        Span span = sdk.tracer().spanBuilder("request").setParent(caller).setSpanKind(SpanKind.SERVER).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            work.run();
        } finally {
            span.end();
        }
        System.err.println("request 'request' trace " + span.getSpanContext().getTraceId() + " span "
                + span.getSpanContext().getSpanId() + " tracestate " + span.getSpanContext().getTraceState().asMap());
        sdk.shutdown();
    }

    private static void fetch(String url, Path dir) throws Exception {
        try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
            git.fetch().setRemote(url).setRefSpecs("+refs/heads/*:refs/remotes/origin/*").call();
            System.out.println("fetched");
        } catch (Exception e) {
            System.out.println("fetch failed: " + e.getClass().getName());
        }
    }

    /** {@code exit <code>} and the child's {@code TRACE*} environment lines, sorted. */
    private static String traceLines(ProcessBuilder builder) throws Exception {
        builder.redirectErrorStream(true);
        Process p = builder.start();
        String out;
        try (java.io.InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        int code = p.waitFor();
        StringBuilder lines = new StringBuilder("exit " + code);
        new java.util.TreeSet<>(List.of(out.split("\n"))).stream().filter(l -> l.startsWith("TRACE"))
                .forEach(l -> lines.append(' ').append(l));
        return lines.toString();
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

    /** docker-java, in a class of its own: the other modes run without its jars. */
    private static final class DockerPing {
        static void ping(String host) throws Exception {
            com.github.dockerjava.api.DockerClient docker = DockerJavaApp.client(host);
            docker.pingCmd().exec();
            System.out.println("pinged");
            docker.close();
        }
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
