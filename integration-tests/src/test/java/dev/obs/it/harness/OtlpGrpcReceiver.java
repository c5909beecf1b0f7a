package dev.obs.it.harness;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A minimal OTLP/gRPC collector on 127.0.0.1 (plaintext HTTP/2), keeping what it receives. */
public final class OtlpGrpcReceiver extends TelemetryStore implements AutoCloseable {
    private static final Context.Key<Map<String, List<String>>> HEADERS = Context.key("otlp-request-headers");

    private final Server server;

    public OtlpGrpcReceiver() {
        ServerInterceptor headerCapture = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata metadata,
                                                               ServerCallHandler<Q, R> next) {
                Context context = Context.current().withValue(HEADERS, headers(metadata));
                return Contexts.interceptCall(context, call, metadata, next);
            }
        };
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .addService(ServerInterceptors.intercept(new TraceService(), headerCapture))
                    .addService(ServerInterceptors.intercept(new MetricsService(), headerCapture))
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getPort();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class TraceService extends TraceServiceGrpc.TraceServiceImplBase {
        @Override
        public void export(ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> response) {
            record(TraceServiceGrpc.getExportMethod().getFullMethodName(), request.toByteArray());
            addTraces(request);
            response.onNext(ExportTraceServiceResponse.getDefaultInstance());
            response.onCompleted();
        }
    }

    private final class MetricsService extends MetricsServiceGrpc.MetricsServiceImplBase {
        @Override
        public void export(ExportMetricsServiceRequest request, StreamObserver<ExportMetricsServiceResponse> response) {
            record(MetricsServiceGrpc.getExportMethod().getFullMethodName(), request.toByteArray());
            addMetrics(request);
            response.onNext(ExportMetricsServiceResponse.getDefaultInstance());
            response.onCompleted();
        }
    }

    private void record(String method, byte[] body) {
        Map<String, List<String>> headers = HEADERS.get();
        addRawRequest(new RawRequest(method, headers == null ? Map.of() : headers, body, body, 200, Instant.now()));
    }

    private static Map<String, List<String>> headers(Metadata metadata) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String key : metadata.keys()) {
            if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                continue;
            }
            Iterable<String> values = metadata.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
            if (values != null) {
                values.forEach(v -> out.computeIfAbsent(key.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(v));
            }
        }
        return out;
    }
}
