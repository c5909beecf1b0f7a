package dev.obs.exporter.sync;

import dev.obs.exporter.store.MetricPoint;
import dev.obs.exporter.store.SeriesKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sync metrics of a window of the store ({@code obs sync metrics}), from the window's totals: counts are
 * what the window added, readings (state, lag, drift, online) their latest values; the operations of a service
 * of obs's own are named after it ({@code git fetch}). Optionally narrowed to one
 * peer and one model (the series that carry them).
 */
public final class SyncStoreView {
    /** One operation's figures. */
    public static final class Operation {
        public long count;
        public long errors;
        public final Map<String, Long> byOutcome = new TreeMap<>();
        public long records;
        public MetricPoint latency;

        public double avgSeconds() {
            return latency == null || latency.count == 0 ? Double.NaN : latency.sum / latency.count;
        }

        public double p95Seconds() {
            return latency == null ? Double.NaN : latency.quantile(0.95);
        }

        public double maxSeconds() {
            return latency == null ? Double.NaN : latency.maxOrBound();
        }
    }

    public String currentState;
    /** Seconds in each state within the window. */
    public final Map<String, Double> stateSeconds = new TreeMap<>();
    public final Map<String, Operation> operations = new TreeMap<>();
    public final Map<String, Long> recordsByModel = new TreeMap<>();
    public final Map<String, Long> sentByPeer = new TreeMap<>();
    public final Map<String, Long> receivedByPeer = new TreeMap<>();
    public final Map<String, Integer> online = new TreeMap<>();
    public final Map<String, String> peerNames = new TreeMap<>();
    public final Map<String, Double> lagSeconds = new TreeMap<>();
    public final Map<String, Long> queueDepth = new TreeMap<>();
    public double driftSeconds = Double.NaN;
    public long errors;
    public final Map<String, Long> errorsByType = new TreeMap<>();
    public final Map<String, Long> conflictsByResolution = new TreeMap<>();
    public long transitions;
    public double windowSeconds;

    public double uptimeSeconds() {
        double s = 0;
        for (double v : stateSeconds.values()) {
            s += v;
        }
        return s;
    }

    public long bytesSent() {
        return sentByPeer.values().stream().mapToLong(Long::longValue).sum();
    }

    public long bytesReceived() {
        return receivedByPeer.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Builds the view; {@code peer}/{@code model} null: all. */
    public static SyncStoreView of(Map<SeriesKey, MetricPoint> totals, double windowSeconds, String peer,
                                   String model) {
        SyncStoreView v = new SyncStoreView();
        v.windowSeconds = windowSeconds;
        Map<String, Long> latestState = new LinkedHashMap<>();
        for (Map.Entry<SeriesKey, MetricPoint> e : totals.entrySet()) {
            SeriesKey k = e.getKey();
            MetricPoint p = e.getValue();
            String pe = k.attribute("peer");
            String mo = k.attribute("model");
            // a service of obs's own (Git) names its operations after itself: "git fetch", not "fetch"
            String service = k.attribute("sync.service");
            String operation = service == null || k.attribute("operation") == null ? k.attribute("operation")
                    : service + " " + k.attribute("operation");
            if (peer != null && pe != null && !peer.equals(pe) || model != null && mo != null && !model.equals(mo)) {
                continue;
            }
            switch (k.metric()) {
                case "sync.state" -> latestState.put(k.attribute("state"), (long) p.value());
                case "sync.state.time" -> v.stateSeconds.merge(k.attribute("state"), p.value(), Double::sum);
                case "sync.state.transitions" -> v.transitions += (long) p.value();
                case "sync.operations" -> {
                    Operation o = v.operations.computeIfAbsent(operation, x -> new Operation());
                    long n = (long) p.value();
                    o.count += n;
                    o.byOutcome.merge(k.attribute("outcome"), n, Long::sum);
                    if ("error".equals(k.attribute("outcome"))) {
                        o.errors += n;
                    }
                }
                case "sync.records" -> {
                    long n = (long) p.value();
                    v.operations.computeIfAbsent(operation, x -> new Operation()).records += n;
                    v.recordsByModel.merge(mo == null || mo.isEmpty() ? "(none)" : mo, n, Long::sum);
                }
                case "sync.bytes" -> ("sent".equals(k.attribute("direction")) ? v.sentByPeer : v.receivedByPeer)
                        .merge(pe, (long) p.value(), Long::sum);
                case "sync.operation.duration" -> {
                    Operation o = v.operations.computeIfAbsent(operation, x -> new Operation());
                    o.latency = o.latency == null ? p : MetricPoint.plus(o.latency, p);
                }
                case "sync.peer.online" -> v.online.put(pe, (int) p.value());
                case "sync.peer.info" -> v.peerNames.put(pe, k.attribute("peer_name"));
                case "sync.lag" -> v.lagSeconds.put(pe, p.value());
                case "sync.queue.depth" -> v.queueDepth.put(k.attribute("queue"), (long) p.value());
                case "sync.clock.drift" -> v.driftSeconds = p.value();
                case "sync.errors" -> {
                    long n = (long) p.value();
                    v.errors += n;
                    v.errorsByType.merge(k.attribute("error.type"), n, Long::sum);
                }
                case "sync.conflicts" -> v.conflictsByResolution.merge(k.attribute("resolution"),
                        (long) p.value(), Long::sum);
                default -> {
                }
            }
        }
        for (Map.Entry<String, Long> e : latestState.entrySet()) {
            if (e.getValue() == 1) {
                v.currentState = e.getKey();
            }
        }
        return v;
    }
}
