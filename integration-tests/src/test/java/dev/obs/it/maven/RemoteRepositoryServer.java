package dev.obs.it.maven;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Remote Maven repositories on 127.0.0.1, one per path prefix ({@code /central/...}, {@code /extra/...}), each
 * serving a directory in Maven layout. Every request is logged with what was answered (status and body bytes),
 * so a test can compare what Maven and obs say was downloaded with what really crossed the wire. Paths can be
 * made to answer an error status or to answer slowly. A repository opened for uploads takes {@code PUT}s
 * (answered 201, the bytes received logged) and serves them afterwards.
 *
 * <p>A repository may have a fallback directory, read-only, for the files the test did not create: the
 * build's own local repository, from which the plugins of the test project (the versions obs's own build
 * uses, so they are there) are served. A fallback file is served like any other and logged.
 */
public final class RemoteRepositoryServer implements AutoCloseable {
    /** One answered request. {@code bytes}: body bytes sent, or received for a PUT (0 for HEAD and errors). */
    public record Served(String repository, String method, String path, int status, long bytes) {
        /** An artifact or POM file, not a checksum or metadata file. */
        public boolean isArtifact() {
            return !path.endsWith(".sha1") && !path.endsWith(".md5") && !path.endsWith(".sha256")
                    && !path.endsWith(".sha512") && !path.contains("maven-metadata");
        }
    }

    private record Repository(Path root, Path fallback, boolean uploads) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Repository> repositories = new ConcurrentHashMap<>();
    private final Map<String, Integer> statusByPath = new ConcurrentHashMap<>();
    private final Map<String, Duration> delayByPath = new ConcurrentHashMap<>();
    private final List<Served> served = new ArrayList<>();

    public RemoteRepositoryServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        executor = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "maven-repo-server");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Serves {@code root} (then {@code fallback}, may be null) under {@code /<id>/}. */
    public RemoteRepositoryServer repository(String id, Path root, Path fallback) {
        repositories.put(id, new Repository(root, fallback, false));
        return this;
    }

    /** Serves {@code root} under {@code /<id>/} and stores there what is PUT (as {@code mvn deploy} does). */
    public RemoteRepositoryServer uploads(String id, Path root) {
        repositories.put(id, new Repository(root, null, true));
        return this;
    }

    /** The URL of repository {@code id}, without a trailing slash. */
    public String url(String id) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + id;
    }

    /** Answers {@code status} for {@code /<repository>/<path>} whether the file exists or not. */
    public void answer(String repository, String path, int status) {
        statusByPath.put("/" + repository + "/" + path, status);
    }

    /** Waits {@code delay} before answering {@code /<repository>/<path>}. */
    public void delay(String repository, String path, Duration delay) {
        delayByPath.put("/" + repository + "/" + path, delay);
    }

    /** Everything answered since the last {@link #clearLog()}, in order of answer. */
    public synchronized List<Served> log() {
        return List.copyOf(served);
    }

    public synchronized void clearLog() {
        served.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String fullPath = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            int slash = fullPath.indexOf('/', 1);
            String id = slash < 0 ? "" : fullPath.substring(1, slash);
            String path = slash < 0 ? "" : fullPath.substring(slash + 1);
            Duration delay = delayByPath.get(fullPath);
            if (delay != null) {
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Repository repository = repositories.get(id);
            Integer forced = statusByPath.get(fullPath);
            if (method.equals("PUT") && forced == null && repository != null && repository.uploads()
                    && !path.isEmpty() && !path.contains("..")) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                Path target = repository.root().resolve(path);
                Files.createDirectories(target.getParent());
                Files.write(target, body);
                exchange.sendResponseHeaders(201, -1);
                synchronized (this) {
                    served.add(new Served(id, method, path, 201, body.length));
                }
                return;
            }
            Path file = repository == null || path.contains("..") ? null : find(repository, path);
            int status = forced != null ? forced : file == null ? 404
                    : method.equals("GET") || method.equals("HEAD") ? 200 : 405;
            long bytes = 0;
            if (status == 200) {
                byte[] body = file.getFileName().toString().startsWith(COMPUTED) ? checksumOf(file) : null;
                long length = body != null ? body.length : Files.size(file);
                exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
                if (method.equals("HEAD")) {
                    exchange.getResponseHeaders().set("Content-Length", Long.toString(length));
                    exchange.sendResponseHeaders(200, -1);
                } else {
                    exchange.sendResponseHeaders(200, length);
                    try (InputStream in = body != null ? new java.io.ByteArrayInputStream(body)
                            : Files.newInputStream(file); OutputStream out = exchange.getResponseBody()) {
                        bytes = in.transferTo(out);
                    }
                }
            } else {
                exchange.sendResponseHeaders(status, -1);
            }
            synchronized (this) {
                served.add(new Served(id, method, path, status, bytes));
            }
        }
    }

    /** Only files a remote repository holds: no local-repository bookkeeping ({@code _remote.repositories}...). */
    private static Path find(Repository repository, String path) {
        if (path.isEmpty() || path.endsWith("/") || path.contains("_remote.repositories")
                || path.endsWith(".lastUpdated") || path.contains("maven-metadata-")) {
            return null;
        }
        Path own = repository.root.resolve(path);
        if (Files.isRegularFile(own)) {
            return own;
        }
        if (repository.fallback != null && !path.contains("maven-metadata")) {
            Path other = repository.fallback.resolve(path);
            if (Files.isRegularFile(other)) {
                return other;
            }
            // a local repository keeps no checksums: the fallback's are computed from the file when asked for
            for (String algorithm : List.of("sha1", "md5")) {
                Path checked = repository.fallback.resolve(path.substring(0, Math.max(0,
                        path.length() - algorithm.length() - 1)));
                if (path.endsWith("." + algorithm) && Files.isRegularFile(checked)) {
                    return checked.resolveSibling(COMPUTED + algorithm + ":" + checked.getFileName());
                }
            }
        }
        return null;
    }

    /** Marks a path that stands for a checksum computed on the fly: {@code COMPUTED<algorithm>:<file name>}. */
    private static final String COMPUTED = "obs-computed-checksum-";

    private static byte[] checksumOf(Path marker) throws IOException {
        String name = marker.getFileName().toString().substring(COMPUTED.length());
        int colon = name.indexOf(':');
        String algorithm = name.substring(0, colon);
        Path file = marker.resolveSibling(name.substring(colon + 1));
        return TestRepository.hex(TestRepository.digest(algorithm, Files.readAllBytes(file)))
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
