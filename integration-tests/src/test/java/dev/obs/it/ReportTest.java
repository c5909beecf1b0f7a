package dev.obs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.FsApp;
import com.acme.JGitApp;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.HeadlessChromium;
import dev.obs.it.harness.JGitJars;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.ObsCli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code obs report} as a person uses it: two agent-attached programs (real JGit on real repositories, real file
 * I/O) write one store, {@code java -jar obs.jar report} writes the HTML file, and Debian's chromium opens it
 * from disk. What the page shows is compared with what {@code obs metrics --json} and {@code obs traces --json}
 * print for the same window; the screenshot is kept in {@code integration-tests/target/report/}.
 */
class ReportTest {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    @TempDir
    static Path tmp;
    static Path store;
    static Path html;
    static String[] window;
    static JsonObject metrics;
    static JsonObject slowest;
    static JsonObject failed;

    @BeforeAll
    static void twoProgramsWriteOneStoreAndObsReportsIt() throws Exception {
        store = tmp.resolve("obs-data");
        LocalDateTime since = LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(2);
        Path gitWork = Files.createDirectories(tmp.resolve("git"));
        JvmResult git = JGitJars.withJGit(AgentJvm.withAgent(JGitApp.class), null, tmp.resolve("home"))
                .property("obs.store.dir", store.toString())
                .property("otel.service.name", "report-git")
                .property("obs.git.capture.paths", "true")
                .property("otel.metric.export.interval", "1s")
                .args(gitWork.toString()).run();
        assertEquals(0, git.exitCode(), git.describe());
        Path data = Files.createDirectories(tmp.resolve("files"));
        JvmResult fs = AgentJvm.withAgent(FsApp.class)
                .property("obs.store.dir", store.toString())
                .property("otel.service.name", "report-fs")
                .property("otel.metric.export.interval", "1s")
                .property("obs.fs.groups", "data=" + data + "/**")
                .args("--data=" + data, "--blocks=37").run();
        assertEquals(0, fs.exitCode(), fs.describe());
        LocalDateTime until = LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(3);
        window = new String[] {"--store", store.toString(), "--since", LOCAL.format(since), "--until", LOCAL.format(until)};

        html = tmp.resolve("out/report.html");
        ObsCli.Result report = obs("report", "-o", html.toString(), "--bucket", "1s");
        assertTrue(report.stdout().startsWith("wrote " + html + ": "), report.describe());
        assertTrue(Files.size(html) > 10_000, report.describe());
        metrics = json(obs("metrics", "--json"));
        slowest = json(obs("traces", "--json", "--slowest", "20"));
        failed = json(obs("traces", "--json", "--slowest", "20", "--errors"));
        assertTrue(metrics.getAsJsonArray("operations").size() > 10, metrics.toString());
        assertTrue(failed.getAsJsonArray("traces").size() >= 2, "ls-remote and the conflicting merge fail: " + failed);
    }

    @Test
    void thePageEmbedsWhatObsMetricsAndTracesJsonPrint() throws Exception {
        try (HeadlessChromium browser = open()) {
            JsonObject embedded = browser.evaluate("JSON.parse(document.getElementById('obs-data').textContent)")
                    .getAsJsonObject();
            assertEquals(metrics, embedded.getAsJsonObject("metrics"));
            assertEquals(slowest, embedded.getAsJsonObject("slowest"));
            assertEquals(failed, embedded.getAsJsonObject("failed"));
        }
    }

    @Test
    void theOperationsTableShowsWhatObsMetricsJsonSays() throws Exception {
        try (HeadlessChromium browser = open()) {
            JsonArray rows = browser.evaluate("[...document.querySelectorAll('#ops-table tbody tr')].map(tr => "
                    + "Object.fromEntries([...tr.querySelectorAll('td')].map(td => [td.dataset.col, td.textContent])))")
                    .getAsJsonArray();
            JsonArray expected = metrics.getAsJsonArray("operations");
            assertEquals(expected.size(), rows.size(), rows.toString());
            Map<String, JsonObject> shown = new HashMap<>();
            for (JsonElement r : rows) {
                JsonObject row = r.getAsJsonObject();
                shown.put(row.get("family").getAsString() + "|" + row.get("operation").getAsString().replace(" ~", ""),
                        row);
            }
            long total = 0;
            for (JsonElement e : expected) {
                JsonObject op = e.getAsJsonObject();
                String key = op.get("family").getAsString() + "|" + op.get("operation").getAsString();
                JsonObject row = shown.get(key);
                assertNotNull(row, key + " is not on the page: " + rows);
                assertEquals(op.get("count").getAsLong(), exact(row.get("count")), key);
                assertEquals(op.get("errors").getAsLong(), exact(row.get("errors")), key);
                assertShown(op.get("ratePerSecond"), row.get("rate").getAsString(), key + " rate");
                for (String p : List.of("p50", "p95", "p99", "max")) {
                    assertShown(op.get(p + "Seconds"), row.get(p).getAsString(), key + " " + p);
                }
                assertShown(op.get("bytes"), row.get("bytes").getAsString(), key + " bytes");
                total += op.get("count").getAsLong();
            }
            assertEquals(total, exact(browser.evaluate("document.querySelector('#tile-operations .v').textContent")));

            JsonArray groups = browser.evaluate("[...document.querySelectorAll('#fs-table tbody tr')].map(tr => "
                    + "Object.fromEntries([...tr.querySelectorAll('td')].map(td => [td.dataset.col, td.textContent])))")
                    .getAsJsonArray();
            JsonArray fsGroups = metrics.getAsJsonArray("fsGroups");
            assertEquals(fsGroups.size(), groups.size(), groups.toString());
            boolean sawData = false;
            for (JsonElement e : fsGroups) {
                JsonObject g = e.getAsJsonObject();
                JsonObject row = null;
                for (JsonElement r : groups) {
                    if (r.getAsJsonObject().get("group").getAsString().equals(g.get("group").getAsString())) {
                        row = r.getAsJsonObject();
                    }
                }
                assertNotNull(row, g + " not on the page");
                assertEquals(g.get("operations").getAsLong(), exact(row.get("operations")), g.toString());
                assertShown(g.get("readBytes"), row.get("readBytes").getAsString(), g + " read");
                assertShown(g.get("writeBytes"), row.get("writeBytes").getAsString(), g + " written");
                sawData |= g.get("group").getAsString().equals("data");
            }
            assertTrue(sawData, "the configured group 'data' is in obs metrics --json: " + fsGroups);
        }
    }

    @Test
    void theSlowestAndFailedTracesOpenAsWaterfallsOnClick() throws Exception {
        try (HeadlessChromium browser = open()) {
            assertEquals(traceIds(slowest), strings(browser.evaluate(
                    "[...document.querySelectorAll('#traces-slowest tr.trace')].map(tr => tr.dataset.trace)")));
            String first = traceIds(slowest).get(0);
            assertEquals(0, browser.evaluate("document.querySelectorAll('.waterfall').length").getAsInt(),
                    "no waterfall is open before a click");
            browser.click("#traces-slowest tr.trace[data-trace='" + first + "']");
            assertWaterfallIsTheTrace(browser, first);

            browser.click("#tab-failed");
            assertEquals(traceIds(failed), strings(browser.evaluate(
                    "[...document.querySelectorAll('#traces-failed tr.trace')].map(tr => tr.dataset.trace)")));
            String lsRemote = null;
            for (JsonElement t : failed.getAsJsonArray("traces")) {
                JsonObject trace = t.getAsJsonObject();
                JsonObject tree = json(obs("trace", "--store", store.toString(), trace.get("traceId").getAsString(),
                        "--json"));
                for (JsonElement s : tree.getAsJsonArray("spans")) {
                    if (s.getAsJsonObject().get("name").getAsString().equals("git ls-remote")) {
                        lsRemote = trace.get("traceId").getAsString();
                    }
                }
            }
            assertNotNull(lsRemote, "the failed ls-remote is among the failed traces: " + failed);
            browser.click("#traces-failed tr.trace[data-trace='" + lsRemote + "']");
            JsonObject tree = assertWaterfallIsTheTrace(browser, lsRemote);
            String spanId = null;
            for (JsonElement s : tree.getAsJsonArray("spans")) {
                if (s.getAsJsonObject().get("name").getAsString().equals("git ls-remote")) {
                    spanId = s.getAsJsonObject().get("spanId").getAsString();
                }
            }
            String row = ".waterfall[data-trace='" + lsRemote + "'] .wf-row[data-span='" + spanId + "']";
            assertTrue(browser.evaluate("document.querySelector(\"" + row + "\").classList.contains('failed')")
                    .getAsBoolean(), "the failed span is marked");
            browser.click(row);
            String attributes = browser.evaluate("document.querySelector(\".wf-attrs[data-span='" + spanId + "']\")"
                    + ".textContent").getAsString();
            assertTrue(attributes.contains("statuserror"), attributes);
            assertTrue(attributes.contains("https://****@127.0.0.1:1/x.git"), "the masked URL: " + attributes);
            // the artifact shows the slowest trace's waterfall with one span's attributes open
            browser.click("#tab-slowest");
            browser.click("#traces-slowest tr.trace[data-trace='" + first + "']");
            browser.click(".waterfall[data-trace='" + first + "'] .wf-row");
            browser.screenshot(AgentJvm.testClasses().getParent().resolve("report/obs-report.png"));
        }
        String page = Files.readString(html, StandardCharsets.UTF_8);
        assertTrue(page.contains("****@127.0.0.1:1/x.git"), "positive control: the masked URL is in the page");
        assertFalse(page.contains("s3cret"), "the password JGitApp used left the process");
    }

    @Test
    void thePageLoadsNothingAndLogsNoError() throws Exception {
        try (HeadlessChromium browser = open()) {
            browser.click("#traces-slowest tr.trace");
            browser.click("#ops-table th[data-key='p99']");
            assertEquals(List.of(), browser.errors(), "console errors or uncaught exceptions");
            assertEquals(List.of(html.toUri().toString()), browser.requests(),
                    "the page's only request is the file itself (seen, so requests are observed)");
            browser.evaluate("console.error('obs-report-probe')");
            assertEquals(1, browser.errors().stream().filter(e -> e.contains("obs-report-probe")).count(),
                    "positive control: a console error is seen " + browser.errors());
        }
    }

    @Test
    void aColumnSortsOnClick() throws Exception {
        try (HeadlessChromium browser = open()) {
            String p99 = "[...document.querySelectorAll('#ops-table tbody td[data-col=p99]')]"
                    + ".map(td => td.dataset.value === '' ? null : Number(td.dataset.value))";
            browser.click("#ops-table th[data-key='p99']");
            List<Double> descending = doubles(browser.evaluate(p99));
            browser.click("#ops-table th[data-key='p99']");
            List<Double> ascending = doubles(browser.evaluate(p99));
            List<Double> known = new ArrayList<>(descending.stream().filter(v -> v != null).toList());
            assertTrue(known.size() > 3, descending.toString());
            List<Double> sorted = new ArrayList<>(known);
            sorted.sort((a, b) -> Double.compare(b, a));
            assertEquals(sorted, known, "descending after the first click");
            List<Double> knownAscending = ascending.stream().filter(v -> v != null).toList();
            List<Double> reversed = new ArrayList<>(sorted);
            java.util.Collections.reverse(reversed);
            assertEquals(reversed, knownAscending, "ascending after the second click");
        }
    }

    private static JsonObject assertWaterfallIsTheTrace(HeadlessChromium browser, String traceId) {
        JsonObject tree = json(obs("trace", "--store", store.toString(), traceId, "--json"));
        List<String> expected = new ArrayList<>();
        for (JsonElement s : tree.getAsJsonArray("spans")) {
            expected.add(s.getAsJsonObject().get("spanId").getAsString() + " " + s.getAsJsonObject().get("name")
                    .getAsString());
        }
        List<String> shown = strings(browser.evaluate("[...document.querySelectorAll(\".waterfall[data-trace='"
                + traceId + "'] .wf-row\")].map(r => r.dataset.span + ' ' + r.querySelector('.wf-label').textContent)"));
        assertEquals(expected, shown, "the waterfall of " + traceId + " is obs trace's span tree");
        return tree;
    }

    /** The sync page embeds what obs sync metrics --json and obs sync conflicts --json print for the window. */
    @Test
    void theSyncPageEmbedsWhatObsSyncMetricsAndConflictsJsonPrint() throws Exception {
        JsonObject sync = json(sync("metrics", "--json"));
        JsonArray conflicts = com.google.gson.JsonParser.parseString(sync("conflicts", "--json").stdout())
                .getAsJsonArray();
        assertTrue(sync.getAsJsonObject("operations").has("git push"), "JGitApp pushes: " + sync);
        try (HeadlessChromium browser = open()) {
            JsonObject embedded = browser.evaluate("JSON.parse(document.getElementById('obs-data').textContent)")
                    .getAsJsonObject();
            assertEquals(sync, embedded.getAsJsonObject("sync"));
            assertEquals(conflicts, embedded.getAsJsonArray("syncConflicts"));
        }
    }

    /** Every sync operation is a row with its count and counts by outcome, as obs sync metrics --json says. */
    @Test
    void theSyncOperationsTableShowsWhatObsSyncMetricsJsonSays() throws Exception {
        JsonObject operations = json(sync("metrics", "--json")).getAsJsonObject("operations");
        try (HeadlessChromium browser = open()) {
            JsonArray rows = browser.evaluate("[...document.querySelectorAll('#sync-ops-table tbody tr')].map(tr => "
                    + "Object.fromEntries([...tr.querySelectorAll('td')].map(td => [td.dataset.col, td.textContent])))")
                    .getAsJsonArray();
            assertEquals(operations.size(), rows.size(), rows.toString());
            for (JsonElement r : rows) {
                JsonObject row = r.getAsJsonObject();
                JsonObject op = operations.getAsJsonObject(row.get("operation").getAsString());
                assertNotNull(op, row + " is not an operation of " + operations);
                assertEquals(op.get("count").getAsLong(), exact(row.get("count")), row.toString());
                assertEquals(op.get("records").getAsLong(), exact(row.get("records")), row.toString());
                for (Map.Entry<String, JsonElement> o : op.getAsJsonObject("byOutcome").entrySet()) {
                    assertEquals(o.getValue().getAsLong(), exact(row.get("outcome:" + o.getKey())), row + " " + o);
                }
            }
            assertEquals(operations.keySet().stream().mapToLong(k -> operations.getAsJsonObject(k).get("count")
                    .getAsLong()).sum(), exact(browser.evaluate("document.querySelector('#sync-operations .v')"
                    + ".textContent")));
        }
    }

    /** The conflicting paths table lists obs sync conflicts --json's paths with their counts. */
    @Test
    void theSyncPageListsThePathsThatConflicted() throws Exception {
        JsonArray conflicts = com.google.gson.JsonParser.parseString(sync("conflicts", "--json").stdout())
                .getAsJsonArray();
        assertEquals(1, conflicts.size(), "JGitApp's merge conflicts on f.txt: " + conflicts);
        try (HeadlessChromium browser = open()) {
            List<String> shown = strings(browser.evaluate("[...document.querySelectorAll('#sync-conflicts-table "
                    + "tbody tr')].map(tr => tr.querySelector('[data-col=path]').textContent + ' ' "
                    + "+ tr.querySelector('[data-col=count]').textContent)"));
            List<String> expected = new ArrayList<>();
            conflicts.forEach(c -> expected.add(c.getAsJsonObject().get("path").getAsString() + " "
                    + c.getAsJsonObject().get("conflicts").getAsLong()));
            assertEquals(expected, shown);
        }
    }

    private static HeadlessChromium open() throws Exception {
        HeadlessChromium browser = HeadlessChromium.start(1280, 900);
        browser.open(html);
        assertEquals("true", browser.evaluate("document.body.dataset.ready").getAsString(), "the page drew itself");
        return browser;
    }

    private static ObsCli.Result obs(String command, String... args) {
        List<String> all = new ArrayList<>();
        all.add(command);
        if (!command.equals("trace")) {
            all.addAll(List.of(window));
        }
        all.addAll(List.of(args));
        ObsCli.Result r = ObsCli.create().workDir(tmp).run(all.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.describe());
        return r;
    }

    /** {@code obs sync <command>} for the report's window. */
    private static ObsCli.Result sync(String command, String... args) {
        List<String> all = new ArrayList<>(List.of("sync", command));
        all.addAll(List.of(window));
        all.addAll(List.of(args));
        ObsCli.Result r = ObsCli.create().workDir(tmp).run(all.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.describe());
        return r;
    }

    private static JsonObject json(ObsCli.Result r) {
        return r.json();
    }

    private static List<String> traceIds(JsonObject list) {
        List<String> ids = new ArrayList<>();
        list.getAsJsonArray("traces").forEach(t -> ids.add(t.getAsJsonObject().get("traceId").getAsString()));
        return ids;
    }

    private static List<String> strings(JsonElement array) {
        List<String> out = new ArrayList<>();
        array.getAsJsonArray().forEach(e -> out.add(e.getAsString()));
        return out;
    }

    private static List<Double> doubles(JsonElement array) {
        List<Double> out = new ArrayList<>();
        array.getAsJsonArray().forEach(e -> out.add(e.isJsonNull() ? null : e.getAsDouble()));
        return out;
    }

    /** "12,345" as a person reads it. */
    private static long exact(JsonElement shown) {
        return Long.parseLong(shown.getAsString().replace(",", "").trim());
    }

    private static final Pattern READING = Pattern.compile("([0-9.,]+)\\s*(µs|ms|s|m|/s|/min|B|KiB|MiB|GiB)?.*");

    /**
     * The page's reading of a number (e.g. "12.4 ms", "3.28 s", "1.63 MiB", "0.41/s", or "–" when unknown)
     * is the JSON's value to the 3 significant digits the page shows.
     */
    private static void assertShown(JsonElement expected, String shown, String what) {
        if (expected == null || expected.isJsonNull()) {
            assertEquals("–", shown.trim(), what + ": unknown is shown as –");
            return;
        }
        double want = expected.getAsDouble();
        Matcher m = READING.matcher(shown.trim());
        assertTrue(m.matches(), what + ": '" + shown + "' is not a reading");
        double value = Double.parseDouble(m.group(1).replace(",", ""));
        String unit = m.group(2) == null ? "" : m.group(2);
        double base = switch (unit) {
            case "µs" -> value / 1e6;
            case "ms" -> value / 1e3;
            case "/min" -> value / 60;
            case "KiB" -> value * 1024;
            case "MiB" -> value * 1024 * 1024;
            case "GiB" -> value * 1024 * 1024 * 1024;
            default -> value;
        };
        if (shown.contains(" m ")) { // "2 m 05 s"
            Matcher ms = Pattern.compile("(\\d+) m (\\d+) s").matcher(shown);
            assertTrue(ms.find(), shown);
            base = Long.parseLong(ms.group(1)) * 60 + Long.parseLong(ms.group(2));
        }
        double tolerance = Math.max(Math.abs(want) * 0.006, unit.equals("B") || unit.isEmpty() ? 0.5 : 0);
        if (shown.contains(" m ")) {
            tolerance = 0.5;
        }
        assertTrue(Math.abs(base - want) <= tolerance, what + ": page shows '" + shown + "', obs metrics --json says "
                + want);
    }
}
