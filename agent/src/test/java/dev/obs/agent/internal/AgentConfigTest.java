package dev.obs.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentConfigTest {
    private final Map<String, String> props = new HashMap<>();
    private final Map<String, String> env = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();

    private AgentConfig load() {
        return new AgentConfig(new ConfigReader(props::get, env::get, warnings::add));
    }

    @Test
    void defaultsWithoutAnySetting() {
        AgentConfig c = load();
        assertEquals(Set.of("file"), c.exporter.exporters());
        assertEquals(Path.of("./obs-data"), c.exporter.storeDir());
        assertEquals("http://localhost:4318/v1/traces", c.exporter.tracesEndpoint());
        assertEquals("http://localhost:4318/v1/metrics", c.exporter.metricsEndpoint());
        assertEquals("unknown_service:java", c.exporter.serviceName());
        assertEquals(Duration.ofSeconds(60), c.exporter.metricExportInterval());
        assertEquals(Duration.ofSeconds(2), c.exporter.shutdownTimeout());
        assertEquals(65536, c.exporter.queueCapacity());
        assertEquals(16L << 20, c.exporter.storeMaxFileBytes());
        assertEquals(1.0, c.sampleRatio);
        assertTrue(c.pointcuts.isEmpty());
        assertEquals(List.of(), warnings);
    }

    @Test
    void anEndpointSwitchesTheDefaultExporterToOtlp() {
        env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/");
        AgentConfig c = load();
        assertEquals(Set.of("otlp"), c.exporter.exporters());
        assertEquals("http://collector:4318/v1/traces", c.exporter.tracesEndpoint());
    }

    @Test
    void grpcUsesTheBaseEndpointAndItsOwnDefaultPort() {
        props.put("otel.exporter.otlp.protocol", "grpc");
        AgentConfig c = load();
        assertEquals("grpc", c.exporter.protocol());
        assertEquals("http://localhost:4317", c.exporter.tracesEndpoint());
    }

    @Test
    void propertyWinsOverEnvironment() {
        props.put("obs.store.dir", "/from/property");
        env.put("OBS_STORE_DIR", "/from/env");
        assertEquals(Path.of("/from/property"), load().exporter.storeDir());
    }

    @Test
    void parsesEveryForm() {
        props.put("obs.exporter", "otlp, file,console");
        props.put("otel.metric.export.interval", "1500");
        props.put("obs.shutdown.timeout", "5s");
        props.put("otel.exporter.otlp.timeout", "1m");
        props.put("obs.store.max.file.size", "64k");
        props.put("otel.exporter.otlp.headers", "authorization=Bearer%20x,tenant=a");
        props.put("otel.resource.attributes", "deployment.environment=prod,team=git");
        props.put("otel.traces.sampler", "parentbased_traceidratio");
        props.put("otel.traces.sampler.arg", "0.25");
        props.put("obs.methods.include", "com.acme.Repo[sync, push] ; com.acme.Job[*]");
        AgentConfig c = load();
        assertEquals(Set.of("otlp", "file", "console"), c.exporter.exporters());
        assertEquals(Duration.ofMillis(1500), c.exporter.metricExportInterval());
        assertEquals(Duration.ofSeconds(5), c.exporter.shutdownTimeout());
        assertEquals(Duration.ofMinutes(1), c.exporter.otlpTimeout());
        assertEquals(64 * 1024, c.exporter.storeMaxFileBytes());
        assertEquals(Map.of("authorization", "Bearer x", "tenant", "a"), c.exporter.headers());
        assertEquals("prod", c.exporter.resourceAttributes().get("deployment.environment"));
        assertEquals(0.25, c.sampleRatio);
        assertEquals(2, c.pointcuts.size());
        assertEquals(List.of("sync", "push"), c.pointcuts.get(0).methods());
        assertTrue(c.pointcuts.get(1).allMethods());
        assertEquals(List.of(), warnings);
    }

    @Test
    void alwaysOffSamplesNothing() {
        props.put("otel.traces.sampler", "always_off");
        assertEquals(0.0, load().sampleRatio);
    }

    @Test
    void exporterNoneExportsNothing() {
        props.put("obs.exporter", "none");
        assertTrue(load().exporter.exporters().isEmpty());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "obs.queue.capacity|abc|65536",
            "obs.queue.capacity|-5|65536",
            "obs.queue.capacity|0|65536",
            "obs.spans.batch.size|1.5|2048",
            "obs.shutdown.timeout|soon|2s",
            "obs.shutdown.timeout|0s|2s",
            "obs.spans.export.interval|-1s|1s",
            "otel.metric.export.interval|10 parsecs|1m",
            "otel.exporter.otlp.timeout|10x|10s",
            "obs.store.max.file.size|big|16777216",
            "obs.store.max.total.size|12q|268435456",
            "otel.exporter.otlp.protocol|carrier-pigeon|http/protobuf",
            "otel.exporter.otlp.protocol|http/json|http/protobuf",
            "otel.exporter.otlp.compression|zip|none",
            "otel.exporter.otlp.endpoint|not a url|http://localhost:4318",
            "otel.exporter.otlp.endpoint|ftp://host|http://localhost:4318",
            "otel.exporter.otlp.traces.endpoint|localhost:4318|http://localhost:4318/v1/traces",
            "otel.traces.sampler|sometimes|parentbased_always_on",
            "obs.summary|yes|true",
            "obs.exporter|otlp,kafka|file",
            "obs.methods.include|com.acme.Repo[sync|''",
            "obs.methods.include|com.acme.Repo|''",
            "obs.methods.include|com.acme.Repo[sy nc]|''",
            "obs.methods.include|1com.Repo[x]|''",
            "obs.instrumentation.methods.enabled|maybe|true",
    })
    void malformedValueWarnsOnceNamingPropertyValueAndDefault(String property, String value, String shownDefault) {
        props.put(property, value);
        AgentConfig c = load();
        c.familyEnabled("methods");
        assertEquals(1, warnings.size(), () -> "warnings: " + warnings);
        String w = warnings.get(0);
        assertTrue(w.startsWith("obs: warning: "), w);
        assertTrue(w.contains(property), w);
        assertTrue(w.contains("'" + value + "'"), w);
        assertTrue(w.contains("default '" + shownDefault.replace("''", "") + "'")
                || w.contains("default " + shownDefault), w);
    }

    @Test
    void malformedSamplerArgWarnsAndKeepsRatioOne() {
        props.put("otel.traces.sampler", "traceidratio");
        props.put("otel.traces.sampler.arg", "1.5");
        assertEquals(1.0, load().sampleRatio);
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("otel.traces.sampler.arg='1.5'"), warnings.get(0));
    }

    @Test
    void malformedHeaderNeverShowsTheSecretValue() {
        props.put("otel.exporter.otlp.headers", "authorization Bearer s3cret");
        assertTrue(load().exporter.headers().isEmpty());
        assertEquals(1, warnings.size());
        assertFalse(warnings.get(0).contains("s3cret"), warnings.get(0));
        assertTrue(warnings.get(0).contains("otel.exporter.otlp.headers"), warnings.get(0));
    }

    @Test
    void fsGroupsAreNamesAndGlobsInOrder() {
        props.put("obs.fs.groups", "repos=/srv/git/**, tmp=/tmp/** ,conf=/etc/app.conf,plus=/a+b/**");
        AgentConfig c = load();
        assertEquals(List.of("repos", "tmp", "conf", "plus"), List.of(c.fsGroupNames));
        // taken as written: no percent-decoding (+ stays +), spaces around entries trimmed
        assertEquals(List.of("/srv/git/**", "/tmp/**", "/etc/app.conf", "/a+b/**"), List.of(c.fsGroupGlobs));
        assertEquals(List.of(), warnings);
    }

    @Test
    void fsGroupsFromTheEnvironment() {
        env.put("OBS_FS_GROUPS", "tmp=/tmp/**");
        AgentConfig c = load();
        assertEquals(List.of("tmp"), List.of(c.fsGroupNames));
        assertEquals(List.of(), warnings);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "repos",
            "repos=",
            "=/srv/git/**",
            "repos=/srv/git/**,tmp",
            "jvm=/opt/**",
            "other=/x/**",
            "stdio=/dev/**",
            "obs=/opt/obs/**",
    })
    void malformedFsGroupsWarnOnceAndGroupNothing(String value) {
        props.put("obs.fs.groups", value);
        AgentConfig c = load();
        assertEquals(0, c.fsGroupNames.length);
        assertEquals(0, c.fsGroupGlobs.length);
        assertEquals(1, warnings.size(), () -> "warnings: " + warnings);
        String w = warnings.get(0);
        assertTrue(w.startsWith("obs: warning: obs.fs.groups='" + value + "' is malformed"), w);
        assertTrue(w.contains("using default '' (no groups)"), w);
    }

    @Test
    void tooManyFsGroupsWarn() {
        StringBuilder v = new StringBuilder();
        for (int i = 0; i <= dev.obs.bootstrap.fs.FsGroups.MAX_USER; i++) {
            v.append(i == 0 ? "" : ",").append('g').append(i).append("=/g").append(i).append("/**");
        }
        props.put("obs.fs.groups", v.toString());
        assertEquals(0, load().fsGroupNames.length);
        assertEquals(1, warnings.size(), () -> "warnings: " + warnings);
        assertTrue(warnings.get(0).contains("at most " + dev.obs.bootstrap.fs.FsGroups.MAX_USER), warnings.get(0));
    }

    @Test
    void familySwitchReadsItsProperty() {
        props.put("obs.instrumentation.methods.enabled", "false");
        assertFalse(load().familyEnabled("methods"));
        assertTrue(load().familyEnabled("git"));
    }
}
