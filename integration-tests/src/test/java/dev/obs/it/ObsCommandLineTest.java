package dev.obs.it;

import com.acme.FsApp;
import com.acme.JGitApp;
import com.acme.MethodsApp;
import com.acme.PhasedApp;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.JGitJars;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.ObsCli;
import dev.obs.it.harness.OtlpJsonStore;
import dev.obs.it.harness.ReceivedSpan;
import dev.obs.it.harness.RunningJvm;
import dev.obs.it.harness.TelemetryStore;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code java -jar obs.jar metrics|traces|trace} as a separate process over stores written by real
 * agent-attached children, compared with what the children did and with the store's own lines.
 */
class ObsCommandLineTest {
    static final int BLOCKS = 37;

    @TempDir
    static Path shared;
    static Path fsStore;
    static Path fsData;
    static Path gitStore;
    static Path methodsStore;

    @BeforeAll
    static void writeStores() throws Exception {
        fsStore = shared.resolve("fs-store");
        fsData = Files.createDirectories(shared.resolve("fs-data"));
        JvmResult fs = ObsRuns.instrumented(FsApp.class)
                .property("obs.store.dir", fsStore.toString())
                .property("obs.fs.groups", "data=" + fsData + "/**")
                .args("--data=" + fsData, "--blocks=" + BLOCKS).run();
        assertEquals(0, fs.exitCode(), fs.describe());

        gitStore = shared.resolve("git-store");
        Path gitWork = Files.createDirectories(shared.resolve("git-work"));
        JvmResult git = JGitJars.withJGit(ObsRuns.instrumented(JGitApp.class), null,
                        Files.createDirectories(shared.resolve("git-home")))
                .property("obs.store.dir", gitStore.toString())
                .args(gitWork.toString()).run();
        assertEquals(0, git.exitCode(), git.describe());

        methodsStore = shared.resolve("methods-store");
        JvmResult methods = ObsRuns.instrumented(MethodsApp.class)
                .property("obs.store.dir", methodsStore.toString())
                .args("--sync=3").run();
        assertEquals(0, methods.exitCode(), methods.describe());
    }

    @Test
    void fileWorkloadCountsAndBytesAreExact() {
        ObsCli.Result r = ObsCli.create().run("metrics", "--json", "--store", fsStore.toString(), "--family", "fs");
        assertEquals(0, r.exitCode(), r.describe());
        JsonObject data = group(r.json(), "data");
        assertNotNull(data, r.describe());
        JsonObject byType = data.getAsJsonObject("operationsByType");
        // what FsApp did under data/ (see its comments and FsInstrumentationTest)
        assertEquals(BLOCKS + 1 + 6 + 1 + 1, byType.get("read").getAsLong(), r.describe());
        assertEquals(BLOCKS + 5 + 3, byType.get("write").getAsLong(), r.describe());
        assertEquals(6, byType.get("open").getAsLong(), r.describe());
        assertEquals(4, byType.get("delete").getAsLong(), r.describe());
        long blockBytes = (long) BLOCKS * FsApp.BLOCK;
        assertEquals(blockBytes + 5 + 3000, data.get("readBytes").getAsLong(), r.describe());
        assertEquals(blockBytes + 5 + 3000, data.get("writeBytes").getAsLong(), r.describe());
    }

    @Test
    void fileOperationTotalsEqualTheStoresLastLine() {
        ObsCli.Result r = ObsCli.create().run("metrics", "--json", "--store", fsStore.toString(), "--family", "fs");
        assertEquals(0, r.exitCode(), r.describe());
        Map<String, Long> fromStore = lastSums(fsStore, "fs.operations", "fs.operation");
        Map<String, Long> fromCli = new TreeMap<>();
        for (JsonElement e : r.json().getAsJsonArray("operations")) {
            JsonObject o = e.getAsJsonObject();
            fromCli.put(o.get("operation").getAsString().substring("fs ".length()), o.get("count").getAsLong());
        }
        assertFalse(fromStore.isEmpty(), "the store has fs.operations");
        assertEquals(fromStore, fromCli, r.describe());
    }

    @Test
    void gitOperationCountsEqualTheWorkloadAndItsSpans() {
        ObsCli.Result r = ObsCli.create().run("metrics", "--json", "--store", gitStore.toString(), "--family", "git");
        assertEquals(0, r.exitCode(), r.describe());
        Map<String, Long> fromCli = counts(r.json());
        // JGitApp: clones a and b, adds a file before each of its 4 commits, pushes from both, one status, one log
        assertEquals(2L, fromCli.get("git clone"), r.describe());
        assertEquals(4L, fromCli.get("git add"), r.describe());
        assertEquals(2L, fromCli.get("git push"), r.describe());
        assertEquals(1L, fromCli.get("git status"), r.describe());
        assertEquals(1L, fromCli.get("git log"), r.describe());
        TelemetryStore stored = new OtlpJsonStore(gitStore).read();
        Map<String, Long> spans = new TreeMap<>();
        for (ReceivedSpan s : stored.spans()) {
            if (fromCli.containsKey(s.name())) {
                spans.merge(s.name(), 1L, Long::sum);
            }
        }
        assertEquals(spans, fromCli, "spans in the store vs obs metrics: " + r.describe());
    }

    @Test
    void methodCountsAndErrorsEqualTheSpans() {
        ObsCli.Result r = ObsCli.create().run("metrics", "--json", "--store", methodsStore.toString(),
                "--family", "methods");
        assertEquals(0, r.exitCode(), r.describe());
        Map<String, Long> fromCli = counts(r.json());
        Map<String, Long> expected = ObsRuns.METHODS_APP_SPANS.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> (long) e.getValue(), (a, b) -> a, TreeMap::new));
        assertEquals(expected, new TreeMap<>(fromCli), r.describe());
        JsonObject push = operation(r.json(), "Repo.push");
        assertEquals(1, push.get("errors").getAsLong(), "the rejected push: " + r.describe());
    }

    @Test
    void windowSinceTheSecondPhaseCountsOnlyIt(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("store");
        Path go = dir.resolve("go");
        RunningJvm child = ObsRuns.instrumented(PhasedApp.class).property("obs.store.dir", store.toString())
                .args("--first=30", "--second=12", "--go=" + go).start();
        child.awaitStdout("phase 1 done", Duration.ofSeconds(60));
        // one periodic export (1 s) after phase 1 holds all of it; the window starts after that line
        Thread.sleep(2500);
        String since = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS"));
        Thread.sleep(1100);
        Files.createFile(go);
        JvmResult result = child.awaitExit();
        assertEquals(0, result.exitCode(), result.describe());

        ObsCli.Result all = ObsCli.create().run("metrics", "--json", "--store", store.toString());
        assertEquals(42L, counts(all.json()).get("Repo.sync"), all.describe());
        ObsCli.Result second = ObsCli.create().run("metrics", "--json", "--store", store.toString(),
                "--since", since.replace(' ', 'T'));
        assertEquals(12L, counts(second.json()).get("Repo.sync"), second.describe());
        ObsCli.Result first = ObsCli.create().run("metrics", "--json", "--store", store.toString(),
                "--until", since.replace(' ', 'T'));
        assertEquals(30L, counts(first.json()).get("Repo.sync"), first.describe());
    }

    @Test
    void windowsAddUpTwoRunsOfTwoProcessesAcrossARestart(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("store");
        runPair(store, 7, 5);
        Thread.sleep(1500);
        String between = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS"));
        Thread.sleep(1100);
        // the same two services again: new processes whose counters start from zero
        runPair(store, 3, 2);

        ObsCli.Result all = ObsCli.create().run("metrics", "--json", "--store", store.toString());
        assertEquals(0, all.exitCode(), all.describe());
        assertEquals(4, all.json().get("processes").getAsInt(), all.describe());
        assertEquals(7L + 5 + 3 + 2, counts(all.json()).get("Repo.sync"), all.describe());

        ObsCli.Result alpha = ObsCli.create().run("metrics", "--json", "--store", store.toString(),
                "--service", "alpha");
        assertEquals(7L + 3, counts(alpha.json()).get("Repo.sync"), alpha.describe());

        ObsCli.Result second = ObsCli.create().run("metrics", "--json", "--store", store.toString(),
                "--since", between);
        assertEquals(2, second.json().get("processes").getAsInt(), second.describe());
        assertEquals(3L + 2, counts(second.json()).get("Repo.sync"), second.describe());
    }

    private static void runPair(Path store, int alpha, int beta) {
        RunningJvm a = ObsRuns.instrumented(PhasedApp.class).property("obs.store.dir", store.toString())
                .property("otel.service.name", "alpha").args("--first=" + alpha).start();
        RunningJvm b = ObsRuns.instrumented(PhasedApp.class).property("obs.store.dir", store.toString())
                .property("otel.service.name", "beta").args("--first=" + beta).start();
        JvmResult ra = a.awaitExit();
        JvmResult rb = b.awaitExit();
        assertEquals(0, ra.exitCode(), ra.describe());
        assertEquals(0, rb.exitCode(), rb.describe());
    }

    @Test
    void aDamagedLineIsSkippedAndCounted(@TempDir Path dir) throws Exception {
        Path store = Files.createDirectories(dir.resolve("store"));
        for (Path f : new OtlpJsonStore(methodsStore).allFiles()) {
            Files.copy(f, store.resolve(f.getFileName()));
        }
        ObsCli.Result before = ObsCli.create().run("metrics", "--json", "--store", store.toString());
        assertEquals(0, before.exitCode(), before.describe());
        assertEquals(0, before.json().getAsJsonObject("notes").get("damagedLines").getAsInt(), before.describe());

        // a JVM killed mid-write: the first half of a line, no newline
        Path metrics = new OtlpJsonStore(store).metricFiles().get(0);
        List<String> lines = Files.readAllLines(metrics);
        String last = lines.get(lines.size() - 1);
        Files.writeString(metrics, last.substring(0, last.length() / 2), java.nio.file.StandardOpenOption.APPEND);

        ObsCli.Result after = ObsCli.create().run("metrics", "--json", "--store", store.toString());
        assertEquals(0, after.exitCode(), after.describe());
        assertEquals(1, after.json().getAsJsonObject("notes").get("damagedLines").getAsInt(), after.describe());
        assertEquals(before.json().get("operations"), after.json().get("operations"), after.describe());
        assertTrue(after.stderr().startsWith("note: 1 damaged line"), after.describe());
    }

    @Test
    void traceShowsTheSpanTreeAsAWaterfall() {
        ObsCli.Result list = ObsCli.create().run("traces", "--json", "--store", methodsStore.toString(),
                "--operation", "Job.run");
        assertEquals(0, list.exitCode(), list.describe());
        JsonArray traces = list.json().getAsJsonArray("traces");
        assertEquals(1, traces.size(), list.describe());
        String id = traces.get(0).getAsJsonObject().get("traceId").getAsString();
        assertEquals(8, traces.get(0).getAsJsonObject().get("spans").getAsInt(), "Job.run's trace: " + list.describe());

        ObsCli.Result r = ObsCli.create().env("COLUMNS", "100").run("trace", id, "--store", methodsStore.toString());
        assertEquals(0, r.exitCode(), r.describe());
        List<String> spanLines = r.stdout().lines().filter(l -> l.contains("█")).toList();
        assertEquals(8, spanLines.size(), r.describe());
        // Job.run -> {Job.step -> Repo.sync -> Repo.push} x 2, Job.checksum: depth shows as two spaces each
        assertTrue(spanLines.get(0).startsWith("Job.run "), r.describe());
        assertTrue(spanLines.get(1).startsWith("  Job.step "), r.describe());
        assertTrue(spanLines.get(2).startsWith("    Repo.sync "), r.describe());
        assertTrue(spanLines.get(3).startsWith("      Repo.push "), r.describe());
        assertTrue(spanLines.stream().anyMatch(l -> l.startsWith("  Job.checksum ")), r.describe());
        for (String l : r.stdout().lines().toList()) {
            assertTrue(l.codePointCount(0, l.length()) <= 100, "fits 100 columns: " + l);
        }
        // the bar of the root covers the whole time line
        String rootBar = spanLines.get(0).substring(spanLines.get(0).indexOf('█'));
        assertTrue(rootBar.startsWith("█".repeat(30)), r.describe());
    }

    @Test
    void theAgentLoadsNoClassOfTheCommandLine() {
        JvmResult run = ObsRuns.instrumented(MethodsApp.class).jvmArg("-Xlog:class+load=info")
                .property("obs.store.dir", shared.resolve("class-load-store").toString()).run();
        assertEquals(0, run.exitCode(), run.describe());
        List<String> loaded = run.stdout().lines().filter(l -> l.contains("[class,load]")).toList();
        // positive control: the log does show obs's own classes, from the launcher and from inside the jar
        assertTrue(loaded.stream().anyMatch(l -> l.contains(" dev.obs.agent.ObsAgent ")), run.describe());
        assertTrue(loaded.stream().anyMatch(l -> l.contains(" dev.obs.agent.internal.AgentInstaller ")),
                run.describe());
        List<String> cli = loaded.stream().filter(l -> l.contains("dev.obs.agent.cli.") || l.contains("picocli")
                || l.contains("dev.obs.agent.ObsMain") || l.contains("dev.obs.exporter.store.")).toList();
        assertEquals(List.of(), cli, "classes of the command line loaded by the agent");
    }

    // --- helpers

    static Map<String, Long> counts(JsonObject metrics) {
        Map<String, Long> out = new TreeMap<>();
        for (JsonElement e : metrics.getAsJsonArray("operations")) {
            JsonObject o = e.getAsJsonObject();
            out.put(o.get("operation").getAsString(), o.get("count").getAsLong());
        }
        return out;
    }

    static JsonObject operation(JsonObject metrics, String name) {
        for (JsonElement e : metrics.getAsJsonArray("operations")) {
            if (e.getAsJsonObject().get("operation").getAsString().equals(name)) {
                return e.getAsJsonObject();
            }
        }
        throw new AssertionError("no operation " + name + " in " + metrics);
    }

    static JsonObject group(JsonObject metrics, String name) {
        for (JsonElement e : metrics.getAsJsonArray("fsGroups")) {
            if (e.getAsJsonObject().get("group").getAsString().equals(name)) {
                return e.getAsJsonObject();
            }
        }
        return null;
    }

    /** The sum per {@code key} of a counter in the last metrics line of a single-run store. */
    static Map<String, Long> lastSums(Path store, String metric, String key) {
        List<ExportMetricsServiceRequest> requests = new OtlpJsonStore(store).read().metricRequests();
        ExportMetricsServiceRequest last = requests.get(requests.size() - 1);
        Map<String, Long> out = new TreeMap<>();
        for (ResourceMetrics rm : last.getResourceMetricsList()) {
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                for (Metric m : sm.getMetricsList()) {
                    if (m.getName().equals(metric)) {
                        for (NumberDataPoint p : m.getSum().getDataPointsList()) {
                            String k = p.getAttributesList().stream().filter(a -> a.getKey().equals(key))
                                    .map(a -> a.getValue().getStringValue()).findFirst().orElse("?");
                            out.merge(k, p.getAsInt(), Long::sum);
                        }
                    }
                }
            }
        }
        return out;
    }
}
