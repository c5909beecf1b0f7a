package dev.obs.agent.internal;

import dev.obs.exporter.ExporterSettings;
import dev.obs.instrumentation.methods.MethodPointcut;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The agent's configuration, parsed once at premain from {@link Options}. */
final class AgentConfig {
    final ExporterSettings exporter;
    final double sampleRatio;
    final List<MethodPointcut> pointcuts;
    final String[] tracedExecutables;
    final boolean gitTrace2;
    final boolean gitCapturePaths;
    /** Null: no weave cache. */
    final Path weaveCacheDir;
    /** obs.fs.groups: names and globs, in match order. */
    final String[] fsGroupNames;
    final String[] fsGroupGlobs;
    final long fsSlowThresholdNanos;
    final int fsSlowMaxPerSecond;
    final Duration containerStatsInterval;
    final boolean containerSelf;
    final boolean propagation;
    /** Live endpoints: the address to bind, or null when they are off; port 0 picks a free one. */
    final String httpHost;
    final int httpPort;
    final Duration healthFailureWindow;
    /** The configuration file's {@code sync} rules (none without a file). */
    final dev.obs.agent.sync.SyncConfiguration sync;
    private final ConfigReader reader;

    AgentConfig(ConfigReader r) {
        this.reader = r;
        String protocol = r.oneOf(Options.OTLP_PROTOCOL, "http/protobuf", "http/protobuf", "grpc");
        boolean grpc = protocol.equals("grpc");
        String base = r.url(Options.OTLP_ENDPOINT, grpc ? "http://localhost:4317" : "http://localhost:4318");
        String traces = r.url(Options.OTLP_TRACES_ENDPOINT, grpc ? base : join(base, "v1/traces"));
        String metrics = r.url(Options.OTLP_METRICS_ENDPOINT, grpc ? base : join(base, "v1/metrics"));
        boolean endpointSet = r.raw(Options.OTLP_ENDPOINT) != null || r.raw(Options.OTLP_TRACES_ENDPOINT) != null
                || r.raw(Options.OTLP_METRICS_ENDPOINT) != null;
        Set<String> exporters = exporters(r, endpointSet ? "otlp" : "file");

        this.exporter = new ExporterSettings(
                r.string(Options.SERVICE_NAME, "unknown_service:java"),
                r.keyValues(Options.RESOURCE_ATTRIBUTES, false),
                exporters,
                traces,
                metrics,
                protocol,
                r.keyValues(Options.OTLP_HEADERS, true),
                r.duration(Options.OTLP_TIMEOUT, Duration.ofSeconds(10)),
                r.oneOf(Options.OTLP_COMPRESSION, "none", "none", "gzip"),
                r.duration(Options.METRIC_EXPORT_INTERVAL, Duration.ofSeconds(60)),
                Path.of(r.string(Options.STORE_DIR, "./obs-data")),
                r.size(Options.STORE_MAX_FILE_SIZE, 16L << 20),
                r.size(Options.STORE_MAX_TOTAL_SIZE, 256L << 20),
                r.bool(Options.SUMMARY, true),
                r.positiveInt(Options.QUEUE_CAPACITY, 65536, 1 << 24),
                r.positiveInt(Options.SPAN_BATCH_SIZE, 2048, 1 << 16),
                r.duration(Options.SPAN_EXPORT_INTERVAL, Duration.ofSeconds(1)),
                r.duration(Options.SHUTDOWN_TIMEOUT, Duration.ofSeconds(2)));
        this.sampleRatio = sampler(r);
        this.pointcuts = pointcuts(r);
        this.tracedExecutables = list(r.string(Options.PROCESS_TRACED, "git,docker,podman"));
        this.gitTrace2 = r.bool(Options.GIT_TRACE2, false);
        this.gitCapturePaths = r.bool(Options.GIT_CAPTURE_PATHS, false);
        this.weaveCacheDir = weaveCacheDir(r);
        String[][] groups = fsGroups(r);
        this.fsGroupNames = groups[0];
        this.fsGroupGlobs = groups[1];
        this.fsSlowThresholdNanos = r.duration(Options.FS_SLOW_THRESHOLD, Duration.ofMillis(10)).toNanos();
        this.fsSlowMaxPerSecond = r.positiveInt(Options.FS_SLOW_MAX_PER_SECOND, 100, 1_000_000);
        this.containerStatsInterval = r.duration(Options.CONTAINER_STATS_INTERVAL, Duration.ofSeconds(10));
        this.containerSelf = r.bool(Options.CONTAINER_SELF_ENABLED, true);
        this.propagation = r.bool(Options.PROPAGATION_ENABLED, true);
        // live endpoints (dev.obs.exporter.http): obs.http.port, else the OTel agent's prometheus switch
        int port = port(r, Options.HTTP_PORT, -1);
        String host = r.string(Options.HTTP_HOST, "127.0.0.1");
        if (port < 0 && prometheusListed(r)) {
            port = port(r, Options.PROMETHEUS_PORT, 9464);
            host = r.string(Options.PROMETHEUS_HOST, "localhost");
        }
        this.httpPort = port;
        this.httpHost = port < 0 ? null : host;
        this.healthFailureWindow = r.duration(Options.HEALTH_FAILURE_WINDOW, Duration.ofSeconds(30));
        this.sync = syncRules(r);
    }

    /** A TCP port, 0 to 65535 (0: a free one); {@code off} when unset. */
    private static int port(ConfigReader r, Option option, int off) {
        String v = r.raw(option);
        if (v == null || v.isEmpty()) {
            return off;
        }
        try {
            int p = Integer.parseInt(v);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        return r.warn(option.property(), v, "a port from 0 to 65535", off,
                off < 0 ? "unset (no live endpoints)" : String.valueOf(off));
    }

    /** Whether {@code otel.metrics.exporter} lists {@code prometheus}. */
    private static boolean prometheusListed(ConfigReader r) {
        String v = r.raw(Options.METRICS_EXPORTER);
        if (v == null || v.isEmpty()) {
            return false;
        }
        boolean prometheus = false;
        for (String part : v.split(",")) {
            String name = part.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (!Set.of("otlp", "prometheus", "console", "logging", "logging-otlp", "none").contains(name)) {
                return r.warn(Options.METRICS_EXPORTER.property(), v,
                        "a list of otlp, prometheus, console, logging, none", false, "otlp (no live endpoints)");
            }
            prometheus |= name.equals("prometheus");
        }
        return prometheus;
    }

    /**
     * Every option with its value as set (else its default), for the live endpoints' {@code /info}: header
     * values hidden, credentials in URLs and secret-looking values masked.
     */
    java.util.Map<String, String> effectiveConfiguration() {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Option o : Options.ALL) {
            String v = reader.raw(o);
            if (v == null || v.isEmpty()) {
                out.put(o.property(), o.defaultValue());
            } else if (o == Options.OTLP_HEADERS) {
                StringBuilder masked = new StringBuilder();
                for (String key : reader.keyValues(o, true).keySet()) {
                    masked.append(masked.length() == 0 ? "" : ",").append(key).append('=')
                            .append(dev.obs.bootstrap.SecretMasker.MASK);
                }
                out.put(o.property(), masked.toString());
            } else {
                out.put(o.property(), dev.obs.bootstrap.SecretMasker.mask(v));
            }
        }
        return out;
    }

    private static dev.obs.agent.sync.SyncConfiguration syncRules(ConfigReader r) {
        String file = r.raw(Options.CONFIG_FILE);
        if (file == null || file.isEmpty()) {
            return dev.obs.agent.sync.SyncConfiguration.of(null, "", r.warnings());
        }
        java.util.Map<?, ?> sections = ConfigFile.read(file, r);
        for (Object key : sections.keySet()) {
            if (!"sync".equals(key)) {
                r.warnRaw("obs: warning: " + file + ": unknown section '" + key + "' (known: sync); it is ignored");
            }
        }
        return dev.obs.agent.sync.SyncConfiguration.of(sections.get("sync"), file, r.warnings());
    }

    /**
     * {@code name=glob,...}. Parsed here rather than with keyValues: a glob is taken as written (no
     * percent-decoding, which would turn {@code +} into a space). A malformed list warns once and groups nothing.
     */
    private static String[][] fsGroups(ConfigReader r) {
        String v = r.raw(Options.FS_GROUPS);
        List<String> names = new java.util.ArrayList<>();
        List<String> globs = new java.util.ArrayList<>();
        if (v != null && !v.isBlank()) {
            for (String pair : v.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = eq <= 0 ? "" : pair.substring(0, eq).trim();
                String glob = eq <= 0 ? "" : pair.substring(eq + 1).trim();
                if (name.isEmpty() || glob.isEmpty() || Set.of("other", "jvm", "stdio", "obs").contains(name)
                        || names.size() >= dev.obs.bootstrap.fs.FsGroups.MAX_USER
                        || dev.obs.bootstrap.fs.FsGroups.elements(glob) > 63) {
                    r.warnRaw("obs: warning: " + Options.FS_GROUPS.property() + "='" + v + "' is malformed (entries are"
                            + " name=glob, at most " + dev.obs.bootstrap.fs.FsGroups.MAX_USER
                            + ", names other than other/jvm/stdio/obs, globs of at most 63 characters);"
                            + " using default '' (no groups)");
                    return new String[][] {new String[0], new String[0]};
                }
                names.add(name);
                globs.add(glob);
            }
        }
        return new String[][] {names.toArray(new String[0]), globs.toArray(new String[0])};
    }

    /** {@code obs.instrumentation.<family>.enabled}, default true. */
    boolean familyEnabled(String family) {
        String property = "obs.instrumentation." + family + ".enabled";
        return reader.bool(property, property.toUpperCase(Locale.ROOT).replace('.', '_'), true);
    }

    private static Set<String> exporters(ConfigReader r, String defaultValue) {
        String v = r.raw(Options.EXPORTER);
        if (v == null || v.isEmpty()) {
            return Set.of(defaultValue);
        }
        Set<String> out = new LinkedHashSet<>();
        for (String part : v.split(",")) {
            String name = part.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (!Set.of("otlp", "file", "console", "none").contains(name)) {
                return r.warn(Options.EXPORTER.property(), v, "a list of otlp, file, console, none",
                        Set.of(defaultValue), defaultValue);
            }
            if (!name.equals("none")) {
                out.add(name);
            }
        }
        return out;
    }

    private static Path weaveCacheDir(ConfigReader r) {
        Path defaultDir = CacheRoot.defaultRoot(r.env("XDG_CACHE_HOME"), System.getProperty("user.home"));
        String v = r.raw(Options.WEAVE_CACHE_DIR);
        try {
            return CacheRoot.configured(v, defaultDir);
        } catch (InvalidPathException e) {
            return r.warn(Options.WEAVE_CACHE_DIR.property(), v, "a directory path or off", defaultDir,
                    String.valueOf(defaultDir));
        }
    }

    private static double sampler(ConfigReader r) {
        String sampler = r.oneOf(Options.SAMPLER, "parentbased_always_on", "always_on", "always_off",
                "traceidratio", "parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio");
        // obs starts every trace itself (no remote parents), so a parent-based sampler behaves as its root one.
        return switch (sampler) {
            case "always_off", "parentbased_always_off" -> 0.0;
            case "traceidratio", "parentbased_traceidratio" -> r.ratio(Options.SAMPLER_ARG, 1.0);
            default -> 1.0;
        };
    }

    private static List<MethodPointcut> pointcuts(ConfigReader r) {
        String v = r.raw(Options.METHODS_INCLUDE);
        try {
            return MethodPointcut.parseList(v);
        } catch (IllegalArgumentException e) {
            r.warnRaw("obs: warning: " + Options.METHODS_INCLUDE.property() + "='" + v + "' is malformed ("
                    + e.getMessage() + "); using default '' (no methods traced)");
            return List.of();
        }
    }

    private static String[] list(String value) {
        List<String> out = new java.util.ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out.toArray(new String[0]);
    }

    private static String join(String base, String path) {
        return base.endsWith("/") ? base + path : base + "/" + path;
    }
}
