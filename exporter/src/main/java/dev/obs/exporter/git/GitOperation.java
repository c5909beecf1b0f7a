package dev.obs.exporter.git;

import dev.obs.exporter.ExactCounter;
import dev.obs.exporter.ExactMetrics;
import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.SpanMeasurement;
import dev.obs.exporter.StripedHistogram;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Git operation as its recorder measured it (JGit's {@code GitRecorder}, a git run of the process
 * family): client, operation, outcome, conflicts and bytes, typed. When its span ends it adds to the Git
 * metrics: {@code git.operation.duration} by operation, client and outcome, {@code git.conflicts} by
 * operation and client, {@code git.transfer.bytes} by direction and client. Each series is created at its
 * first value (once, under the map's lock) and counts in the exit summary under the span's name.
 */
public final class GitOperation implements SpanMeasurement {
    /** Which Git did the work; {@link #value} is the {@code git.client} attribute. */
    public enum Client {
        JGIT("jgit"), CLI("cli");

        final String value;

        Client(String value) {
            this.value = value;
        }
    }

    static final String DURATION = "git.operation.duration";
    static final String CONFLICTS = "git.conflicts";
    static final String TRANSFER = "git.transfer.bytes";
    private static final String[] DURATION_KEYS = {"git.operation", "git.client", "git.outcome"};
    private static final String[] CONFLICT_KEYS = {"git.operation", "git.client"};
    private static final String[] TRANSFER_KEYS = {"network.io.direction", "git.client"};
    /** Series beyond this many (operations × outcomes × clients) share one summary-only {@code _OTHER}. */
    static final int MAX_SERIES = 4096;

    private static final ConcurrentHashMap<String, StripedHistogram> DURATIONS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, ExactCounter> CONFLICT_COUNTERS = new ConcurrentHashMap<>();
    /** By client and direction: {@code client.ordinal() * 2 + (transmit ? 1 : 0)}. */
    private static final ExactCounter[] TRANSFERS = new ExactCounter[4];
    private static volatile StripedHistogram overflow;

    private final Client client;
    private final String operation;
    private final String outcome;
    private final long conflicts;
    private final long bytesReceived;
    private final long bytesSent;
    /**
     * The duration series this measurement last found, by span name: an instance the recorder keeps for
     * every call of one command ({@code GitRecorder}'s plain operations) looks its series up once. Immutable,
     * behind a volatile field; a racing thread finds the same series and publishes an equal pair.
     */
    private volatile Series last;

    /** The success and error series of one span name; null until that outcome's first value. */
    private static final class Series {
        final String spanName;
        final StripedHistogram success;
        final StripedHistogram error;

        Series(String spanName, StripedHistogram success, StripedHistogram error) {
            this.spanName = spanName;
            this.success = success;
            this.error = error;
        }
    }

    /**
     * @param operation the {@code git.operation} value ({@code pull}, {@code transport fetch}, empty for a bare
     *                  {@code git} run)
     * @param outcome   the result's status ({@code CONFLICTING}), or null: {@code success} or {@code error}
     * @param conflicts conflicting paths left; 0 or less: none recorded
     */
    public GitOperation(Client client, String operation, String outcome, long conflicts, long bytesReceived,
                        long bytesSent) {
        this.client = client;
        this.operation = operation;
        this.outcome = outcome;
        this.conflicts = conflicts;
        this.bytesReceived = bytesReceived;
        this.bytesSent = bytesSent;
    }

    /** An operation measured by its duration and error status only. */
    public GitOperation(Client client, String operation) {
        this(client, operation, null, 0, 0, 0);
    }

    @Override
    public void record(ObsSpan span, long durationNanos, boolean error) {
        StripedHistogram series = outcome != null ? duration(span.name, outcome) : duration(span.name, error);
        series.record(durationNanos, error, span);
        if (conflicts > 0) {
            conflictCounter().add(conflicts);
        }
        if (bytesReceived > 0) {
            transfer(false).add(bytesReceived);
        }
        if (bytesSent > 0) {
            transfer(true).add(bytesSent);
        }
    }

    /** The series of an operation whose outcome is {@code success} or {@code error} (see {@link #last}). */
    private StripedHistogram duration(String spanName, boolean error) {
        Series s = last;
        boolean same = s != null && s.spanName == spanName;
        StripedHistogram h = !same ? null : error ? s.error : s.success;
        if (h == null) {
            h = duration(spanName, error ? "error" : "success");
            last = new Series(spanName, error ? (same ? s.success : null) : h, error ? h : (same ? s.error : null));
        }
        return h;
    }

    private StripedHistogram duration(String spanName, String result) {
        String key = client.value + ' ' + result + ' ' + spanName;
        StripedHistogram h = DURATIONS.get(key);
        if (h != null) {
            return h;
        }
        if (DURATIONS.size() >= MAX_SERIES) {
            return overflow();
        }
        // built outside the map and put if absent, not computeIfAbsent: that holds the bin's monitor while it
        // builds, and virtual threads waiting for a monitor unmount and queue (see SpanMetrics)
        StripedHistogram built = ExactMetrics.series(DURATION, "Duration of Git operations (JGit commands and git runs)",
                DURATION_KEYS, new String[] {operation, client.value, result}, spanName);
        h = DURATIONS.putIfAbsent(key, built);
        return h != null ? h : ExactMetrics.register(built);
    }

    private ExactCounter conflictCounter() {
        String key = client.value + ' ' + operation;
        ExactCounter c = CONFLICT_COUNTERS.get(key);
        return c != null ? c : CONFLICT_COUNTERS.computeIfAbsent(key, k -> ExactMetrics.counter(CONFLICTS, "{path}",
                "Conflicting paths left by merge, pull or rebase", CONFLICT_KEYS, new String[] {operation, client.value}));
    }

    private ExactCounter transfer(boolean transmit) {
        int i = client.ordinal() * 2 + (transmit ? 1 : 0);
        // a racy read is safe: ExactCounter's fields are final, so a counter seen is fully built
        ExactCounter c = TRANSFERS[i];
        if (c != null) {
            return c;
        }
        synchronized (TRANSFERS) {
            if (TRANSFERS[i] == null) {
                TRANSFERS[i] = ExactMetrics.counter(TRANSFER, "By", "Bytes moved by Git transports", TRANSFER_KEYS,
                        new String[] {transmit ? "transmit" : "receive", client.value});
            }
            return TRANSFERS[i];
        }
    }

    private static StripedHistogram overflow() {
        StripedHistogram h = overflow;
        if (h == null) {
            synchronized (TRANSFERS) {
                h = overflow;
                if (h == null) {
                    h = overflow = ExactMetrics.histogram(null, null, new String[0], new String[0], "_OTHER");
                }
            }
        }
        return h;
    }
}
