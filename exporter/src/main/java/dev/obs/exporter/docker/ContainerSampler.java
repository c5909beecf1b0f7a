package dev.obs.exporter.docker;

import dev.obs.bootstrap.Recorder;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableDoublePointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableLongPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSumData;
import io.opentelemetry.sdk.resources.Resource;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Samples the containers the application started ({@link ContainerRegistry}) through the engine the
 * application used, every {@code obs.container.stats.interval} and once as soon as one appears, on the
 * daemon thread {@code obs-container-stats} (never the application's, and never the exporter's: an engine
 * call can take its whole timeout). Sampling stops when the application removes the container, the
 * engine no longer knows it, or it has not been running for {@link #MAX_NOT_RUNNING} samples. The exporter
 * thread reads the latest samples ({@link #addSamples}) and the sampler's own cost ({@link #addCost}).
 */
final class ContainerSampler {
    /** Consecutive samples a stopped container is still asked about before it is forgotten. */
    static final int MAX_NOT_RUNNING = 30;
    /** A name the CLI is still creating may be unknown to the engine this long. */
    private static final long NAME_GRACE_NANOS = 10_000_000_000L;
    private static final long TIMEOUT_MILLIS = 5_000;

    private static final AttributeKey<String> CONTAINER_ID = AttributeKey.stringKey("container.id");
    private static final AttributeKey<String> CONTAINER_NAME = AttributeKey.stringKey("container.name");
    private static final AttributeKey<String> CONTAINER_IMAGE = AttributeKey.stringKey("container.image.name");

    private final long intervalNanos;
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong sampleCpuNanos = new AtomicLong();
    private final AtomicLong sampleFailures = new AtomicLong();
    private volatile Thread thread;

    /** A started container's identity and its latest sample. */
    private static final class Tracked {
        final ContainerRegistry.Container container;
        volatile String id;
        volatile String name;
        volatile Sample last;
        int notRunning;
        volatile boolean done;

        Tracked(ContainerRegistry.Container container) {
            this.container = container;
            this.name = container.name;
            this.id = container.source.equals("cli") ? null : container.key;
        }
    }

    /** @param interval time between samples of each started container */
    ContainerSampler(Duration interval) {
        this.intervalNanos = Math.max(1_000_000L, interval.toNanos());
    }

    /** Starts the sampler thread, woken early whenever a container is registered. */
    void start() {
        Thread t = new Thread("obs-container-stats") {
            @Override
            public void run() {
                Recorder.suppressCurrentThread();
                loop();
            }
        };
        t.setDaemon(true);
        thread = t;
        // a class, not a lambda: this runs when exporting starts, in every run, where linking the first lambda of
        // a call site costs about a millisecond of CPU
        ContainerRegistry.onSighting(new Runnable() {
            @Override
            public void run() {
                LockSupport.unpark(t);
            }
        });
        t.start();
    }

    private void loop() {
        // The thread bean (java.management) is looked up at the first container, not at start: a program that
        // starts none never pays for it.
        ThreadMXBean threads = null;
        boolean cpuTime = false;
        long next = System.nanoTime();
        while (true) {
            try {
                for (ContainerRegistry.Container c : ContainerRegistry.live()) {
                    if (threads == null) {
                        threads = JvmBeans.THREADS;
                        cpuTime = threads.isCurrentThreadCpuTimeSupported();
                    }
                    Tracked t = tracked.computeIfAbsent(c.key, k -> new Tracked(c));
                    if (t.container != c) {
                        // registered again (a start after a create): keep the sample, take the better identity
                        tracked.put(c.key, t = merge(t, c));
                    }
                    long before = cpuTime ? threads.getCurrentThreadCpuTime() : 0;
                    sample(t);
                    if (cpuTime) {
                        sampleCpuNanos.addAndGet(threads.getCurrentThreadCpuTime() - before);
                    }
                    samples.incrementAndGet();
                }
                for (Tracked t : tracked.values()) {
                    if (t.container.gone && !t.done) {
                        t.done = true;
                    }
                }
            } catch (Throwable e) {
                sampleFailures.incrementAndGet();
            }
            next += intervalNanos;
            long now = System.nanoTime();
            if (next - now < 0) {
                next = now + intervalNanos;
            }
            // an unpark (a container appeared) ends the wait early
            LockSupport.parkNanos(next - now);
            if (next - System.nanoTime() > 0) {
                next = System.nanoTime();
            }
        }
    }

    private static Tracked merge(Tracked old, ContainerRegistry.Container c) {
        Tracked t = new Tracked(c);
        t.last = old.last;
        if (t.id == null) {
            t.id = old.id;
        }
        if (t.name == null) {
            t.name = old.name;
        }
        return t;
    }

    private void sample(Tracked t) {
        ContainerRegistry.Container c = t.container;
        if (!EngineClient.supported(c.endpoint)) {
            ContainerRegistry.forget(c);
            t.done = true;
            return;
        }
        EngineClient.Response r;
        try {
            r = EngineClient.get(c.endpoint, "/containers/" + encode(c.key) + "/stats?stream=false&one-shot=true",
                    TIMEOUT_MILLIS);
        } catch (Exception e) {
            sampleFailures.incrementAndGet();
            return;
        }
        if (r.status() == 404) {
            if (t.last != null || System.nanoTime() - c.registeredNanos > NAME_GRACE_NANOS) {
                c.gone = true;
                t.done = true;
            }
            return;
        }
        if (r.status() != 200) {
            sampleFailures.incrementAndGet();
            return;
        }
        Object json;
        try {
            json = Json.parse(r.body());
        } catch (Exception e) {
            sampleFailures.incrementAndGet();
            return;
        }
        Object read = Json.at(json, "read");
        if (read instanceof String s && s.startsWith("0001-")) {
            // not running: its cgroup is gone, the engine reports zeros
            if (++t.notRunning >= MAX_NOT_RUNNING) {
                c.gone = true;
                t.done = true;
            }
            return;
        }
        t.notRunning = 0;
        if (Json.at(json, "id") instanceof String id) {
            t.id = id;
        }
        if (t.name == null && Json.at(json, "name") instanceof String name) {
            t.name = name.startsWith("/") ? name.substring(1) : name;
        }
        t.last = fromEngine(json);
    }

    private static String encode(String key) {
        return java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The engine's stats answer (cgroup v1 or v2 host) as a {@link Sample}. */
    static Sample fromEngine(Object json) {
        long total = Json.number(json, "cpu_stats", "cpu_usage", "total_usage");
        long user = Json.number(json, "cpu_stats", "cpu_usage", "usage_in_usermode");
        long system = Json.number(json, "cpu_stats", "cpu_usage", "usage_in_kernelmode");
        long periods = Json.number(json, "cpu_stats", "throttling_data", "periods");
        long throttled = Json.number(json, "cpu_stats", "throttling_data", "throttled_periods");
        long throttledTime = Json.number(json, "cpu_stats", "throttling_data", "throttled_time");
        long memory = Json.number(json, "memory_stats", "usage");
        long limit = Json.number(json, "memory_stats", "limit");
        long read = -1;
        long write = -1;
        if (Json.at(json, "blkio_stats", "io_service_bytes_recursive") instanceof List<?> entries) {
            read = 0;
            write = 0;
            for (Object e : entries) {
                Object op = Json.at(e, "op");
                long v = Json.number(e, "value");
                if (v > 0 && op instanceof String s) {
                    if (s.equalsIgnoreCase("read")) {
                        read += v;
                    } else if (s.equalsIgnoreCase("write")) {
                        write += v;
                    }
                }
            }
        }
        long rx = -1;
        long tx = -1;
        if (Json.at(json, "networks") instanceof Map<?, ?> networks) {
            rx = 0;
            tx = 0;
            for (Object n : networks.values()) {
                rx += Math.max(0, Json.number(n, "rx_bytes"));
                tx += Math.max(0, Json.number(n, "tx_bytes"));
            }
        }
        return new Sample(user < 0 ? -1 : user / 1e9, system < 0 ? -1 : system / 1e9, total < 0 ? -1 : total / 1e9,
                periods, throttled, throttledTime < 0 ? -1 : throttledTime / 1e9, memory,
                limit <= 0 || limit >= Long.MAX_VALUE / 2 ? -1 : limit, read, write, rx, tx);
    }

    /**
     * Adds each started container's latest sample to {@code points}, labelled with its identity; a container
     * whose sampling ended is in this collection for the last time and is forgotten.
     */
    void addSamples(ResourcePoints points) {
        for (Tracked t : tracked.values()) {
            Sample s = t.last;
            if (s != null) {
                AttributesBuilder a = Attributes.builder();
                if (t.id != null) {
                    a.put(CONTAINER_ID, t.id);
                }
                if (t.name != null) {
                    a.put(CONTAINER_NAME, t.name);
                }
                if (t.container.image != null) {
                    a.put(CONTAINER_IMAGE, t.container.image);
                }
                points.add(s, a.build());
            }
            if (t.done) {
                // its last values are in this export; it is sampled no more
                tracked.remove(t.container.key, t);
                ContainerRegistry.forget(t.container);
            }
        }
    }

    /** What sampling cost: requests made and the sampler thread's CPU time (once the thread started). */
    void addCost(List<MetricData> out, Resource resource, InstrumentationScopeInfo scope, long start, long now) {
        if (thread != null) {
            out.add(ImmutableMetricData.createLongSum(resource, scope, "obs.container.samples",
                    "Engine stats requests made for started containers", "{request}",
                    ImmutableSumData.create(true, AggregationTemporality.CUMULATIVE,
                            List.of(ImmutableLongPointData.create(start, now, Attributes.empty(), samples.get())))));
            out.add(ImmutableMetricData.createDoubleSum(resource, scope, "obs.container.samples.cpu.time",
                    "CPU time obs's sampler thread spent on them", "s",
                    ImmutableSumData.create(true, AggregationTemporality.CUMULATIVE,
                            List.of(ImmutableDoublePointData.create(start, now, Attributes.empty(),
                                    sampleCpuNanos.get() / 1e9)))));
        }
    }

    /** The exit summary's line, or null when nothing was sampled. */
    String summary() {
        long n = samples.get();
        if (n == 0) {
            return null;
        }
        return String.format("container stats: %d samples, %.1f us CPU per sample, %d failed", n,
                sampleCpuNanos.get() / 1e3 / n, sampleFailures.get());
    }
}
