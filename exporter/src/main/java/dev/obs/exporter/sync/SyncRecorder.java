package dev.obs.exporter.sync;

import dev.obs.exporter.ExactCounter;
import dev.obs.exporter.ExactMetrics;
import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;
import dev.obs.bootstrap.SecretMasker;
import dev.obs.exporter.StripedHistogram;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * What a sync service did, from the calls of its declared methods and of the API: the exact series
 * ({@link ExactCounter}, {@link StripedHistogram}, exported by the metrics aggregator whether or not spans are
 * kept), the readings the {@link SyncMetricSource} exports as gauges (state, watermarks, online peers, queue
 * depths, clock drift, last successes), the rings of the last transitions and errors, and the events waiting
 * to go out as log records.
 *
 * <p>Hot path (an operation): a few lookups in concurrent maps keyed by the values' own strings, atomic adds,
 * no lock, no allocation once a series exists. Series are created on first use, under the series
 * registry's lock, once. Peers and models are bounded ({@link #MAX_PEERS}, {@link #MAX_MODELS}); values beyond
 * are recorded as {@code other} and counted in {@code obs.sync.cardinality.overflow{dimension}}. Transitions
 * take this object's lock: a state machine moves rarely, and its time accounting must be one sequence.
 */
public final class SyncRecorder {
    static final int MAX_PEERS = 1000;
    static final int MAX_MODELS = 200;
    static final int MAX_OPERATIONS = 100;
    static final int MAX_STATES = 100;
    static final int MAX_REASONS = 200;
    static final int MAX_ERROR_TYPES = 100;
    static final int RING = 100;
    static final int MAX_PENDING_EVENTS = 10_000;
    static final String OTHER = "other";
    static final String NONE = "";
    static final String INITIAL_STATE = "unknown";

    /** One entry of the transition or error ring, and one event (log record). */
    public static final class Event {
        public final long epochMillis;
        /** {@code transition} or {@code error}. */
        public final String type;
        public final String[] keys;
        public final String[] values;
        public final String body;

        Event(long epochMillis, String type, String body, String[] keys, String[] values) {
            this.epochMillis = epochMillis;
            this.type = type;
            this.body = body;
            this.keys = keys;
            this.values = values;
        }

        public String value(String key) {
            for (int i = 0; i < keys.length; i++) {
                if (keys[i].equals(key)) {
                    return values[i];
                }
            }
            return null;
        }
    }

    /**
     * The {@link System#nanoTime()} of the last successful operation of a peer or model. Written on every
     * successful operation, so with an opaque store (a plain store on x86, no fence) of the end time the
     * operation has measured anyway, rather than a volatile store of a wall-clock reading; the exporter reads
     * it opaquely too and turns it into wall time ({@link #wallMillis}). A reader may see a value a moment old.
     */
    static class LastSuccess {
        private static final VarHandle NANOS;

        static {
            try {
                NANOS = MethodHandles.lookup().findVarHandle(LastSuccess.class, "lastSuccessNanos", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @SuppressWarnings("unused") // through NANOS
        private long lastSuccessNanos = Long.MIN_VALUE;

        final void succeeded(long endNanos) {
            NANOS.setOpaque(this, endNanos);
        }

        /** Long.MIN_VALUE: never. */
        final long lastSuccessNanos() {
            return (long) NANOS.getOpaque(this);
        }
    }

    /** A peer's readings. Fields written by app threads, read by the exporter: volatile (or opaque). */
    static final class Peer extends LastSuccess {
        final String id;
        volatile long watermarkMillis = Long.MIN_VALUE;
        /** -1 never said, 0 offline, 1 online. */
        volatile int online = -1;
        volatile String peerName;

        Peer(String id) {
            this.id = id;
        }
    }

    static final class Model extends LastSuccess {
    }

    /** One level of a lazily built tree of series keyed by attribute values. */
    private static final class Node {
        final ConcurrentHashMap<String, Object> children = new ConcurrentHashMap<>();

        Object get(String key, Function<String, Object> create) {
            Object o = children.get(key);
            return o != null ? o : children.computeIfAbsent(key, create);
        }
    }

    private final long startNanos;
    private final long startWallMillis;
    private final Node operations = new Node();
    private final Node records = new Node();
    private final Node bytes = new Node();
    private final Node durations = new Node();
    private final Node errors = new Node();
    private final Node conflicts = new Node();
    private final Node transitions = new Node();
    private final ConcurrentHashMap<String, Peer> peers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Model> models = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> operationNames = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> reasons = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> errorTypes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, long[]> queues = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ExactCounter> overflow = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ExactCounter> templateFailures = new ConcurrentHashMap<>();
    private volatile long driftMillis;
    private volatile boolean driftSeen;

    // state machine: under this object's lock
    private String state = INITIAL_STATE;
    private long stateSinceNanos;
    private final java.util.LinkedHashMap<String, Long> stateNanos = new java.util.LinkedHashMap<>();
    private final java.util.ArrayDeque<Event> transitionRing = new java.util.ArrayDeque<>();
    private final java.util.ArrayDeque<Event> errorRing = new java.util.ArrayDeque<>();

    private final ConcurrentLinkedQueue<Event> pendingEvents = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    /** Created with the first dropped event: a series existing makes the exporter start. */
    private volatile ExactCounter eventsDropped;

    /** {@code sync.service} on every series, or null for the program's own (declared or API) sync service. */
    private final String service;

    /**
     * @param service         the {@code sync.service} attribute of every series this recorder creates
     *                        ({@code git}), or null for the program's own sync service (no such attribute, and
     *                        its operations are spans of their own inside kept traces)
     * @param startNanos      when it reports from: its initial state lasts from then (a recorder may be created
     *                        later, when first needed, as if created then)
     * @param startWallMillis the wall-clock time at {@code startNanos}
     */
    public SyncRecorder(String service, long startNanos, long startWallMillis) {
        this.service = service;
        this.startNanos = startNanos;
        this.startWallMillis = startWallMillis;
        this.stateSinceNanos = startNanos;
        stateNanos.put(INITIAL_STATE, 0L);
    }

    /** The {@code sync.service} this recorder's series carry, or null. */
    public String service() {
        return service;
    }

    /** {@code keys}, with {@code sync.service} added when this recorder has one. */
    private String[] keys(String... keys) {
        if (service == null) {
            return keys;
        }
        String[] out = java.util.Arrays.copyOf(keys, keys.length + 1);
        out[keys.length] = "sync.service";
        return out;
    }

    /** {@code values}, with this recorder's service added when it has one. */
    private String[] values(String... values) {
        if (service == null) {
            return values;
        }
        String[] out = java.util.Arrays.copyOf(values, values.length + 1);
        out[values.length] = service;
        return out;
    }

    // ---- what rules and the API call ----

    /** The sync state moves to {@code to}; the previous state is remembered. */
    public void transition(String to, String reason) {
        long now = System.nanoTime();
        long wall = System.currentTimeMillis();
        String target = to == null ? NONE : to;
        String from;
        synchronized (this) {
            if (!stateNanos.containsKey(target) && stateNanos.size() >= MAX_STATES) {
                target = OTHER;
            }
            from = state;
            stateNanos.merge(from, now - stateSinceNanos, Long::sum);
            stateNanos.putIfAbsent(target, 0L);
            state = target;
            stateSinceNanos = now;
            Event e = new Event(wall, "transition", "sync state " + from + " -> " + target,
                    new String[] {"from", "to", "reason"}, new String[] {from, target, reason == null ? NONE : reason});
            push(transitionRing, e);
            queueEvent(e);
        }
        String t = target;
        String r = reason == null ? NONE : boundedIn(reasons, reason, MAX_REASONS, "reason");
        Object series = leaf(transitions, 3, from, t, r, null);
        if (series == null) {
            series = leafOrCreate(transitions, 3, from, t, r, null, x -> ExactMetrics.counter(
                    "sync.state.transitions", "{transition}", "Sync state transitions",
                    keys("from", "to", "reason"), values(from, t, x)));
        }
        ((ExactCounter) series).add(1);
    }

    /**
     * One operation ended.
     *
     * @param records    -1: not said
     * @param bytesMoved -1: not said
     * @param direction  {@code sent} or {@code received}; null: by the operation
     * @param outcome    {@code success}, {@code rejected}, {@code error} or another name
     * @param thrown     the exception of an operation that failed by throwing, or null
     * @param resolution for a conflict: how it was resolved, or null
     */
    public void operation(String operation, String peer, String model, long records, long bytesMoved,
                          String direction, String outcome, Throwable thrown, String resolution, long startNanos,
                          long endNanos) {
        operation(null, operation, peer, model, records, bytesMoved, direction, outcome, thrown, resolution,
                startNanos, endNanos);
    }

    /**
     * The series one operation adds to, found once per combination of its values: a call site that keeps
     * giving the same strings (a rule's peer field, a model constant) finds them by four identity checks.
     */
    static final class Series {
        final String operationIn;
        final String peerIn;
        final String modelIn;
        final String outcomeIn;
        final String directionIn;
        final String op;
        final String peerKey;
        final String modelKey;
        final String outcome;
        final ExactCounter operations;
        final ExactCounter records;
        final ExactCounter bytes;
        final StripedHistogram duration;
        final Peer peer;
        final Model model;
        /** Outcome {@code success}: the peer's and model's last success move. */
        final boolean success;
        /** {@code conflict} or {@code conflict_resolved}: counted in {@code sync.conflicts} too. */
        final boolean conflict;
        /** 1: {@code connect} (the peer comes online), -1: {@code disconnect}, 0: neither. */
        final int connects;

        Series(String operationIn, String peerIn, String modelIn, String outcomeIn, String directionIn, String op,
               String peerKey, String modelKey, String outcome, ExactCounter operations, ExactCounter records,
               ExactCounter bytes, StripedHistogram duration, Peer peer, Model model) {
            this.operationIn = operationIn;
            this.peerIn = peerIn;
            this.modelIn = modelIn;
            this.outcomeIn = outcomeIn;
            this.directionIn = directionIn;
            this.op = op;
            this.peerKey = peerKey;
            this.modelKey = modelKey;
            this.outcome = outcome;
            this.operations = operations;
            this.records = records;
            this.bytes = bytes;
            this.duration = duration;
            this.peer = peer;
            this.model = model;
            this.success = outcome.equals("success");
            this.conflict = op.equals("conflict") || op.equals("conflict_resolved");
            this.connects = op.equals("connect") ? 1 : op.equals("disconnect") ? -1 : 0;
        }

        boolean matches(String operation, String peer, String model, String outcome, String direction) {
            return operationIn == operation && peerIn == peer && modelIn == model && outcomeIn == outcome
                    && directionIn == direction;
        }
    }

    /** One call site's last {@link Series} (a volatile field; a race only costs a lookup). */
    public static final class SeriesCache {
        volatile Series last;
    }

    /** As {@link #operation(String, String, String, long, long, String, String, Throwable, String, long, long)}, through a call site's cache. */
    public void operation(SeriesCache cache, String operation, String peer, String model, long records,
                          long bytesMoved, String direction, String outcome, Throwable thrown, String resolution,
                          long startNanos, long endNanos) {
        String outcomeIn = thrown != null ? "error" : outcome == null ? "success" : outcome;
        Series series = cache == null ? null : cache.last;
        if (series == null || !series.matches(operation, peer, model, outcomeIn, direction)) {
            series = series(operation, peer, model, outcomeIn, direction);
            if (cache != null) {
                cache.last = series;
            }
        }
        String op = series.op;
        String p = series.peerKey;
        String m = series.modelKey;
        series.operations.add(1);
        if (records > 0) {
            series.records.add(records);
        }
        if (bytesMoved > 0) {
            series.bytes.add(bytesMoved);
        }
        series.duration.record(endNanos - startNanos, thrown != null);
        if (series.success) {
            if (series.peer != null) {
                series.peer.succeeded(endNanos);
            }
            if (series.model != null) {
                series.model.succeeded(endNanos);
            }
        }
        if (series.conflict) {
            String res = resolution != null ? resolution : op.equals("conflict") ? "detected" : "resolved";
            Object conflict = leaf(conflicts, 1, res, null, null, null);
            if (conflict == null) {
                conflict = leafOrCreate(conflicts, 1, res, null, null, null, x -> ExactMetrics.counter(
                        "sync.conflicts", "{conflict}", "Sync conflicts by resolution", keys("resolution"), values(x)));
            }
            ((ExactCounter) conflict).add(1);
        }
        if (series.peer != null && series.connects != 0) {
            series.peer.online = series.connects > 0 ? 1 : 0;
        }
        if (thrown != null) {
            error(op, p, m, thrown.getClass().getName(), thrown.getMessage());
        }
        // A span only inside a trace that is kept: a sync service's own loop (a million operations) would
        // otherwise be a million root traces, and the counts above are exact without them.
        // (a service of obs's own, such as Git, has spans of its own already)
        ObsSpan current = service != null ? null : Recorder.currentSpan();
        ObsSpan span = current == null || current.decision != ObsSpan.EXPORTED ? null
                : Recorder.startSpanAt(spanName(op), startNanos);
        if (span != null) {
            span.setAttribute("sync.operation", op);
            if (!p.isEmpty()) {
                span.setAttribute("sync.peer", p);
            }
            if (!m.isEmpty()) {
                span.setAttribute("sync.model", m);
            }
            if (records >= 0) {
                span.setAttribute("sync.records", records);
            }
            if (bytesMoved >= 0) {
                span.setAttribute("sync.bytes", bytesMoved);
            }
            span.setAttribute("sync.outcome", series.outcome);
            if (thrown != null) {
                Recorder.recordError(span, thrown);
            } else if (!series.outcome.equals("success")) {
                span.failed = true;
            }
            Recorder.endSpanAt(span, endNanos);
        }
    }

    /** Finds (or creates) the series of one combination of an operation's values. */
    private Series series(String operation, String peer, String model, String out, String direction) {
        String op = boundedIn(operationNames, operation, MAX_OPERATIONS, "operation");
        Peer peerState = peer == null ? null : peer(peer);
        String p = peerState == null ? NONE : peerState.id;
        String m = model == null ? NONE : model(model);
        Model modelState = model == null ? null : models.get(m);
        String dir = direction != null ? direction : defaultDirection(op);
        Object ops = leaf(operations, 4, op, out, p, m);
        if (ops == null) {
            ops = leafOrCreate(operations, 4, op, out, p, m, x -> ExactMetrics.counter("sync.operations",
                    "{operation}", "Sync operations by outcome, peer and model",
                    keys("operation", "outcome", "peer", "model"), values(op, out, p, x)));
        }
        Object recs = leaf(records, 3, op, p, m, null);
        if (recs == null) {
            recs = leafOrCreate(records, 3, op, p, m, null, x -> ExactMetrics.counter("sync.records",
                    "{record}", "Records synced by operation, peer and model",
                    keys("operation", "peer", "model"), values(op, p, x)));
        }
        Object byt = leaf(bytes, 2, dir, p, null, null);
        if (byt == null) {
            byt = leafOrCreate(bytes, 2, dir, p, null, null, x -> ExactMetrics.counter("sync.bytes", "By",
                    "Bytes synced by direction and peer", keys("direction", "peer"), values(dir, x)));
        }
        Object dur = leaf(durations, 2, op, out, null, null);
        if (dur == null) {
            dur = leafOrCreate(durations, 2, op, out, null, null, x -> ExactMetrics.histogram(
                    "sync.operation.duration", "Duration of sync operations",
                    keys("operation", "outcome"), values(op, x), null));
        }
        return new Series(operation, peer, model, out, direction, op, p, m, out, (ExactCounter) ops,
                (ExactCounter) recs, (ExactCounter) byt, (StripedHistogram) dur, peerState, modelState);
    }

    private final ConcurrentHashMap<String, String> spanNames = new ConcurrentHashMap<>();

    private String spanName(String op) {
        String n = spanNames.get(op);
        return n != null ? n : spanNames.computeIfAbsent(op, o -> "sync " + o);
    }

    /** An error not tied to one call of a declared method (the API's {@code error}), or one that is. */
    public void error(String operation, String peer, String model, String type, String message) {
        String op = operation == null ? NONE : boundedIn(operationNames, operation, MAX_OPERATIONS, "operation");
        String p = peer == null ? NONE : peer.isEmpty() ? NONE : peer(peer).id;
        String m = model == null || model.isEmpty() ? NONE : model(model);
        String t = boundedIn(errorTypes, type == null ? "unknown" : type, MAX_ERROR_TYPES, "error.type");
        {
            Object series = leaf(errors, 4, t, op, p, m);
            if (series == null) {
                series = leafOrCreate(errors, 4, t, op, p, m, x -> ExactMetrics.counter("sync.errors", "{error}",
                "Sync errors by type, operation, peer and model",
                keys("error.type", "operation", "peer", "model"), values(t, op, p, x)));
            }
            ((ExactCounter) series).add(1);
        }
        String masked = message == null ? NONE : SecretMasker.mask(message);
        Event e = new Event(System.currentTimeMillis(), "error", masked,
                keys("error.type", "operation", "peer", "model", "message"), values(t, op, p, m, masked));
        synchronized (this) {
            push(errorRing, e);
        }
        queueEvent(e);
    }

    /**
     * {@code count} conflicts detected outside a declared operation (Git: paths a merge, pull or rebase left
     * conflicting): {@code sync.conflicts{resolution=detected}}; with {@code paths} (captured, masked), one
     * {@code sync.conflict} event per path, naming the operation, the peer and the branches.
     */
    public void conflicts(String operation, String peer, long count, String[] paths, String ours, String theirs) {
        Object conflict = leaf(conflicts, 1, "detected", null, null, null);
        if (conflict == null) {
            conflict = leafOrCreate(conflicts, 1, "detected", null, null, null, x -> ExactMetrics.counter(
                    "sync.conflicts", "{conflict}", "Sync conflicts by resolution", keys("resolution"), values(x)));
        }
        ((ExactCounter) conflict).add(count);
        if (paths == null) {
            return;
        }
        String op = operation == null ? NONE : operation;
        String p = peer == null ? NONE : peer;
        String o = ours == null ? NONE : ours;
        String t = theirs == null ? NONE : theirs;
        long now = System.currentTimeMillis();
        for (String path : paths) {
            queueEvent(new Event(now, "conflict", "sync conflict in " + path + " (" + o + " <- " + t + ")",
                    keys("operation", "peer", "path", "ours", "theirs"), values(op, p, path, o, t)));
        }
    }

    public void watermark(String peer, long epochMillis) {
        peer(peer).watermarkMillis = epochMillis;
    }

    public void drift(long millis) {
        driftMillis = millis;
        driftSeen = true;
    }

    public void queueDepth(String queue, long depth) {
        long[] cell = queues.get(queue);
        if (cell == null) {
            if (queues.size() >= MAX_OPERATIONS) {
                overflow("queue");
                return;
            }
            cell = queues.computeIfAbsent(queue, q -> new long[1]);
        }
        cell[0] = depth;
    }

    public void peerName(String peer, String name) {
        peer(peer).peerName = name;
    }

    /** A template of {@code rule} gave no value: counted in {@code obs.sync.template.failures{rule}}. */
    void templateFailed(String rule) {
        ExactCounter c = templateFailures.get(rule);
        if (c == null) {
            c = templateFailures.computeIfAbsent(rule, r -> ExactMetrics.counter("obs.sync.template.failures",
                    "{failure}", "Sync rule templates that gave no value", keys("rule"), values(r)));
        }
        c.add(1);
    }

    // ---- what the exporter reads ----

    /** Time in each state so far, in nanoseconds, the current one up to {@code nowNanos}; and the current state. */
    synchronized java.util.Map<String, Long> stateTimes(long nowNanos) {
        java.util.LinkedHashMap<String, Long> out = new java.util.LinkedHashMap<>(stateNanos);
        // not merge(.., Long::sum): read at every metric export from the first, where linking the method
        // reference cost about a millisecond of the exporter's CPU in every run
        Long before = out.get(state);
        out.put(state, (before == null ? 0 : before) + nowNanos - stateSinceNanos);
        return out;
    }

    synchronized String currentState() {
        return state;
    }

    long startNanos() {
        return startNanos;
    }

    /** The wall-clock time, in epoch milliseconds, of a {@link System#nanoTime()} reading of this JVM. */
    long wallMillis(long nanos) {
        return startWallMillis + Math.floorDiv(nanos - startNanos, 1_000_000L);
    }

    public synchronized List<Event> transitionHistory() {
        return new ArrayList<>(transitionRing);
    }

    public synchronized List<Event> errorHistory() {
        return new ArrayList<>(errorRing);
    }

    Iterable<Peer> peers() {
        return peers.values();
    }

    java.util.Map<String, Model> models() {
        return models;
    }

    java.util.Map<String, long[]> queues() {
        return queues;
    }

    boolean driftSeen() {
        return driftSeen;
    }

    long driftMillis() {
        return driftMillis;
    }

    /** Events not yet taken, in the order they happened. */
    public List<Event> takeEvents() {
        List<Event> out = new ArrayList<>();
        for (Event e; (e = pendingEvents.poll()) != null; ) {
            pendingCount.decrementAndGet();
            out.add(e);
        }
        return out;
    }

    // ---- helpers ----

    private void queueEvent(Event e) {
        if (pendingCount.incrementAndGet() > MAX_PENDING_EVENTS) {
            pendingCount.decrementAndGet();
            ExactCounter c = eventsDropped;
            if (c == null) {
                synchronized (this) {
                    if (eventsDropped == null) {
                        eventsDropped = ExactMetrics.counter("obs.sync.events.dropped", "{event}",
                                "Sync events (transitions, errors) not queued as log records because too many were"
                                        + " waiting", new String[0], new String[0]);
                    }
                    c = eventsDropped;
                }
            }
            c.add(1);
            return;
        }
        pendingEvents.add(e);
    }

    private static void push(java.util.ArrayDeque<Event> ring, Event e) {
        if (ring.size() == RING) {
            ring.removeFirst();
        }
        ring.addLast(e);
    }

    private static String defaultDirection(String op) {
        return op.equals("broadcast") || op.equals("retry") ? "sent" : "received";
    }

    private Peer peer(String id) {
        Peer p = peers.get(id);
        if (p != null) {
            return p;
        }
        if (peers.size() >= MAX_PEERS) {
            overflow("peer");
            return peers.computeIfAbsent(OTHER, Peer::new);
        }
        return peers.computeIfAbsent(id, Peer::new);
    }

    private String model(String name) {
        if (models.containsKey(name)) {
            return name;
        }
        if (models.size() >= MAX_MODELS) {
            overflow("model");
            models.computeIfAbsent(OTHER, x -> new Model());
            return OTHER;
        }
        models.computeIfAbsent(name, x -> new Model());
        return name;
    }

    private String boundedIn(ConcurrentHashMap<String, String> seen, String value, int max, String dimension) {
        String v = seen.get(value);
        if (v != null) {
            return v;
        }
        if (seen.size() >= max) {
            overflow(dimension);
            return OTHER;
        }
        return seen.computeIfAbsent(value, x -> x);
    }

    private String bounded(String s) {
        return s == null ? NONE : s;
    }

    private void overflow(String dimension) {
        ExactCounter c = overflow.get(dimension);
        if (c == null) {
            c = overflow.computeIfAbsent(dimension, d -> ExactMetrics.counter("obs.sync.cardinality.overflow",
                    "{value}", "Sync values recorded as 'other' because their dimension was full",
                    keys("dimension"), values(d)));
        }
        c.add(1);
    }

    /** The series at the end of {@code depth} keys, or null when it does not exist yet. Allocates nothing. */
    private static Object leaf(Node root, int depth, String k1, String k2, String k3, String k4) {
        Object o = root.children.get(k1);
        if (depth > 1 && o != null) {
            o = ((Node) o).children.get(k2);
        }
        if (depth > 2 && o != null) {
            o = ((Node) o).children.get(k3);
        }
        if (depth > 3 && o != null) {
            o = ((Node) o).children.get(k4);
        }
        return o;
    }

    /** As {@link #leaf}, creating what is missing (the series by {@code create} from its key). */
    private static Object leafOrCreate(Node root, int depth, String k1, String k2, String k3, String k4,
                                       Function<String, Object> create) {
        if (depth == 1) {
            return root.get(k1, create);
        }
        Node n = (Node) root.get(k1, x -> new Node());
        if (depth == 2) {
            return n.get(k2, create);
        }
        n = (Node) n.get(k2, x -> new Node());
        if (depth == 3) {
            return n.get(k3, create);
        }
        n = (Node) n.get(k3, x -> new Node());
        return n.get(k4, create);
    }
}
