package dev.obs.agent.cli;

import dev.obs.exporter.store.MetricsSnapshot;
import dev.obs.exporter.store.OtlpJsonReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** A running agent's HTTP endpoints ({@code -Dobs.http.port}): {@code /metrics/json} and {@code /health}. */
final class LiveAgent {
    static final String DEFAULT_URL = "http://127.0.0.1:9464";
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private LiveAgent() {
    }

    /** The agent's cumulative metrics now: one OTLP-JSON request, the format of a store line. */
    static MetricsSnapshot metrics(String url) {
        HttpResponse<byte[]> r = get(url, "/metrics/json");
        if (r.statusCode() != 200) {
            throw CliError.failure(url + "/metrics/json answered " + r.statusCode());
        }
        try {
            List<MetricsSnapshot> s = OtlpJsonReader.readMetrics(r.body(), 0, r.body().length);
            if (s.isEmpty()) {
                throw CliError.failure(url + "/metrics/json holds no metrics yet");
            }
            return s.get(0);
        } catch (IOException e) {
            throw CliError.failure(url + "/metrics/json is not OTLP-JSON: " + e.getMessage());
        }
    }

    static HttpResponse<byte[]> get(String url, String path) {
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        URI uri;
        try {
            uri = URI.create(base + path);
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http URL");
            }
        } catch (IllegalArgumentException e) {
            throw CliError.usage("--url '" + url + "' is not an http URL (e.g. " + DEFAULT_URL + ")");
        }
        try {
            return CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw CliError.failure("no agent answers at " + base + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); start it with -Dobs.http.port");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliError.failure("interrupted");
        }
    }
}
