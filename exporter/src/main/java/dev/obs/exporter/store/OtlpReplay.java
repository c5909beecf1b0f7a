package dev.obs.exporter.store;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Sends store lines to an OTLP receiver, one request per line, as they were exported: {@code http/protobuf}
 * (POST {@code /v1/traces}, {@code /v1/metrics}) or {@code grpc} (the collector services' Export method over
 * HTTP/2 without TLS, or with it for https). A request the receiver refuses fails the replay with its answer.
 */
public final class OtlpReplay implements AutoCloseable {
    public enum Transport { HTTP_PROTOBUF, GRPC }

    private static final MediaType GRPC = MediaType.get("application/grpc");
    private final String endpoint;
    private final Transport protocol;
    private final HttpClient http;
    private final OkHttpClient grpc;

    public OtlpReplay(String endpoint, Transport protocol) {
        this.endpoint = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        this.protocol = protocol;
        if (protocol == Transport.HTTP_PROTOBUF) {
            this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            this.grpc = null;
        } else {
            this.http = null;
            boolean tls = this.endpoint.startsWith("https:");
            this.grpc = new OkHttpClient.Builder()
                    .protocols(tls ? List.of(Protocol.HTTP_2, Protocol.HTTP_1_1) : List.of(Protocol.H2_PRIOR_KNOWLEDGE))
                    .callTimeout(Duration.ofSeconds(30)).build();
        }
    }

    /** Sends one stored line of {@code signal} ("traces" or "metrics"). */
    public void send(String signal, byte[] buf, int off, int len) throws IOException {
        boolean traces = signal.equals("traces");
        byte[] proto = traces ? OtlpProtoEncoder.traces(buf, off, len) : OtlpProtoEncoder.metrics(buf, off, len);
        if (protocol == Transport.HTTP_PROTOBUF) {
            sendHttp(traces ? "/v1/traces" : "/v1/metrics", proto);
        } else {
            sendGrpc(traces ? "/opentelemetry.proto.collector.trace.v1.TraceService/Export"
                    : "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export", proto);
        }
    }

    private void sendHttp(String path, byte[] proto) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(proto)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException(endpoint + path + " answered HTTP " + response.statusCode());
        }
    }

    private void sendGrpc(String path, byte[] proto) throws IOException {
        byte[] framed = new byte[proto.length + 5];
        framed[1] = (byte) (proto.length >>> 24);
        framed[2] = (byte) (proto.length >>> 16);
        framed[3] = (byte) (proto.length >>> 8);
        framed[4] = (byte) proto.length;
        System.arraycopy(proto, 0, framed, 5, proto.length);
        Request request = new Request.Builder().url(endpoint + path).header("te", "trailers")
                .post(RequestBody.create(framed, GRPC)).build();
        try (Response response = grpc.newCall(request).execute()) {
            if (response.code() != 200) {
                throw new IOException(endpoint + path + " answered HTTP " + response.code());
            }
            response.body().bytes();
            String status = response.header("grpc-status");
            if (status == null) {
                status = response.trailers().get("grpc-status");
            }
            if (status != null && !status.equals("0")) {
                String message = response.trailers().get("grpc-message");
                throw new IOException(endpoint + " answered gRPC status " + status
                        + (message == null ? "" : " (" + message + ")"));
            }
        }
    }

    @Override
    public void close() {
        if (grpc != null) {
            grpc.dispatcher().executorService().shutdown();
            grpc.connectionPool().evictAll();
        }
    }
}
