package dev.obs.it;

import com.acme.FsApp;
import com.acme.MethodsApp;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.ObsCli;
import dev.obs.it.harness.OtlpJsonStore;
import dev.obs.it.harness.Tmux;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The terminal commands in a real pseudo-terminal (tmux) of 80 columns, as a person runs them: with and
 * without colour, nothing wraps (a wrapped line would come back longer than the pane when tmux joins it),
 * the table's header and rows stay whole, and {@code --watch} redraws in place.
 */
class ObsTerminalTest {
    private static final Duration SCREEN = Duration.ofSeconds(60);
    private static final String LONG_SERVICE = "a-service-with-a-name-far-longer-than-any-column-of-the-table-or-"
            + "even-the-whole-width-of-the-terminal";
    @TempDir
    static Path dir;
    static Path store;

    @BeforeAll
    static void writeStore() throws Exception {
        store = dir.resolve("store");
        Path data = Files.createDirectories(dir.resolve("a-rather-long-directory-name-for-file-groups"));
        // a service name longer than any column, to be cut rather than wrapped
        JvmResult fs = ObsRuns.instrumented(FsApp.class).property("obs.store.dir", store.toString())
                .property("otel.service.name", LONG_SERVICE)
                .args("--data=" + data, "--blocks=3").run();
        assertEquals(0, fs.exitCode(), fs.describe());
        JvmResult methods = ObsRuns.instrumented(MethodsApp.class).property("obs.store.dir", store.toString())
                .run();
        assertEquals(0, methods.exitCode(), methods.describe());
    }

    private static String obs(String env, String args) {
        return (env.isEmpty() ? "" : "env " + env + " ") + String.join(" ", ObsCli.command()) + " " + args;
    }

    private static void assertFits(String joined, int columns) {
        for (String line : joined.lines().toList()) {
            assertTrue(line.codePointCount(0, line.length()) <= columns,
                    "a line wrapped at " + columns + " columns:\n" + line + "\n--- screen\n" + joined);
        }
    }

    @Test
    void metricsFitEightyColumnsWithoutColour() {
        try (Tmux t = new Tmux(80, 100, obs("NO_COLOR=1", "metrics --store " + store))) {
            t.awaitEnd(SCREEN);
            String joined = t.capture(true, false);
            assertFits(joined, 80);
            assertFalse(t.capture(true, true).contains("\u001b["), "no colour with NO_COLOR:\n" + joined);
            List<String> lines = joined.lines().toList();
            String header = lines.stream().filter(l -> l.startsWith("OPERATION")).findFirst().orElseThrow(
                    () -> new AssertionError("no table header:\n" + joined));
            assertTrue(header.matches("OPERATION +COUNT +ERR +RATE +P50 +P95 +P99 +MAX +BYTES"), header);
            String sync = lines.stream().filter(l -> l.startsWith("  Repo.sync ")).findFirst().orElseThrow(
                    () -> new AssertionError("no Repo.sync row:\n" + joined));
            int countEnd = header.indexOf("COUNT") + "COUNT".length();
            assertEquals(" 5 ", sync.substring(countEnd - 2, countEnd + 1), "the count under COUNT: " + sync);
            int maxEnd = header.indexOf("MAX") + "MAX".length();
            assertTrue(sync.length() >= maxEnd && sync.charAt(maxEnd - 1) == 's', "the max under MAX: " + sync);
            assertTrue(joined.contains("own:a-service-with-a-name-far-longer"), joined);
            assertTrue(joined.contains("…"), "long names are cut with an ellipsis:\n" + joined);
        }
    }

    @Test
    void metricsFitEightyColumnsInColour() {
        try (Tmux t = new Tmux(80, 100, obs("", "metrics --color=always --store " + store))) {
            t.awaitEnd(SCREEN);
            String joined = t.capture(true, false);
            assertFits(joined, 80);
            String coloured = t.capture(true, true);
            assertTrue(coloured.contains("\u001b["), "colour asked for:\n" + coloured);
            assertTrue(joined.lines().anyMatch(l -> l.startsWith("  Repo.sync ")), joined);
        }
    }

    @Test
    void aTerminalGetsColourUnlessNoColorIsSet() {
        try (Tmux t = new Tmux(80, 100, obs("", "metrics --store " + store))) {
            t.awaitEnd(SCREEN);
            assertTrue(t.capture(true, true).contains("\u001b["), "colour on a terminal by default");
            assertFits(t.capture(true, false), 80);
        }
    }

    @Test
    void traceFitsEightyColumns() {
        ObsCli.Result list = ObsCli.create().run("traces", "--json", "--store", store.toString(),
                "--operation", "Job.run");
        String id = list.json().getAsJsonArray("traces").get(0).getAsJsonObject().get("traceId").getAsString();
        try (Tmux t = new Tmux(80, 100, obs("", "trace " + id + " --store " + store))) {
            t.awaitEnd(SCREEN);
            String joined = t.capture(true, false);
            assertFits(joined, 80);
            assertEquals(8, joined.lines().filter(l -> l.contains("█")).count(), joined);
            assertTrue(joined.lines().anyMatch(l -> l.startsWith("      Repo.push ")), joined);
            assertTrue(t.capture(true, true).contains("\u001b["), "colour on a terminal");
        }
        try (Tmux t = new Tmux(80, 100, obs("NO_COLOR=1", "trace " + id + " --store " + store))) {
            t.awaitEnd(SCREEN);
            assertFits(t.capture(true, false), 80);
            assertFalse(t.capture(true, true).contains("\u001b["), "no colour with NO_COLOR");
        }
    }

    @Test
    void watchRedrawsInPlaceAsTheStoreGrows(@TempDir Path tmp) throws Exception {
        Path watched = Files.createDirectories(tmp.resolve("store"));
        Path metrics = new OtlpJsonStore(store).metricFiles().stream()
                .filter(f -> {
                    try {
                        return Files.readString(f).contains("Repo.sync") || Files.readString(f).contains("\"sync\"");
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).findFirst().orElseThrow();
        Files.copy(metrics, watched.resolve(metrics.getFileName()));
        try (Tmux t = new Tmux(80, 60, obs("NO_COLOR=1", "metrics --watch 500ms --family methods --store "
                + watched))) {
            t.awaitText("watching every", SCREEN);
            String before = t.capture(true, false);
            assertTrue(before.lines().anyMatch(l -> l.matches("  Repo\\.sync +5 .*")), before);
            // a second process of the same program: its run adds up
            Files.copy(metrics, watched.resolve("metrics-20000101-000000-1-0001.jsonl"));
            long deadline = System.nanoTime() + SCREEN.toNanos();
            String after = before;
            while (System.nanoTime() < deadline && after.lines().noneMatch(l -> l.matches("  Repo\\.sync +10 .*"))) {
                Thread.sleep(200);
                after = t.capture(true, false);
            }
            String screen = after;
            assertTrue(screen.lines().anyMatch(l -> l.matches("  Repo\\.sync +10 .*")), screen);
            // redrawn in place: one table on the screen, not a second one scrolled below the first
            assertEquals(1, screen.lines().filter(l -> l.startsWith("OPERATION")).count(), screen);
            assertFits(screen, 80);
        }
    }

    @Test
    void watchAgainstALiveAgentRedrawsEveryInterval(@TempDir Path tmp) throws Exception {
        // two answers of /metrics/json: the last lines of a run with 5 and of one with 9 Repo.sync calls
        String five = lastMetricsLine(store, "Repo");
        Path more = tmp.resolve("more");
        JvmResult run = ObsRuns.instrumented(MethodsApp.class).property("obs.store.dir", more.toString())
                .args("--sync=7").run();
        assertEquals(0, run.exitCode(), run.describe());
        String nine = lastMetricsLine(more, "Repo");
        java.util.concurrent.atomic.AtomicReference<String> answer = new java.util.concurrent.atomic.AtomicReference<>(five);
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics/json", exchange -> {
            byte[] body = answer.get().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        try (Tmux t = new Tmux(80, 60, obs("NO_COLOR=1", "metrics --watch 300ms --family methods --url " + url))) {
            String before = t.awaitText("watching every", SCREEN);
            assertTrue(before.lines().anyMatch(l -> l.matches("  Repo\\.sync +5 .*")), before);
            answer.set(nine);
            long deadline = System.nanoTime() + SCREEN.toNanos();
            String screen = before;
            while (System.nanoTime() < deadline && screen.lines().noneMatch(l -> l.matches("  Repo\\.sync +9 .*"))) {
                Thread.sleep(200);
                screen = t.capture(true, false);
            }
            assertTrue(screen.lines().anyMatch(l -> l.matches("  Repo\\.sync +9 .*")), screen);
            assertEquals(1, screen.lines().filter(l -> l.startsWith("OPERATION")).count(), screen);
            assertTrue(screen.contains(url), "the source is named: " + screen);
        } finally {
            server.stop(0);
        }
    }

    private static String lastMetricsLine(Path store, String containing) throws Exception {
        String last = null;
        for (Path f : new OtlpJsonStore(store).metricFiles()) {
            for (String line : Files.readAllLines(f)) {
                if (line.contains(containing)) {
                    last = line;
                }
            }
        }
        if (last == null) {
            throw new AssertionError("no metrics line with " + containing + " in " + store);
        }
        return last;
    }
}
