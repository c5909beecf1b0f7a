package dev.obs.bootstrap;

import dev.obs.bootstrap.process.ProcessRecorder;

/**
 * The metric path of every span: when a span ends, on the thread that ends it, its duration is added to
 * the exact series of its operation, whether or not the span itself is sampled, queued or shed. Spans and
 * metrics are two paths from here: the span queue may drop, this never does.
 *
 * <p><b>Operations.</b> A span's operation is found from what the span already carries (origin, name and, for
 * a method, its function), in an open-addressing table that is copy-on-write (volatile publication of
 * fully built {@link Operation}s): the lookup compares references first (woven and cached names are the
 * same String every call), costs a few nanoseconds and allocates nothing. The first span of an operation
 * creates its series under a lock, once. The table is bounded; operations beyond {@link #MAX_OPERATIONS}
 * share one {@code _OTHER} operation.
 *
 * <p><b>Series.</b> A configured method has {@code obs.method.duration} with its {@code code.*} attributes,
 * plus one series per exception type it threw ({@code error.type}, at most {@link #MAX_VARIANTS}, then
 * {@code _OTHER}). A Git span ({@code git} or {@code git <operation>}, JGit or the git command line) has
 * {@code git.operation.duration} by client and outcome, and adds its conflicts and transferred bytes to
 * {@code git.conflicts} and {@code git.transfer.bytes}, read from the span's attributes as the Git
 * recorders set them. Any other span (docker, subprocesses, slow file operations, git trace2 regions) has a
 * series that only the exit summary shows. Each series is named after the summary's operation, so the
 * summary's counts are the exported counts.
 */
final class SpanMetrics {
    static final String METHOD_DURATION = "obs.method.duration";
    static final String GIT_DURATION = "git.operation.duration";
    static final String GIT_CONFLICTS = "git.conflicts";
    static final String GIT_TRANSFER = "git.transfer.bytes";
    static final String OTHER = "_OTHER";
    static final int MAX_OPERATIONS = 4096;
    static final int MAX_VARIANTS = 32;
    private static final String EXECUTABLE = "process.executable.name";
    /** The attributes the git family's recorders set (JGit's GitRecorder, the CLI's ProcessRecorder). */
    private static final String GIT_OUTCOME = "git.outcome";
    private static final String GIT_CONFLICTS_COUNT = "git.conflicts.count";
    private static final String GIT_BYTES_RECEIVED = "git.transfer.bytes.received";
    private static final String GIT_BYTES_SENT = "git.transfer.bytes.sent";
    private static final String[] METHOD_KEYS = {"code.namespace", "code.function"};
    private static final String[] METHOD_ERROR_KEYS = {"code.namespace", "code.function", "error.type"};
    private static final String[] GIT_KEYS = {"git.operation", "git.client", "git.outcome"};
    private static final String[] GIT_CONFLICT_KEYS = {"git.operation", "git.client"};
    private static final String[] TRANSFER_KEYS = {"network.io.direction", "git.client"};

    private static final Object LOCK = new Object();
    /** Power-of-two open-addressing table, at most half full; replaced whole under LOCK. */
    private static volatile Operation[] table = new Operation[64];
    private static int size;
    private static Operation overflowMethod;
    private static Operation overflowLibrary;

    private SpanMetrics() {
    }

    /** Adds an ended span ({@code endNanos} and its error set) to its operation's series. */
    static void record(ObsSpan span) {
        if (span.name == null) {
            return;
        }
        Operation op = find(span.origin, span.name, span.function);
        if (op == null) {
            op = register(span.origin, span.name, span.function);
        }
        long duration = span.endNanos - span.startNanos;
        if (op.git) {
            recordGit(op, span, duration);
        } else if (span.errorType == null && !span.failed) {
            op.success.record(duration, false);
        } else {
            // a library span (docker, a subprocess) that failed has one series: the summary counts its errors
            StripedHistogram h = span.origin == ObsSpan.ORIGIN_METHOD ? op.variant(span.errorType, null) : op.success;
            h.record(duration, true);
        }
    }

    private static void recordGit(Operation op, ObsSpan span, long duration) {
        boolean error = span.errorType != null || span.failed;
        String client = "jgit";
        String outcome = null;
        long conflicts = 0;
        long received = 0;
        long sent = 0;
        int n = span.attributeCount();
        for (int i = 0; i < n; i++) {
            String key = span.attributeKey(i);
            Object value = span.attributeValue(i);
            if (key.equals(EXECUTABLE)) {
                client = "cli";
            } else if (key.equals(GIT_OUTCOME) && value instanceof String) {
                outcome = (String) value;
            } else if (key.equals(GIT_CONFLICTS_COUNT) && value instanceof Long) {
                conflicts = (Long) value;
            } else if (key.equals(GIT_BYTES_RECEIVED) && value instanceof Long) {
                received = (Long) value;
            } else if (key.equals(GIT_BYTES_SENT) && value instanceof Long) {
                sent = (Long) value;
            }
        }
        if (outcome == null) {
            outcome = error ? "error" : "success";
        }
        op.variant(outcome, client).record(duration, error);
        if (conflicts > 0) {
            op.conflicts(client).add(conflicts);
        }
        if (received > 0) {
            Transfer.counter(client, false).add(received);
        }
        if (sent > 0) {
            Transfer.counter(client, true).add(sent);
        }
    }

    private static int hash(byte origin, String name, String function) {
        int h = name.hashCode() * 31 + (function == null ? 0 : function.hashCode()) + origin;
        return h ^ (h >>> 16);
    }

    private static Operation find(byte origin, String name, String function) {
        int h = hash(origin, name, function);
        Operation[] t = table;
        int mask = t.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            Operation op = t[i];
            if (op == null) {
                return null;
            }
            if (op.hash == h && op.matches(origin, name, function)) {
                return op;
            }
        }
    }

    private static Operation register(byte origin, String name, String function) {
        synchronized (LOCK) {
            Operation op = find(origin, name, function);
            if (op != null) {
                return op;
            }
            if (size >= MAX_OPERATIONS) {
                return overflow(origin);
            }
            op = new Operation(origin, name, function, hash(origin, name, function));
            Operation[] t = table;
            if ((size + 1) * 2 > t.length) {
                t = new Operation[t.length * 2];
                for (Operation o : table) {
                    if (o != null) {
                        insert(t, o);
                    }
                }
            } else {
                t = t.clone();
            }
            insert(t, op);
            size++;
            table = t;
            return op;
        }
    }

    private static Operation overflow(byte origin) {
        if (origin == ObsSpan.ORIGIN_METHOD) {
            if (overflowMethod == null) {
                overflowMethod = new Operation(origin, OTHER, OTHER, 0);
            }
            return overflowMethod;
        }
        if (overflowLibrary == null) {
            overflowLibrary = new Operation(origin, OTHER, null, 0);
        }
        return overflowLibrary;
    }

    private static void insert(Operation[] t, Operation op) {
        int mask = t.length - 1;
        int i = op.hash & mask;
        while (t[i] != null) {
            i = (i + 1) & mask;
        }
        t[i] = op;
    }

    /** One operation: a configured method, a Git operation or another library span name. */
    static final class Operation {
        final byte origin;
        final String name;
        final String function;
        final int hash;
        final boolean git;
        /** The summary's name: {@code Repo.sync} for a method, the span name otherwise. */
        final String summaryName;
        /** Successful calls (method), or every call (library other than Git); null for Git. */
        final StripedHistogram success;
        /** Series by (key, client): error types of a method, outcomes of a Git operation. Copy-on-write. */
        private volatile Variant[] variants = new Variant[0];
        private volatile ExactCounter[] conflictCounters = new ExactCounter[2];

        Operation(byte origin, String name, String function, int hash) {
            this.origin = origin;
            this.name = name;
            this.function = function;
            this.hash = hash;
            this.git = origin == ObsSpan.ORIGIN_LIBRARY && (name.equals("git") || name.startsWith("git "));
            if (origin == ObsSpan.ORIGIN_METHOD) {
                summaryName = name.substring(name.lastIndexOf('.') + 1) + "." + function;
                success = ExactMetrics.histogram(METHOD_DURATION, "Duration of configured method calls",
                        METHOD_KEYS, new String[] {name, function}, summaryName);
            } else {
                summaryName = name;
                success = git ? null : ExactMetrics.histogram(null, null, new String[0], new String[0], name);
            }
        }

        boolean matches(byte origin, String name, String function) {
            return this.origin == origin && this.name.equals(name)
                    && (this.function == null ? function == null : this.function.equals(function));
        }

        /** The series of {@code key} (an error type or a Git outcome) and {@code client}; created once. */
        StripedHistogram variant(String key, String client) {
            Variant[] v = variants;
            for (Variant x : v) {
                if (x.key.equals(key) && (client == null || x.client.equals(client))) {
                    return x.series;
                }
            }
            return addVariant(key, client);
        }

        private StripedHistogram addVariant(String key, String client) {
            synchronized (this) {
                Variant[] v = variants;
                for (Variant x : v) {
                    if (x.key.equals(key) && (client == null || x.client.equals(client))) {
                        return x.series;
                    }
                }
                if (v.length >= MAX_VARIANTS && !key.equals(OTHER)) {
                    return variant(OTHER, client);
                }
                StripedHistogram series = git
                        ? ExactMetrics.histogram(GIT_DURATION, "Duration of Git operations (JGit commands and git runs)",
                        GIT_KEYS, new String[] {gitOperation(), client, key}, summaryName)
                        : ExactMetrics.histogram(METHOD_DURATION, "Duration of configured method calls",
                        METHOD_ERROR_KEYS, new String[] {name, function, key}, summaryName);
                Variant[] next = java.util.Arrays.copyOf(v, v.length + 1);
                next[v.length] = new Variant(key, client == null ? "" : client, series);
                variants = next;
                return series;
            }
        }

        /** {@code git.conflicts} of this Git operation and client (0: jgit, 1: cli). */
        ExactCounter conflicts(String client) {
            int i = client.equals("cli") ? 1 : 0;
            ExactCounter c = conflictCounters[i];
            if (c == null) {
                synchronized (this) {
                    c = conflictCounters[i];
                    if (c == null) {
                        c = ExactMetrics.counter(GIT_CONFLICTS, "{path}",
                                "Conflicting paths left by merge, pull or rebase", GIT_CONFLICT_KEYS,
                                new String[] {gitOperation(), client});
                        ExactCounter[] next = conflictCounters.clone();
                        next[i] = c;
                        conflictCounters = next;
                    }
                }
            }
            return c;
        }

        private String gitOperation() {
            return name.length() > 4 ? name.substring(4) : "";
        }
    }

    private static final class Variant {
        final String key;
        final String client;
        final StripedHistogram series;

        Variant(String key, String client, StripedHistogram series) {
            this.key = key;
            this.client = client;
            this.series = series;
        }
    }

    /** {@code git.transfer.bytes} by client and direction, created on first use. */
    private static final class Transfer {
        private static final ExactCounter[] COUNTERS = new ExactCounter[4];

        static ExactCounter counter(String client, boolean transmit) {
            int i = (client.equals("cli") ? 2 : 0) + (transmit ? 1 : 0);
            // a racy read is safe: ExactCounter's fields are final, so a counter seen is fully built
            ExactCounter c = COUNTERS[i];
            if (c != null) {
                return c;
            }
            synchronized (COUNTERS) {
                if (COUNTERS[i] == null) {
                    COUNTERS[i] = ExactMetrics.counter(GIT_TRANSFER, "By", "Bytes moved by Git transports",
                            TRANSFER_KEYS, new String[] {transmit ? "transmit" : "receive", client});
                }
                return COUNTERS[i];
            }
        }
    }
}
