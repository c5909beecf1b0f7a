package dev.obs.it;

import com.acme.sync.SyncDevice;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.RunningJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import com.google.gson.JsonObject;
import dev.obs.it.harness.ObsCli;
import dev.obs.it.harness.ReceivedSpan;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.obs.it.ObsRuns.ARRIVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two devices of {@link SyncDevice} in two JVMs, each with the agent and the rules of
 * {@code sync/sync-rules.yaml}, exporting OTLP/HTTP to a receiver of its own: the sync metrics each exports
 * against what the program did and measured itself (bytes its sockets carried, its watermark and drift).
 */
class SyncFamilyTest {
    @RegisterExtension
    static final OtlpHttpReceiver hubReceiver = new OtlpHttpReceiver();
    @RegisterExtension
    static final OtlpHttpReceiver deviceReceiver = new OtlpHttpReceiver();
    private static JvmResult hub;
    private static JvmResult device;
    /** The device's local store (it exports to its receiver and to the store). */
    private static Path deviceStore;

    static AgentJvm syncApp(String role, Path dir, String endpoint) {
        return AgentJvm.withAgent(SyncDevice.class)
                .property("obs.config.file", AgentJvm.testClasses().resolve("sync/sync-rules.yaml").toString())
                .property("otel.metric.export.interval", "1s")
                .property("obs.fs.slow.threshold", "1d")
                .property("otel.service.name", role)
                .property("otel.exporter.otlp.endpoint", endpoint)
                .args(role, dir.toString());
    }

    @BeforeAll
    static void runHubAndDevice() throws Exception {
        Path dir = Files.createTempDirectory("obs-sync-");
        RunningJvm hubJvm = syncApp("hub", dir, hubReceiver.endpoint()).start();
        // a method span around each backfill session, for the sync spans to be children of
        deviceStore = dir.resolve("device-store");
        device = syncApp("device", dir, deviceReceiver.endpoint())
                .property("obs.methods.include", "com.acme.sync.Backfill[run]")
                .property("obs.exporter", "otlp,file")
                .property("obs.store.dir", deviceStore.toString()).run();
        hub = hubJvm.awaitExit();
        assertEquals(0, hub.exitCode(), hub.describe());
        assertEquals(0, device.exitCode(), device.describe());
    }

    private static Map<String, String> series(String... keyValues) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    private static List<String> rulesNeverLoaded(JvmResult r) {
        List<String> out = new java.util.ArrayList<>();
        Matcher m = Pattern.compile("obs: warning: sync rule '([^']+)': class \\S+ was never loaded").matcher(r.stderr());
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static long warnings(JvmResult r) {
        return r.stderrLines().stream().filter(l -> l.startsWith("obs: warning")).count();
    }

    private static long printed(JvmResult r, String key) {
        Matcher m = Pattern.compile(key + "=(-?\\d+)").matcher(r.stdout());
        assertTrue(m.find(), key + " not printed: " + r.describe());
        return Long.parseLong(m.group(1));
    }

    private static double latest(OtlpHttpReceiver r, String metric, String... keyValues) {
        return r.latestValue(metric, series(keyValues));
    }

    @Test
    void deviceDidWhatTheScenarioSaysWithoutWarnings() {
        assertTrue(device.stdout().contains("device pages=5 records=35 conflicts=1 notes-12=n12-from-a"),
                device.describe());
        assertTrue(device.stdout().contains("retry 1 failed: hub busy, attempt 2"), device.describe());
        // one rules file for both: each warns (at exit) of the rules whose classes it never loaded, and of nothing else
        assertEquals(List.of("sync[10] com.acme.sync.Outbox.enqueue"), rulesNeverLoaded(device), device.describe());
        assertEquals(List.of("sync[4] com.acme.sync.Backfill.run", "sync[5] com.acme.sync.Backfill.fetchPage",
                "sync[6] com.acme.sync.Reconnector.retry"), rulesNeverLoaded(hub), hub.describe());
        assertEquals(rulesNeverLoaded(device).size(), warnings(device), device.describe());
        assertEquals(rulesNeverLoaded(hub).size(), warnings(hub), hub.describe());
    }

    @Test
    void appliedAndRejectedChangesAreCountedPerPeerAndModel() {
        assertEquals(31, latest(deviceReceiver, "sync.operations", "operation", "apply", "outcome", "success",
                "peer", "device-a", "model", "notes"), deviceReceiver.describeSeries("sync.operations"));
        assertEquals(1, latest(deviceReceiver, "sync.operations", "operation", "apply", "outcome", "rejected",
                "peer", "device-a", "model", "notes"));
        assertEquals(13, latest(deviceReceiver, "sync.operations", "operation", "apply", "outcome", "success",
                "peer", "device-a", "model", "tags"));
        assertEquals(32, latest(deviceReceiver, "sync.records", "operation", "apply", "peer", "device-a",
                "model", "notes"));
    }

    @Test
    void backfillSessionsAndPagesAreCounted() {
        assertEquals(2, latest(deviceReceiver, "sync.operations", "operation", "backfill", "outcome", "success",
                "peer", "device-a", "model", ""));
        assertEquals(5, latest(deviceReceiver, "sync.operations", "operation", "backfill_page", "outcome",
                "success", "peer", "device-a", "model", ""));
        assertEquals(38, latest(deviceReceiver, "sync.records", "operation", "backfill_page", "peer", "device-a",
                "model", ""));
    }

    @Test
    void bytesEqualWhatTheSocketsCarried() {
        long deviceSent = printed(device, "device sent");
        long deviceReceived = printed(device, "received");
        assertEquals(deviceSent, (long) latest(deviceReceiver, "sync.bytes", "direction", "sent", "peer", "device-a"));
        assertEquals(deviceReceived, (long) latest(deviceReceiver, "sync.bytes", "direction", "received", "peer",
                "device-a"));
        assertEquals(deviceReceived, (long) latest(hubReceiver, "sync.bytes", "direction", "sent", "peer", "device-b"));
        assertEquals(deviceSent, (long) latest(hubReceiver, "sync.bytes", "direction", "received", "peer",
                "device-b"));
    }

    @Test
    void droppedConnectionAndRetryAreErrorsWithTheirTypes() {
        assertEquals(1, latest(deviceReceiver, "sync.errors", "error.type", "java.io.EOFException", "operation",
                "receive", "peer", "device-a", "model", ""), deviceReceiver.describeSeries("sync.errors"));
        assertEquals(1, latest(deviceReceiver, "sync.errors", "error.type", "java.io.IOException", "operation",
                "retry", "peer", "device-a", "model", ""));
        assertEquals(1, latest(deviceReceiver, "sync.operations", "operation", "retry", "outcome", "error",
                "peer", "device-a", "model", ""));
        assertEquals(1, latest(deviceReceiver, "sync.operations", "operation", "retry", "outcome", "success",
                "peer", "device-a", "model", ""));
    }

    @Test
    void conflictResolvedByClockIsCounted() {
        assertEquals(1, latest(deviceReceiver, "sync.conflicts", "resolution", "clock"),
                deviceReceiver.describeSeries("sync.conflicts"));
    }

    @Test
    void transitionsCarryFromToAndReason() {
        String[][] expected = {{"unknown", "CONNECTING", "start"}, {"CONNECTING", "BACKFILLING", "connected"},
                {"BACKFILLING", "SYNCING", "backfill complete"}, {"SYNCING", "OFFLINE", "connection lost"},
                {"OFFLINE", "CONNECTING", "retry"}, {"CONNECTING", "BACKFILLING", "reconnected"},
                {"BACKFILLING", "IDLE", "caught up"}};
        for (String[] t : expected) {
            assertEquals(1, latest(deviceReceiver, "sync.state.transitions", "from", t[0], "to", t[1], "reason", t[2]),
                    deviceReceiver.describeSeries("sync.state.transitions"));
        }
        assertEquals(expected.length, deviceReceiver.seriesAttributes("sync.state.transitions").size());
        assertEquals(1, latest(deviceReceiver, "sync.state", "state", "IDLE"));
        assertEquals(0, latest(deviceReceiver, "sync.state", "state", "SYNCING"));
    }

    @Test
    void timeInStatesAddsUpToTheUptime() {
        double sum = 0;
        for (Map<String, String> s : deviceReceiver.seriesAttributes("sync.state.time")) {
            sum += deviceReceiver.latestValue("sync.state.time", s);
        }
        double uptime = latest(deviceReceiver, "sync.uptime");
        assertTrue(uptime > 0, "uptime " + uptime);
        assertEquals(uptime, sum, uptime * 0.01, deviceReceiver.describeSeries("sync.state.time"));
    }

    @Test
    void watermarkLagDriftAndPeersAreReadings() {
        double watermark = latest(deviceReceiver, "sync.watermark", "peer", "device-a");
        assertEquals(printed(device, "watermark") / 1e3, watermark, 1e-3);
        double lag = latest(deviceReceiver, "sync.lag", "peer", "device-a");
        assertTrue(lag >= 0 && lag < device.duration().toMillis() / 1e3 + 1, "lag " + lag);
        assertEquals(printed(device, "drift") / 1e3, latest(deviceReceiver, "sync.clock.drift"), 1e-9);
        assertEquals(0, latest(deviceReceiver, "sync.peer.online", "peer", "device-a"));
        assertEquals(1, latest(deviceReceiver, "sync.peer.info", "peer", "device-a", "peer_name", "Device A"));
        assertEquals(2, latest(deviceReceiver, "sync.operations", "operation", "connect", "outcome", "success",
                "peer", "device-a", "model", ""));
        assertEquals(7, latest(hubReceiver, "sync.queue.depth", "queue", "outbox"));
    }

    @Test
    void framesSentAndReceivedAreBroadcastsAndReceives() {
        assertEquals(10, latest(deviceReceiver, "sync.operations", "operation", "broadcast", "outcome", "success",
                "peer", "device-a", "model", "control"));
        assertEquals(7, latest(deviceReceiver, "sync.operations", "operation", "receive", "outcome", "success",
                "peer", "device-a", "model", "notes"));
        assertEquals(1, latest(deviceReceiver, "sync.operations", "operation", "receive", "outcome", "error",
                "peer", "device-a", "model", ""));
        assertEquals(7, latest(hubReceiver, "sync.operations", "operation", "broadcast", "outcome", "success",
                "peer", "device-b", "model", "notes"));
    }

    @Test
    void operationsInsideATracedSpanAreItsChildSpans() {
        List<ReceivedSpan> pages = deviceReceiver.awaitSpans(s -> s.name().equals("sync backfill_page"), 5, ARRIVAL);
        assertEquals(5, pages.size());
        Map<String, ReceivedSpan> byId = new HashMap<>();
        deviceReceiver.spans().forEach(s -> byId.put(s.spanId(), s));
        for (ReceivedSpan page : pages) {
            ReceivedSpan parent = byId.get(page.parentSpanId());
            assertTrue(parent != null && parent.name().equals("Backfill.run"), "parent of " + page + ": " + parent);
            assertEquals("backfill_page", page.attribute("sync.operation"));
            assertEquals("device-a", page.attribute("sync.peer"));
        }
        // the 5 page frames were received inside Backfill.run: spans; the 7 changes outside any traced span:
        // counted (see framesSentAndReceivedAreBroadcastsAndReceives), not spans
        List<ReceivedSpan> receives = deviceReceiver.spans(s -> s.name().equals("sync receive"));
        assertEquals(5, receives.size(), receives.toString());
        assertTrue(receives.stream().allMatch(s -> "all".equals(s.attribute("sync.model"))), receives.toString());
    }

    private static List<Map<String, String>> events(OtlpHttpReceiver r, String name) {
        List<Map<String, String>> out = new java.util.ArrayList<>();
        for (io.opentelemetry.proto.logs.v1.LogRecord record : r.logRecords()) {
            Map<String, String> a = new HashMap<>(dev.obs.it.harness.Otlp.attributes(record.getAttributesList()));
            if (name.equals(a.get("event.name"))) {
                a.put("body", record.getBody().getStringValue());
                out.add(a);
            }
        }
        return out;
    }

    @Test
    void transitionEventsArriveInOrderAsLogRecords() {
        List<String> sequence = new java.util.ArrayList<>();
        for (Map<String, String> e : events(deviceReceiver, "sync.transition")) {
            sequence.add(e.get("sync.from") + "->" + e.get("sync.to") + "(" + e.get("sync.reason") + ")");
        }
        assertEquals(List.of("unknown->CONNECTING(start)", "CONNECTING->BACKFILLING(connected)",
                "BACKFILLING->SYNCING(backfill complete)", "SYNCING->OFFLINE(connection lost)",
                "OFFLINE->CONNECTING(retry)", "CONNECTING->BACKFILLING(reconnected)",
                "BACKFILLING->IDLE(caught up)"), sequence);
    }

    @Test
    void errorEventsCarryTypeOperationPeerAndMessage() {
        List<Map<String, String>> errors = events(deviceReceiver, "sync.error");
        assertEquals(2, errors.size(), errors.toString());
        assertEquals("java.io.EOFException", errors.get(0).get("error.type"));
        assertEquals("receive", errors.get(0).get("sync.operation"));
        assertEquals("device-a", errors.get(0).get("sync.peer"));
        assertEquals("java.io.IOException", errors.get(1).get("error.type"));
        assertEquals("retry", errors.get(1).get("sync.operation"));
        assertEquals("hub busy, attempt 2", errors.get(1).get("sync.message"));
    }

    @Test
    void obsSyncMetricsJsonGivesTheExportedFigures() {
        ObsCli.Result r = ObsCli.create().run("sync", "metrics", "--json", "--store", deviceStore.toString());
        assertEquals(0, r.exitCode(), r.describe());
        JsonObject j = r.json();
        JsonObject apply = j.getAsJsonObject("operations").getAsJsonObject("apply");
        assertEquals(44, apply.getAsJsonObject("byOutcome").get("success").getAsLong(), r.describe());
        assertEquals(1, apply.getAsJsonObject("byOutcome").get("rejected").getAsLong(), r.describe());
        assertEquals(45, apply.get("count").getAsLong(), r.describe());
        assertEquals(printed(device, "device sent"),
                j.getAsJsonObject("bytesSentByPeer").get("device-a").getAsLong(), r.describe());
        assertEquals(printed(device, "received"),
                j.getAsJsonObject("bytesReceivedByPeer").get("device-a").getAsLong(), r.describe());
        assertEquals("IDLE", j.getAsJsonObject("state").get("current").getAsString(), r.describe());
        assertEquals(7, j.getAsJsonObject("state").get("transitions").getAsLong(), r.describe());
        JsonObject peer = j.getAsJsonObject("peers").getAsJsonObject("device-a");
        assertEquals("Device A", peer.get("name").getAsString(), r.describe());
        assertEquals(false, peer.get("online").getAsBoolean(), r.describe());
        assertEquals(2, j.getAsJsonObject("errors").get("total").getAsLong(), r.describe());
        assertEquals(1, j.getAsJsonObject("conflicts").get("clock").getAsLong(), r.describe());
    }

    @Test
    void obsSyncMetricsPrintsTheSectionsAsTrees() {
        ObsCli.Result r = ObsCli.create().run("sync", "metrics", "--store", deviceStore.toString());
        assertEquals(0, r.exitCode(), r.describe());
        for (String section : List.of("State", "Operations", "Data volume", "Performance", "Errors")) {
            assertTrue(r.stdout().contains("\n" + section + "\n├─ ") || r.stdout().startsWith(section + "\n├─ "),
                    section + ": " + r.describe());
        }
        assertTrue(r.stdout().contains("├─ current: IDLE"), r.describe());
        assertTrue(r.stdout().contains("└─ conflicts clock: 1"), r.describe());
        assertTrue(r.stdout().contains("peer device-a (Device A): sent "), r.describe());
    }

    @Test
    void obsSyncEventsListsTransitionsAndErrorsInOrder() {
        ObsCli.Result r = ObsCli.create().run("sync", "events", "--json", "--store", deviceStore.toString());
        assertEquals(0, r.exitCode(), r.describe());
        com.google.gson.JsonArray events = com.google.gson.JsonParser.parseString(r.stdout()).getAsJsonArray();
        assertEquals(9, events.size(), r.describe());
        List<String> kinds = new java.util.ArrayList<>();
        events.forEach(e -> kinds.add(e.getAsJsonObject().get("event.name").getAsString().substring(5)));
        // the receive failed (EOF) between SYNCING and OFFLINE; the retry failed between OFFLINE->CONNECTING and
        // CONNECTING->BACKFILLING
        assertEquals(List.of("transition", "transition", "transition", "error", "transition", "transition",
                "error", "transition", "transition"), kinds, r.describe());
        ObsCli.Result errors = ObsCli.create().run("sync", "events", "--type", "error", "--limit", "1", "--store",
                deviceStore.toString());
        assertEquals(0, errors.exitCode(), errors.describe());
        assertTrue(errors.stdout().contains("java.io.IOException  retry device-a  hub busy, attempt 2"),
                errors.describe());
        assertEquals(1, errors.stdout().strip().lines().count(), errors.describe());
    }

    @Test
    void obsSyncEventsRejectsAnUnknownTypeAsAUsageError() {
        ObsCli.Result r = ObsCli.create().run("sync", "events", "--type", "warning", "--store",
                deviceStore.toString());
        assertEquals(2, r.exitCode(), r.describe());
        assertTrue(r.stderr().contains("--type 'warning' is not transition, error or conflict"), r.describe());
    }

    @Test
    void hubTransitionsAreItsOwn() {
        String[][] expected = {{"unknown", "IDLE", "listening"}, {"IDLE", "SYNCING", "peer connected"},
                {"SYNCING", "OFFLINE", "peer dropped"}, {"OFFLINE", "SYNCING", "peer reconnected"},
                {"SYNCING", "IDLE", "peer left"}};
        for (String[] t : expected) {
            assertEquals(1, latest(hubReceiver, "sync.state.transitions", "from", t[0], "to", t[1], "reason", t[2]),
                    hubReceiver.describeSeries("sync.state.transitions"));
        }
    }
}
