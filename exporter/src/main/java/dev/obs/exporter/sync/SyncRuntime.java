package dev.obs.exporter.sync;

import dev.obs.bootstrap.Recorder;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What the sync family's advice hands each call to (the agent installs it behind the instrumentation's
 * {@code SyncDispatch}): finds, once per woven method, the rules that declare it and makes
 * their templates ready ({@link ValuePath}); then, per call, reads the values and hands them to the
 * {@link SyncRecorder}. Calls of {@code dev.obs.api.Sync} go to the recorder directly.
 *
 * <p>Per call: two identity checks when the method is the one called last, else one {@link ClassValue}
 * lookup and one map lookup keyed by the woven method's constant string (its hash is cached in the String);
 * then the templates' handles.
 */
public final class SyncRuntime {
    static final String API_CLASS = "dev.obs.api.Sync";

    private final List<SyncRule> rules;
    private final SyncRecorder recorder;
    private final Consumer<String> warnings;
    private final Set<String> warnedRules = ConcurrentHashMap.newKeySet();
    private final Set<SyncRule> rulesWoven = ConcurrentHashMap.newKeySet();
    private final ClassValue<ConcurrentHashMap<String, Site>> sites = new ClassValue<>() {
        @Override
        protected ConcurrentHashMap<String, Site> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    public SyncRuntime(List<SyncRule> rules, SyncRecorder recorder, Consumer<String> warnings) {
        this.rules = rules;
        this.recorder = recorder;
        this.warnings = warnings;
    }

    public SyncRecorder recorder() {
        return recorder;
    }

    /** One call of a declared method ended (see {@code SyncDispatch.Handler}). */
    public void onExit(Class<?> type, String method, Object self, Object[] args, Object returned, Throwable thrown,
                       long startNanos) {
        long end = System.nanoTime();
        // The woven code passes its class and a string constant: the same two objects at every call of one
        // method, so the method called last is recognised by two identity checks (a race only costs a lookup)
        Site site;
        LastSite last = lastSite;
        if (last != null && last.type == type && last.method == method) {
            site = last.site;
        } else {
            ConcurrentHashMap<String, Site> byMethod = sites.get(type);
            site = byMethod.get(method);
            if (site == null) {
                site = byMethod.computeIfAbsent(method, m -> site(type, m));
            }
            lastSite = new LastSite(type, method, site);
        }
        site.call(self, args, returned, thrown, startNanos, end);
    }

    /** The woven method called last and its site (immutable, published through a volatile field). */
    private static final class LastSite {
        final Class<?> type;
        final String method;
        final Site site;

        LastSite(Class<?> type, String method, Site site) {
            this.type = type;
            this.method = method;
            this.site = site;
        }
    }

    private volatile LastSite lastSite;

    /** The rules whose class was never woven, for the warning at exit. */
    public List<SyncRule> rulesNeverWoven() {
        List<SyncRule> out = new ArrayList<>();
        for (SyncRule r : rules) {
            if (!rulesWoven.contains(r)) {
                out.add(r);
            }
        }
        return out;
    }

    /** What one woven method does: API calls, or the rules that declare it. */
    private abstract static class Site {
        abstract void call(Object self, Object[] args, Object returned, Throwable thrown, long start, long end);
    }

    private Site site(Class<?> type, String method) {
        String name = method.substring(0, method.indexOf('('));
        if (type.getName().equals(API_CLASS)) {
            return new ApiSite(name);
        }
        Method declared = declaredMethod(type, method);
        List<RuleCall> calls = new ArrayList<>();
        for (SyncRule r : rules) {
            if (r.methodName.equals(name) && isSubtypeOf(type, r.className)
                    && (r.parameterTypes == null || declared == null || parametersMatch(r, declared))) {
                calls.add(new RuleCall(r));
                rulesWoven.add(r);
            }
        }
        return new RuleSite(calls.toArray(new RuleCall[0]));
    }

    private static Method declaredMethod(Class<?> type, String method) {
        for (Method m : type.getDeclaredMethods()) {
            if (method.equals(m.getName() + MethodType.methodType(m.getReturnType(), m.getParameterTypes())
                    .toMethodDescriptorString())) {
                return m;
            }
        }
        return null;
    }

    private static boolean parametersMatch(SyncRule r, Method m) {
        List<String> names = new ArrayList<>();
        for (Class<?> p : m.getParameterTypes()) {
            names.add(p.getTypeName());
        }
        return r.parametersMatch(names);
    }

    private static boolean isSubtypeOf(Class<?> type, String className) {
        for (Class<?> k = type; k != null; k = k.getSuperclass()) {
            if (k.getName().equals(className)) {
                return true;
            }
            for (Class<?> i : k.getInterfaces()) {
                if (isSubtypeOf(i, className)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static final class RuleSite extends Site {
        private final RuleCall[] calls;

        RuleSite(RuleCall[] calls) {
            this.calls = calls;
        }

        @Override
        void call(Object self, Object[] args, Object returned, Throwable thrown, long start, long end) {
            for (RuleCall c : calls) {
                c.call(self, args, returned, thrown, start, end);
            }
        }
    }

    private static final int STATE = 0;
    private static final int WATERMARK = 1;
    private static final int CLOCK = 2;
    private static final int QUEUE = 3;
    private static final int OPERATION = 4;

    /** One rule at one woven method: its templates' paths, resolved there. */
    private final class RuleCall {
        private final SyncRule rule;
        private final String kind;
        private final ValuePath state;
        private final ValuePath reason;
        private final ValuePath peer;
        private final ValuePath peerName;
        private final ValuePath model;
        private final ValuePath records;
        private final ValuePath bytes;
        private final ValuePath direction;
        private final ValuePath outcome;
        private final ValuePath time;
        private final ValuePath drift;
        private final ValuePath queue;
        private final ValuePath depth;
        private final ValuePath resolution;
        private final SyncRecorder.SeriesCache series = new SyncRecorder.SeriesCache();
        /** The kind as a constant, so a call switches on an int rather than on the kind's string. */
        private final int kindCode;

        RuleCall(SyncRule rule) {
            this.rule = rule;
            this.kind = rule.kind;
            this.kindCode = switch (rule.kind) {
                case "state" -> STATE;
                case "watermark" -> WATERMARK;
                case "clock" -> CLOCK;
                case "queue" -> QUEUE;
                default -> OPERATION;
            };
            Map<String, Template> v = rule.values;
            this.state = path(v, "state");
            this.reason = path(v, "reason");
            this.peer = path(v, "peer");
            this.peerName = path(v, "peer_name");
            this.model = path(v, "model");
            this.records = path(v, "records");
            this.bytes = path(v, "bytes");
            this.direction = path(v, "direction");
            this.outcome = path(v, "outcome");
            this.time = path(v, "time");
            this.drift = path(v, "drift");
            this.queue = path(v, "queue");
            this.depth = path(v, "depth");
            this.resolution = path(v, "resolution");
        }

        private ValuePath path(Map<String, Template> v, String key) {
            Template t = v.get(key);
            return t == null ? null : new ValuePath(t);
        }

        void call(Object self, Object[] args, Object returned, Throwable thrown, long start, long end) {
            boolean threw = thrown != null;
            switch (kindCode) {
                case STATE -> {
                    if (thrown != null) {
                        recorder.error("state", null, null, thrown.getClass().getName(), thrown.getMessage());
                    } else {
                        String to = text(state, self, args, returned, threw);
                        if (to != null) {
                            recorder.transition(to, text(reason, self, args, returned, threw));
                        }
                    }
                }
                case WATERMARK -> {
                    String p = text(peer, self, args, returned, threw);
                    long t = time(time, self, args, returned, threw);
                    if (thrown != null) {
                        recorder.error("watermark", p, null, thrown.getClass().getName(), thrown.getMessage());
                    } else if (p != null && t != Long.MIN_VALUE) {
                        recorder.watermark(p, t);
                    }
                }
                case CLOCK -> {
                    long d = millis(drift, self, args, returned, threw);
                    if (thrown == null && d != Long.MIN_VALUE) {
                        recorder.drift(d);
                    }
                }
                case QUEUE -> {
                    String q = text(queue, self, args, returned, threw);
                    long d = number(depth, self, args, returned, threw);
                    if (thrown == null && q != null && d != Long.MIN_VALUE) {
                        recorder.queueDepth(q, d);
                    }
                }
                default -> {
                    String p = text(peer, self, args, returned, threw);
                    if (p != null && peerName != null) {
                        String n = text(peerName, self, args, returned, threw);
                        if (n != null) {
                            recorder.peerName(p, n);
                        }
                    }
                    long r = number(records, self, args, returned, threw);
                    long b = number(bytes, self, args, returned, threw);
                    String o = thrown != null ? null : outcome(outcome, self, args, returned, threw);
                    String m = text(model, self, args, returned, threw);
                    String dir = text(direction, self, args, returned, threw);
                    String res = text(resolution, self, args, returned, threw);
                    recorder.operation(series, kind, p, m, r == Long.MIN_VALUE ? -1 : r, b == Long.MIN_VALUE ? -1 : b,
                            dir, o, thrown, res, start, end);
                }
            }
        }

        // ---- the values of one call, read from the rule's paths; a template that fails gives no value ----

        private Object value(ValuePath p, Object self, Object[] args, Object returned, boolean threw) {
            if (p == null || threw && p.template.root == Template.Root.RETURN) {
                return null;
            }
            Object v = p.evaluate(self, args, returned);
            if (v instanceof ValuePath.Failure f) {
                failed(p, f.why);
                return null;
            }
            return v;
        }

        String text(ValuePath p, Object self, Object[] args, Object returned, boolean threw) {
            Object v = value(p, self, args, returned, threw);
            if (v == null) {
                return null;
            }
            if (v instanceof String s) {
                return s;
            }
            if (v instanceof Enum<?> e) {
                return e.name();
            }
            return String.valueOf(v);
        }

        /** A count: a number, a numeric string, or the size of a collection, map or array. Long.MIN_VALUE: none. */
        long number(ValuePath p, Object self, Object[] args, Object returned, boolean threw) {
            Object v = value(p, self, args, returned, threw);
            if (v == null) {
                return Long.MIN_VALUE;
            }
            if (v instanceof Number n) {
                return n.longValue();
            }
            if (v instanceof Collection<?> c) {
                return c.size();
            }
            if (v instanceof Map<?, ?> m) {
                return m.size();
            }
            if (v.getClass().isArray()) {
                return java.lang.reflect.Array.getLength(v);
            }
            try {
                return Long.parseLong(v.toString().trim());
            } catch (NumberFormatException e) {
                failed(p, "'" + v + "' is not a number");
                return Long.MIN_VALUE;
            }
        }

        /** Milliseconds: a number, or a Duration. */
        long millis(ValuePath p, Object self, Object[] args, Object returned, boolean threw) {
            Object v = value(p, self, args, returned, threw);
            if (v instanceof Duration d) {
                return d.toMillis();
            }
            if (v instanceof Number n) {
                return n.longValue();
            }
            if (v == null) {
                return Long.MIN_VALUE;
            }
            try {
                return Long.parseLong(v.toString().trim());
            } catch (NumberFormatException e) {
                failed(p, "'" + v + "' is not milliseconds or a Duration");
                return Long.MIN_VALUE;
            }
        }

        /** Epoch milliseconds: a number, an Instant, a Date, or a string obs can parse. */
        long time(ValuePath p, Object self, Object[] args, Object returned, boolean threw) {
            Object v = value(p, self, args, returned, threw);
            if (v == null) {
                return Long.MIN_VALUE;
            }
            if (v instanceof Number n) {
                return n.longValue();
            }
            if (v instanceof Instant i) {
                return i.toEpochMilli();
            }
            if (v instanceof java.util.Date d) {
                return d.getTime();
            }
            if (v instanceof TemporalAccessor t) {
                try {
                    return Instant.from(t).toEpochMilli();
                } catch (RuntimeException e) {
                    failed(p, v.getClass().getName() + " is not an instant");
                    return Long.MIN_VALUE;
                }
            }
            String s = v.toString().trim();
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException notMillis) {
                try {
                    return Instant.parse(s).toEpochMilli();
                } catch (RuntimeException notInstant) {
                    try {
                        return OffsetDateTime.parse(s).toInstant().toEpochMilli();
                    } catch (RuntimeException e) {
                        failed(p, "'" + s + "' is not epoch millis or an ISO-8601 instant");
                        return Long.MIN_VALUE;
                    }
                }
            }
        }

        /** false: rejected; true or none: success; an enum or string names it (lower case). */
        String outcome(ValuePath p, Object self, Object[] args, Object returned, boolean threw) {
            if (p == null) {
                return "success";
            }
            Object v = value(p, self, args, returned, threw);
            if (v == null) {
                return "success";
            }
            if (v instanceof Boolean b) {
                return b ? "success" : "rejected";
            }
            String s = v instanceof Enum<?> e ? e.name() : v.toString();
            return s.toLowerCase(Locale.ROOT);
        }

        /** A template gave no value: counted, and said once per rule. */
        void failed(ValuePath path, String why) {
            recorder.templateFailed(rule.name);
            if (warnedRules.add(rule.name)) {
                boolean was = Recorder.beginObsWork();
                try {
                    warnings.accept("obs: warning: sync rule '" + rule.name + "': template " + path.template.text
                            + " gave no value (" + why + "); the value is left out (further failures of this rule"
                            + " are counted in obs.sync.template.failures)");
                } finally {
                    Recorder.endObsWork(was);
                }
            }
        }
    }

    /** {@code dev.obs.api.Sync}: each method's arguments as the API documents them. */
    private final class ApiSite extends Site {
        private final String method;

        ApiSite(String method) {
            this.method = method;
        }

        @Override
        void call(Object self, Object[] a, Object returned, Throwable thrown, long start, long end) {
            switch (method) {
                case "state" -> recorder.transition(str(a, 0), str(a, 1));
                case "operation" -> recorder.operation(str(a, 0), str(a, 1), str(a, 2), num(a, 3), num(a, 4), null,
                        a.length > 5 ? str(a, 5) : null, null, null, a.length > 6 ? end - num(a, 6) : end, end);
                case "conflict" -> recorder.operation("conflict", str(a, 0), str(a, 1), -1, -1, null, null, null,
                        str(a, 2), end, end);
                case "watermark" -> recorder.watermark(str(a, 0), num(a, 1));
                case "error" -> recorder.error(str(a, 0), str(a, 1), str(a, 2),
                        a[3] instanceof Throwable t ? t.getClass().getName() : str(a, 3),
                        a[3] instanceof Throwable t ? t.getMessage() : a.length > 4 ? str(a, 4) : null);
                case "connect" -> {
                    if (a.length > 1 && a[1] != null) {
                        recorder.peerName(str(a, 0), str(a, 1));
                    }
                    recorder.operation("connect", str(a, 0), null, -1, -1, null, null, null, null, end, end);
                }
                case "disconnect" -> recorder.operation("disconnect", str(a, 0), null, -1, -1, null, null, null,
                        null, end, end);
                case "queue" -> recorder.queueDepth(str(a, 0), num(a, 1));
                case "clockDrift" -> recorder.drift(num(a, 0));
                default -> {
                    // a method of a newer API than this agent knows: nothing to record
                }
            }
        }

        private String str(Object[] a, int i) {
            return i < a.length && a[i] != null ? a[i].toString() : null;
        }

        private long num(Object[] a, int i) {
            return i < a.length && a[i] instanceof Number n ? n.longValue() : -1;
        }
    }
}
