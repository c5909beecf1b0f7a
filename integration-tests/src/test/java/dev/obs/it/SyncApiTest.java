package dev.obs.it;

import com.acme.sync.SyncDevice;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.RunningJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The sync program of {@link SyncFamilyTest} twice: once declared by the rules of the configuration file,
 * once reporting through {@code dev.obs.api.Sync} with no configuration file; the counts obs exports are the
 * same series with the same values.
 */
class SyncApiTest {
    @RegisterExtension
    static final OtlpHttpReceiver rulesHub = new OtlpHttpReceiver();
    @RegisterExtension
    static final OtlpHttpReceiver rulesDevice = new OtlpHttpReceiver();
    @RegisterExtension
    static final OtlpHttpReceiver apiHub = new OtlpHttpReceiver();
    @RegisterExtension
    static final OtlpHttpReceiver apiDevice = new OtlpHttpReceiver();
    private static final List<String> COUNTS = List.of("sync.operations", "sync.records", "sync.bytes",
            "sync.errors", "sync.conflicts", "sync.state.transitions");

    @BeforeAll
    static void runBothWays() throws Exception {
        Path api = Path.of(dev.obs.api.Sync.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        run(false, rulesHub, rulesDevice, api);
        run(true, apiHub, apiDevice, api);
    }

    private static void run(boolean viaApi, OtlpHttpReceiver hub, OtlpHttpReceiver device, Path api)
            throws Exception {
        Path dir = Files.createTempDirectory("obs-sync-api-");
        RunningJvm hubJvm = app("hub", dir, hub.endpoint(), viaApi, api).start();
        JvmResult d = app("device", dir, device.endpoint(), viaApi, api).run();
        JvmResult h = hubJvm.awaitExit();
        assertEquals(0, d.exitCode(), d.describe());
        assertEquals(0, h.exitCode(), h.describe());
    }

    private static AgentJvm app(String role, Path dir, String endpoint, boolean viaApi, Path api) {
        AgentJvm jvm = AgentJvm.withAgent(SyncDevice.class).classpath(api)
                .property("otel.metric.export.interval", "1s")
                .property("obs.fs.slow.threshold", "1d")
                .property("otel.exporter.otlp.endpoint", endpoint);
        if (viaApi) {
            return jvm.args(role, dir.toString(), "--api");
        }
        return jvm.property("obs.config.file", AgentJvm.testClasses().resolve("sync/sync-rules.yaml").toString())
                .args(role, dir.toString());
    }

    /** Every series of the count metrics, with its latest value. */
    private static Map<String, Double> counts(OtlpHttpReceiver r) {
        Map<String, Double> out = new TreeMap<>();
        for (String metric : COUNTS) {
            for (Map<String, String> s : r.seriesAttributes(metric)) {
                out.put(metric + new TreeMap<>(s), r.latestValue(metric, s));
            }
        }
        return out;
    }

    @Test
    void deviceCountsAreTheSameThroughTheApi() {
        Map<String, Double> viaRules = counts(rulesDevice);
        assertFalse(viaRules.isEmpty(), "the rules run exported no sync counts");
        assertEquals(viaRules, counts(apiDevice));
    }

    @Test
    void hubCountsAreTheSameThroughTheApi() {
        Map<String, Double> viaRules = counts(rulesHub);
        assertFalse(viaRules.isEmpty(), "the rules run exported no sync counts");
        assertEquals(viaRules, counts(apiHub));
    }

    @Test
    void readingsAreTheSameSeriesThroughTheApi() {
        for (String gauge : List.of("sync.peer.online", "sync.peer.info", "sync.queue.depth", "sync.state")) {
            assertEquals(rulesDevice.seriesAttributes(gauge).size(), apiDevice.seriesAttributes(gauge).size(), gauge);
            assertEquals(rulesHub.seriesAttributes(gauge).size(), apiHub.seriesAttributes(gauge).size(), gauge);
        }
        assertEquals(1, apiDevice.seriesAttributes("sync.watermark").size());
        assertEquals(1, apiDevice.seriesAttributes("sync.clock.drift").size());
    }
}
