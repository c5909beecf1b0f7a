package dev.obs.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The OTLP receivers of the workload benchmarks: the JDK's HTTP server on an ephemeral port of 127.0.0.1,
 * with a pool of its own handler threads. The caller adds its contexts and starts it.
 */
final class LocalHttpServer {
    private LocalHttpServer() {
    }

    /** A server not started yet, handling requests on {@code threads} threads. */
    static HttpServer create(int threads) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(threads));
        return server;
    }

    /** {@code http://127.0.0.1:<port>}, the OTLP endpoint to give the agent. */
    static String endpoint(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Stops the server at once and lets its handler threads end. */
    static void stop(HttpServer server) {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdown();
    }
}
