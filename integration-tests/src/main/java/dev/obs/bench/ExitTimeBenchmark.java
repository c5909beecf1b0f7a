package dev.obs.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How long a short program (58 ms alone: {@link ExitWorkload}, four spans) takes with obs attached, by
 * where its records go: the local OTLP-JSON store, a live OTLP/HTTP collector, a port nobody listens on
 * (connection refused), and a collector that accepts connections and never answers. Child JVMs in rotating
 * order, {@code --runs} rounds; reported: the median wall time of each, and its difference to the live
 * collector in the same rounds.
 *
 * <p>Checks: with the port closed the program ends at most 100 ms later than with a live collector; with a
 * collector that never answers, at most {@code obs.shutdown.timeout} later.
 *
 * <pre>
 *   java -Dobs.jar=agent/target/obs.jar -cp integration-tests/target/benchmarks.jar dev.obs.bench.ExitTimeBenchmark \
 *        [--runs 7] [--shutdown-timeout 2s]
 * </pre>
 */
public final class ExitTimeBenchmark {
    private static final long REFUSED_BUDGET_MS = 100;

    private ExitTimeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    private static int run(String[] args) throws Exception {
        BenchOptions o = BenchOptions.parse(args, "--runs", "--shutdown-timeout");
        if (o == null) {
            return 2;
        }
        int runs = o.integer("--runs", 7);
        String shutdownTimeout = o.text("--shutdown-timeout", "2s");
        String agentJar = Bench.agentJar();
        if (agentJar == null) {
            return 2;
        }
        double loadBefore = Bench.loadAverage();
        AtomicInteger inFlight = new AtomicInteger();
        HttpServer live = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        live.setExecutor(Executors.newFixedThreadPool(2));
        live.createContext("/", ex -> {
            inFlight.incrementAndGet();
            try (ex) {
                ex.getRequestBody().readAllBytes();
                ex.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                ex.sendResponseHeaders(200, -1);
            } finally {
                inFlight.decrementAndGet();
            }
        });
        live.start();
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        ServerSocket silent = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        List<Socket> held = new ArrayList<>();
        Thread acceptor = new Thread(() -> holdConnections(silent, held), "silent-collector");
        acceptor.setDaemon(true);
        acceptor.start();
        Path store = Files.createTempDirectory("obs-exit-bench");

        Map<String, List<String>> configs = new LinkedHashMap<>();
        configs.put("no agent", List.of());
        configs.put("local store", obsArgs(agentJar, shutdownTimeout, "-Dobs.exporter=file", "-Dobs.store.dir=" + store));
        configs.put("live collector", otlp(agentJar, shutdownTimeout, live.getAddress().getPort()));
        configs.put("connection refused", otlp(agentJar, shutdownTimeout, closedPort));
        configs.put("never answers", otlp(agentJar, shutdownTimeout, silent.getLocalPort()));
        Map<String, List<Double>> millis = new LinkedHashMap<>();
        configs.keySet().forEach(k -> millis.put(k, new ArrayList<>()));
        List<String> names = new ArrayList<>(configs.keySet());
        for (int round = 0; round < runs; round++) {
            for (int i = 0; i < names.size(); i++) {
                String name = names.get((round + i) % names.size());
                List<String> cmd = new ArrayList<>();
                cmd.add(Bench.javaLauncher());
                cmd.addAll(configs.get(name));
                cmd.addAll(List.of("-cp", Bench.benchmarksClasspath(), ExitWorkload.class.getName()));
                WorkloadChild child = WorkloadChild.run(new ProcessBuilder(cmd), 120, inFlight);
                if (!child.ok() || !child.check.equals("ok")) {
                    child.printStdout();
                    child.printStderr();
                    System.err.println("exit bench: " + name + " failed: " + child.exitDescription());
                    return 2;
                }
                millis.get(name).add(child.wallNanos / 1e6);
            }
        }
        live.stop(0);
        silent.close();

        long timeoutMs = Duration.parse("PT" + shutdownTimeout.toUpperCase(Locale.ROOT)).toMillis();
        double liveMs = WorkloadChild.median(millis.get("live collector"));
        StringBuilder b = new StringBuilder();
        b.append("\n== ExitTimeBenchmark (a 4-span program, ").append(runs).append(" rounds, rotating order,"
                + " obs.shutdown.timeout=").append(shutdownTimeout).append(")\n");
        b.append(String.format(Locale.ROOT, "%-20s %10s %14s   %s%n", "records go to", "median ms", "vs live ms",
                "all runs ms"));
        for (Map.Entry<String, List<Double>> e : millis.entrySet()) {
            double median = WorkloadChild.median(e.getValue());
            StringBuilder all = new StringBuilder();
            for (double v : e.getValue()) {
                all.append(String.format(Locale.ROOT, "%.0f ", v));
            }
            b.append(String.format(Locale.ROOT, "%-20s %10.0f %+14.0f   %s%n", e.getKey(), median, median - liveMs,
                    all.toString().trim()));
        }
        double refused = WorkloadChild.median(millis.get("connection refused")) - liveMs;
        double silentMs = WorkloadChild.median(millis.get("never answers")) - liveMs;
        b.append(String.format(Locale.ROOT, "load average before / after: %.2f / %.2f%n", loadBefore,
                Bench.loadAverage()));
        boolean refusedOk = refused <= REFUSED_BUDGET_MS;
        boolean silentOk = silentMs <= timeoutMs;
        b.append(String.format(Locale.ROOT, "  [%s] connection refused ends %+.0f ms after a live collector (<= %d)%n",
                refusedOk ? "PASS" : "FAIL", refused, REFUSED_BUDGET_MS));
        b.append(String.format(Locale.ROOT, "  [%s] a collector that never answers: %+.0f ms (<= obs.shutdown.timeout"
                + " %d)%n", silentOk ? "PASS" : "FAIL", silentMs, timeoutMs));
        System.out.print(b);
        return refusedOk && silentOk ? 0 : 1;
    }

    private static List<String> otlp(String agentJar, String shutdownTimeout, int port) {
        List<String> args = new ArrayList<>(Bench.otlpAgentArgs(agentJar, "http://127.0.0.1:" + port, "obs-exit-bench"));
        args.addAll(common(shutdownTimeout));
        return args;
    }

    private static List<String> obsArgs(String agentJar, String shutdownTimeout, String... more) {
        List<String> args = new ArrayList<>(List.of("-javaagent:" + agentJar));
        args.addAll(List.of(more));
        args.addAll(common(shutdownTimeout));
        return args;
    }

    private static List<String> common(String shutdownTimeout) {
        List<String> args = new ArrayList<>(List.of("-Dobs.methods.include=" + Target.class.getName() + "[work]",
                "-Dobs.shutdown.timeout=" + shutdownTimeout));
        args.addAll(Bench.obsArgs());
        return args;
    }

    /** Accepts connections and keeps them open without reading or answering. */
    private static void holdConnections(ServerSocket server, List<Socket> held) {
        while (!server.isClosed()) {
            try {
                held.add(server.accept());
            } catch (IOException e) {
                return;
            }
        }
    }
}
