package dev.obs.exporter.sync;

import dev.obs.exporter.LogSource;
import dev.obs.exporter.MetricSource;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableDoublePointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableGaugeData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableLongPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSumData;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sync family's readings as gauges, built at each metric export on the exporter thread: the current
 * state and the time in each, watermarks and lag, clock drift, queue depths, online peers (and their names
 * as an info series), and the time of the last success per peer and per model. The counts and durations are
 * exact series exported by the metrics aggregator.
 */
public final class SyncMetricSource implements MetricSource, LogSource {
    /** The program's own sync service, or null. */
    private final SyncRecorder recorder;
    /** Services of obs's own (Git): their series carry {@code sync.service}; they have no state machine. */
    private final List<SyncRecorder> services;

    public SyncMetricSource(SyncRecorder recorder) {
        this(recorder, List.of());
    }

    /**
     * @param recorder the program's own sync service (declared rules, the API), or null
     * @param services recorders of obs's own sync services ({@link SyncRecorder#service()} not null)
     */
    public SyncMetricSource(SyncRecorder recorder, List<SyncRecorder> services) {
        this.recorder = recorder;
        this.services = services;
    }

    @Override
    public void start() {
    }

    @Override
    public List<MetricData> collect(Resource resource, InstrumentationScopeInfo scope, long start, long now) {
        List<MetricData> out = new ArrayList<>();
        long nowNanos = System.nanoTime();
        long nowMillis = System.currentTimeMillis();
        Readings readings = new Readings();
        if (recorder != null) {
            collectOwn(out, readings, resource, scope, start, now, nowNanos, nowMillis);
        }
        for (SyncRecorder s : services) {
            readings.add(s, start, now, nowMillis);
        }
        readings.export(out, resource, scope, start, now);
        return out;
    }

    /** The program's own service: its state machine, and its readings into {@code readings}. */
    private void collectOwn(List<MetricData> out, Readings readings, Resource resource,
                            InstrumentationScopeInfo scope, long start, long now, long nowNanos, long nowMillis) {
        String current = recorder.currentState();
        Map<String, Long> times = recorder.stateTimes(nowNanos);
        if (times.size() == 1 && current.equals(SyncRecorder.INITIAL_STATE) && !anyPeer()) {
            return; // nothing declared has run yet
        }
        List<LongPointData> state = new ArrayList<>();
        List<DoublePointData> stateTime = new ArrayList<>();
        for (Map.Entry<String, Long> e : times.entrySet()) {
            Attributes a = Attributes.builder().put("state", e.getKey()).build();
            state.add(ImmutableLongPointData.create(start, now, a, e.getKey().equals(current) ? 1 : 0));
            stateTime.add(ImmutableDoublePointData.create(start, now, a, e.getValue() / 1e9));
        }
        out.add(ImmutableMetricData.createLongGauge(resource, scope, "sync.state",
                "1 for the current sync state, 0 for the others seen", "1", ImmutableGaugeData.create(state)));
        out.add(ImmutableMetricData.createDoubleSum(resource, scope, "sync.state.time",
                "Time spent in each sync state since the agent started", "s",
                ImmutableSumData.create(true, AggregationTemporality.CUMULATIVE, stateTime)));
        out.add(ImmutableMetricData.createDoubleGauge(resource, scope, "sync.uptime",
                "Time since the agent started: the sum of the times in the states", "s",
                ImmutableGaugeData.create(List.of(ImmutableDoublePointData.create(start, now, Attributes.empty(),
                        (nowNanos - recorder.startNanos()) / 1e9)))));

        readings.add(recorder, start, now, nowMillis);
    }

    /** The readings of every recorder, gathered into one list of points per metric. */
    private static final class Readings {
        final List<DoublePointData> watermark = new ArrayList<>();
        final List<DoublePointData> lag = new ArrayList<>();
        final List<LongPointData> online = new ArrayList<>();
        final List<LongPointData> info = new ArrayList<>();
        final List<DoublePointData> lastSuccess = new ArrayList<>();
        final List<DoublePointData> drift = new ArrayList<>();
        final List<LongPointData> queues = new ArrayList<>();

        void add(SyncRecorder recorder, long start, long now, long nowMillis) {
            String service = recorder.service();
            for (SyncRecorder.Peer p : recorder.peers()) {
                Attributes a = attributes(service, "peer", p.id);
                long wm = p.watermarkMillis;
                if (wm != Long.MIN_VALUE) {
                    watermark.add(ImmutableDoublePointData.create(start, now, a, wm / 1e3));
                    lag.add(ImmutableDoublePointData.create(start, now, a, (nowMillis - wm) / 1e3));
                }
                int on = p.online;
                if (on >= 0) {
                    online.add(ImmutableLongPointData.create(start, now, a, on));
                }
                String name = p.peerName;
                if (name != null) {
                    info.add(ImmutableLongPointData.create(start, now,
                            a.toBuilder().put("peer_name", name).build(), 1));
                }
                long ls = p.lastSuccessNanos();
                if (ls != Long.MIN_VALUE) {
                    lastSuccess.add(ImmutableDoublePointData.create(start, now, a, recorder.wallMillis(ls) / 1e3));
                }
            }
            for (Map.Entry<String, SyncRecorder.Model> e : recorder.models().entrySet()) {
                long ls = e.getValue().lastSuccessNanos();
                if (ls != Long.MIN_VALUE) {
                    lastSuccess.add(ImmutableDoublePointData.create(start, now,
                            attributes(service, "model", e.getKey()), recorder.wallMillis(ls) / 1e3));
                }
            }
            if (recorder.driftSeen()) {
                drift.add(ImmutableDoublePointData.create(start, now, attributes(service, null, null),
                        recorder.driftMillis() / 1e3));
            }
            for (Map.Entry<String, long[]> e : recorder.queues().entrySet()) {
                queues.add(ImmutableLongPointData.create(start, now, attributes(service, "queue", e.getKey()),
                        e.getValue()[0]));
            }
        }

        void export(List<MetricData> out, Resource resource, InstrumentationScopeInfo scope, long start, long now) {
            doubleGauge(out, resource, scope, "sync.watermark", "Watermark per peer (epoch seconds)", "s", watermark);
            doubleGauge(out, resource, scope, "sync.lag", "Now minus the peer's watermark", "s", lag);
            longGauge(out, resource, scope, "sync.peer.online", "1 while the peer is connected, 0 after it left", "1",
                    online);
            longGauge(out, resource, scope, "sync.peer.info", "The peer's name (peer_name), value 1", "1", info);
            doubleGauge(out, resource, scope, "sync.last_success",
                    "Time of the last successful operation per peer and per model (epoch seconds)", "s", lastSuccess);
            doubleGauge(out, resource, scope, "sync.clock.drift", "Last clock drift reading", "s", drift);
            longGauge(out, resource, scope, "sync.queue.depth", "Last depth reading per queue", "{item}", queues);
        }

        private static Attributes attributes(String service, String key, String value) {
            io.opentelemetry.api.common.AttributesBuilder b = Attributes.builder();
            if (key != null) {
                b.put(key, value);
            }
            if (service != null) {
                b.put("sync.service", service);
            }
            return b.build();
        }
    }

    @Override
    public List<LogRecordData> takeLogs(Resource resource, InstrumentationScopeInfo scope) {
        List<LogRecordData> out = new ArrayList<>();
        if (recorder != null) {
            for (SyncRecorder.Event e : recorder.takeEvents()) {
                out.add(new SyncEventRecord(resource, scope, e));
            }
        }
        for (SyncRecorder s : services) {
            for (SyncRecorder.Event e : s.takeEvents()) {
                out.add(new SyncEventRecord(resource, scope, e));
            }
        }
        return out;
    }

    private boolean anyPeer() {
        return recorder.peers().iterator().hasNext() || !recorder.queues().isEmpty() || recorder.driftSeen();
    }

    private static void doubleGauge(List<MetricData> out, Resource r, InstrumentationScopeInfo s, String name,
                                    String description, String unit, List<DoublePointData> points) {
        if (!points.isEmpty()) {
            out.add(ImmutableMetricData.createDoubleGauge(r, s, name, description, unit,
                    ImmutableGaugeData.create(points)));
        }
    }

    private static void longGauge(List<MetricData> out, Resource r, InstrumentationScopeInfo s, String name,
                                  String description, String unit, List<LongPointData> points) {
        if (!points.isEmpty()) {
            out.add(ImmutableMetricData.createLongGauge(r, s, name, description, unit,
                    ImmutableGaugeData.create(points)));
        }
    }
}
