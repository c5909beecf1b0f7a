package dev.obs.agent.internal;

import java.util.List;

/** Every option obs reads: the single source of truth for parsing, defaults and the README table. */
final class Options {
    static final Option ENABLED = new Option("obs.enabled", "true",
            "`false`: premain installs nothing at all (no transformer, no thread).");
    static final Option EXPORTER = new Option("obs.exporter", "file (otlp when an OTLP endpoint is set)",
            "Where records go, a list of `otlp`, `file`, `console`, `none`. With `none` spans are counted and never"
                    + " converted; the exit summary shows them as dropped (`no_exporter`).");
    static final Option STORE_DIR = new Option("obs.store.dir", "./obs-data",
            "Local store directory: OTLP-JSON lines in `traces-*.jsonl` and `metrics-*.jsonl`.");
    static final Option STORE_MAX_FILE_SIZE = new Option("obs.store.max.file.size", "16m",
            "Size at which a store file is rotated (bytes; `k`, `m`, `g` suffixes).");
    static final Option STORE_MAX_TOTAL_SIZE = new Option("obs.store.max.total.size", "256m",
            "Total size of the store directory's files; the oldest are deleted beyond it.");
    static final Option SUMMARY = new Option("obs.summary", "true",
            "Print a summary (operations, counts, p50/p95/p99, drops) to stderr at exit.");
    static final Option SHUTDOWN_TIMEOUT = new Option("obs.shutdown.timeout", "2s",
            "How long the shutdown hook may take to flush the last records.");
    static final Option QUEUE_CAPACITY = new Option("obs.queue.capacity", "65536",
            "Spans the queue holds; above three quarters new traces are shed whole (and counted) until it drains"
                    + " to a quarter. The exporter stages up to 8 times as many while the collector catches up.");
    static final Option SPAN_BATCH_SIZE = new Option("obs.spans.batch.size", "2048",
            "Spans per export call (larger batches sustain higher rates with fewer requests).");
    static final Option SPAN_EXPORT_INTERVAL = new Option("obs.spans.export.interval", "1s",
            "Longest time a finished span waits before it is exported.");
    static final Option METHODS_INCLUDE = new Option("obs.methods.include", "",
            "Methods to trace: `com.acme.Repo[sync,push];com.acme.Job[*]`.");
    static final Option CONFIG_FILE = new Option("obs.config.file", "",
            "YAML file of rules: its `sync` list declares the program's sync classes (see Sync).");
    static final Option SYNC_ENABLED = new Option("obs.instrumentation.sync.enabled", "true",
            "Switch for the sync family (the `sync` rules and the `dev.obs.api.Sync` API).");
    static final Option METHODS_ENABLED = new Option("obs.instrumentation.methods.enabled", "true",
            "Switch for the configured-method family (every family has `obs.instrumentation.<family>.enabled`).");
    static final Option PROCESS_ENABLED = new Option("obs.instrumentation.process.enabled", "true",
            "Switch for the subprocess family (`ProcessBuilder.start`, `Runtime.exec`).");
    static final Option PROCESS_TRACED = new Option("obs.process.traced", "git,docker,podman",
            "Executables whose runs become spans (`git fetch`, `docker run`); every executable is counted in"
                    + " `obs.process.started`.");
    static final Option GIT_ENABLED = new Option("obs.instrumentation.git.enabled", "true",
            "Switch for the JGit family (a span per porcelain command `call()`, `git pull`, `git commit`).");
    static final Option GIT_TRACE2 = new Option("obs.git.trace2", "false",
            "`true`: git runs write their trace2 events to a private file, and their regions (index reads,"
                    + " negotiation, pack writes) become child spans of the `git` span.");
    static final Option GIT_CAPTURE_PATHS = new Option("obs.git.capture.paths", "false",
            "`true`: merge, pull and rebase spans list the conflicting paths (`git.conflicts.paths`), not only"
                    + " their count.");
    static final Option WEAVE_CACHE_DIR = new Option("obs.weave.cache.dir", "$XDG_CACHE_HOME/obs, else ~/.cache/obs",
            "Where woven classes are kept between runs, so a restart with the same obs.jar and settings needs no"
                    + " weaving; `off` weaves every time. Must belong to the user and not be writable by others.");
    static final Option FS_ENABLED = new Option("obs.instrumentation.fs.enabled", "true",
            "Switch for the file-system family (reads, writes, force, opens and namespace operations; see File system).");
    static final Option FS_GROUPS = new Option("obs.fs.groups", "",
            "Path groups for the `file.group` attribute, `name=glob,...` (`repos=/srv/git/**,tmp=/tmp/**`); first"
                    + " match wins, ungrouped paths are `other`.");
    static final Option FS_SLOW_THRESHOLD = new Option("obs.fs.slow.threshold", "10ms",
            "File operations at least this long become spans (`fs read`, `fs write`...).");
    static final Option FS_SLOW_MAX_PER_SECOND = new Option("obs.fs.slow.max.per.second", "100",
            "Slow-operation spans per second at most; the rest are counted in `fs.slow.spans.suppressed`.");
    static final Option DOCKER_ENABLED = new Option("obs.instrumentation.docker.enabled", "true",
            "Switch for the docker-java family (a span per Docker API operation, `docker container create`).");
    static final Option MAVEN_ENABLED = new Option("obs.instrumentation.maven.enabled", "true",
            "Switch for the Maven family (build, project, mojo, resolution and transfer spans, `dependency.*` metrics,"
                    + " the summary's Maven section).");
    static final Option CONCURRENT_ENABLED = new Option("obs.instrumentation.concurrent.enabled", "true",
            "Switch for the concurrent family: a task submitted to an executor, a `CompletableFuture` stage, a"
                    + " fork-join task or a new (virtual) thread runs under the span current where it was submitted.");
    static final Option CONTAINER_STATS_INTERVAL = new Option("obs.container.stats.interval", "10s",
            "How often each container the program started (through docker-java or `docker run --name`) is"
                    + " sampled through its engine, on obs's own thread.");
    static final Option CONTAINER_SELF_ENABLED = new Option("obs.container.self.enabled", "true",
            "`false`: no metrics of the JVM's own cgroup (`container.*`) and process (`jvm.*`).");
    static final Option OTEL_ENABLED = new Option("obs.instrumentation.otel.enabled", "true",
            "Switch for joining the program's OpenTelemetry context (the OpenTelemetry agent's or the application's"
                    + " own SDK): a span obs starts with none of its own open becomes a child of the current"
                    + " OpenTelemetry span.");
    static final Option PROPAGATION_ENABLED = new Option("obs.propagation.enabled", "true",
            "`false`: obs adds no W3C `traceparent`/`tracestate` headers to JGit's HTTP and docker-java's engine"
                    + " requests and no `TRACEPARENT`/`TRACESTATE` to traced subprocesses.");
    static final Option HTTP_PORT = new Option("obs.http.port", "",
            "Port of the live endpoints (`/metrics`, `/metrics/json`, `/health`, `/info`; see Live endpoints); unset:"
                    + " nothing listens. `0` picks a free port (printed at start).");
    static final Option HTTP_HOST = new Option("obs.http.host", "127.0.0.1",
            "Address the live endpoints bind.");
    static final Option HEALTH_FAILURE_WINDOW = new Option("obs.health.failure.window", "30s",
            "How long a destination may fail before `/health/ready` answers 503.");
    static final Option METRICS_EXPORTER = new Option("otel.metrics.exporter", "",
            "The OpenTelemetry agent's switch: a list containing `prometheus` turns on the live endpoints at"
                    + " `otel.exporter.prometheus.host`/`.port` (when `obs.http.port` is not set); obs's destinations"
                    + " stay as `obs.exporter` says.");
    static final Option PROMETHEUS_HOST = new Option("otel.exporter.prometheus.host", "localhost",
            "Address of the live endpoints when `otel.metrics.exporter` lists `prometheus`.");
    static final Option PROMETHEUS_PORT = new Option("otel.exporter.prometheus.port", "9464",
            "Port of the live endpoints when `otel.metrics.exporter` lists `prometheus`.");
    static final Option SERVICE_NAME = new Option("otel.service.name", "unknown_service:java",
            "`service.name` of the resource.");
    static final Option RESOURCE_ATTRIBUTES = new Option("otel.resource.attributes", "",
            "Extra resource attributes, `key=value,key2=value2`.");
    static final Option OTLP_ENDPOINT = new Option("otel.exporter.otlp.endpoint",
            "http://localhost:4318 (grpc: http://localhost:4317)",
            "OTLP collector base URL; `/v1/traces` and `/v1/metrics` are appended for http/protobuf.");
    static final Option OTLP_TRACES_ENDPOINT = new Option("otel.exporter.otlp.traces.endpoint", "",
            "Full URL for spans, overriding the base endpoint.");
    static final Option OTLP_METRICS_ENDPOINT = new Option("otel.exporter.otlp.metrics.endpoint", "",
            "Full URL for metrics, overriding the base endpoint.");
    static final Option OTLP_PROTOCOL = new Option("otel.exporter.otlp.protocol", "http/protobuf",
            "`http/protobuf` or `grpc`.");
    static final Option OTLP_HEADERS = new Option("otel.exporter.otlp.headers", "",
            "Request headers, `key=value,...` (never logged or exported).");
    static final Option OTLP_TIMEOUT = new Option("otel.exporter.otlp.timeout", "10s",
            "Timeout of one export request.");
    static final Option OTLP_COMPRESSION = new Option("otel.exporter.otlp.compression", "none",
            "`none` or `gzip`.");
    static final Option SAMPLER = new Option("otel.traces.sampler", "parentbased_always_on",
            "`always_on`, `always_off`, `traceidratio`, `parentbased_always_on`, `parentbased_always_off`,"
                    + " `parentbased_traceidratio`.");
    static final Option SAMPLER_ARG = new Option("otel.traces.sampler.arg", "1.0",
            "Ratio for the `traceidratio` samplers, 0 to 1.");
    static final Option METRIC_EXPORT_INTERVAL = new Option("otel.metric.export.interval", "60s",
            "Interval between metric exports (and one at exit).");

    static final List<Option> ALL = List.of(ENABLED, EXPORTER, STORE_DIR, STORE_MAX_FILE_SIZE, STORE_MAX_TOTAL_SIZE,
            SUMMARY, SHUTDOWN_TIMEOUT, QUEUE_CAPACITY, SPAN_BATCH_SIZE, SPAN_EXPORT_INTERVAL,
            METHODS_INCLUDE, METHODS_ENABLED, CONFIG_FILE, SYNC_ENABLED, PROCESS_ENABLED, PROCESS_TRACED, GIT_ENABLED, GIT_TRACE2, GIT_CAPTURE_PATHS,
            FS_ENABLED, FS_GROUPS, FS_SLOW_THRESHOLD, FS_SLOW_MAX_PER_SECOND, WEAVE_CACHE_DIR,
            DOCKER_ENABLED, CONTAINER_STATS_INTERVAL, CONTAINER_SELF_ENABLED, MAVEN_ENABLED, CONCURRENT_ENABLED, OTEL_ENABLED,
            PROPAGATION_ENABLED, HTTP_PORT, HTTP_HOST, HEALTH_FAILURE_WINDOW, METRICS_EXPORTER, PROMETHEUS_HOST,
            PROMETHEUS_PORT,
            SERVICE_NAME, RESOURCE_ATTRIBUTES, OTLP_ENDPOINT, OTLP_TRACES_ENDPOINT,
            OTLP_METRICS_ENDPOINT, OTLP_PROTOCOL, OTLP_HEADERS, OTLP_TIMEOUT, OTLP_COMPRESSION, SAMPLER, SAMPLER_ARG,
            METRIC_EXPORT_INTERVAL);

    private Options() {
    }
}
