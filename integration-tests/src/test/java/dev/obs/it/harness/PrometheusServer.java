package dev.obs.it.harness;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The real Prometheus (Debian's {@code prometheus}, {@code /usr/bin/prometheus}) on 127.0.0.1 and a free port,
 * scraping one target every second (exemplars stored), with its data in a temporary directory. Queried through
 * its HTTP API.
 */
public final class PrometheusServer implements AutoCloseable {
    public static final String BINARY = "/usr/bin/prometheus";
    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts Prometheus scraping {@code target} ({@code host:port}, path /metrics) and waits until it is ready. */
    public static PrometheusServer start(Path dir, String target) throws IOException, InterruptedException {
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                + "scrape_configs:\n  - job_name: obs\n    static_configs:\n      - targets: ['" + target + "']\n");
        int port = freePort();
        Path log = dir.resolve("prometheus.log");
        Process p = new ProcessBuilder(BINARY, "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--enable-feature=exemplar-storage")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(p, port, log);
        server.awaitReady(Duration.ofSeconds(60));
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void awaitReady(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited (" + process.exitValue() + "):\n" + log());
            }
            try {
                if (get("/-/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("prometheus not ready within " + limit + ":\n" + log());
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The value of an instant query whose result is one sample (such as {@code sum(...)}), or NaN when the
     * result is empty.
     */
    public double query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> r = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (r.statusCode() != 200) {
            throw new AssertionError("query " + promql + " answered " + r.statusCode() + ": " + r.body());
        }
        JsonObject body = JsonParser.parseString(r.body()).getAsJsonObject();
        JsonArray result = body.getAsJsonObject("data").getAsJsonArray("result");
        if (result.isEmpty()) {
            return Double.NaN;
        }
        if (result.size() != 1) {
            throw new AssertionError("query " + promql + " has " + result.size() + " series: " + r.body());
        }
        return Double.parseDouble(result.get(0).getAsJsonObject().getAsJsonArray("value").get(1).getAsString());
    }

    /**
     * The {@code trace_id}/{@code span_id} pairs of the exemplars Prometheus stored for the series of
     * {@code selector} over the last hour, as {@code traceId/spanId}.
     */
    public java.util.List<String> exemplarIds(String selector) throws IOException, InterruptedException {
        long now = System.currentTimeMillis() / 1000;
        HttpResponse<String> r = get("/api/v1/query_exemplars?query=" + URLEncoder.encode(selector,
                StandardCharsets.UTF_8) + "&start=" + (now - 3600) + "&end=" + (now + 60));
        if (r.statusCode() != 200) {
            throw new AssertionError("query_exemplars " + selector + " answered " + r.statusCode() + ": " + r.body());
        }
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (var series : JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonArray("data")) {
            for (var e : series.getAsJsonObject().getAsJsonArray("exemplars")) {
                JsonObject labels = e.getAsJsonObject().getAsJsonObject("labels");
                ids.add(labels.get("trace_id").getAsString() + "/" + labels.get("span_id").getAsString());
            }
        }
        return ids;
    }

    /** The targets page of the API, for failure messages. */
    public String targets() {
        try {
            return get("/api/v1/targets").body();
        } catch (IOException | InterruptedException e) {
            return "(targets unavailable: " + e + ")";
        }
    }

    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
