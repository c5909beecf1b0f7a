package dev.obs.api;

/**
 * Tells obs what a sync service does, for code that would rather call than declare rules: the same metrics
 * as the {@code sync} rules of the configuration file. Every method is empty: without the agent a call costs
 * nothing once inlined; with it, the agent weaves this class and records each call. Arguments are never
 * kept by this class; a null peer or model is recorded as none.
 */
public final class Sync {
    private Sync() {
    }

    /** The sync state moves to {@code to} (the previous one is remembered), for {@code reason}. */
    public static void state(String to, String reason) {
    }

    /**
     * One operation ended successfully: {@code kind} is {@code broadcast}, {@code receive}, {@code apply},
     * {@code backfill}, {@code backfill_page}, {@code retry}, {@code db} or a name of your own.
     *
     * @param records records it moved, or -1
     * @param bytes   bytes it moved, or -1
     */
    public static void operation(String kind, String peer, String model, long records, long bytes) {
    }

    /** As {@link #operation(String, String, String, long, long)} with an outcome: {@code rejected}, ... */
    public static void operation(String kind, String peer, String model, long records, long bytes,
                                 String outcome) {
    }

    /**
     * As {@link #operation(String, String, String, long, long, String)}, which took {@code durationNanos}
     * (ending now).
     */
    public static void operation(String kind, String peer, String model, long records, long bytes,
                                 String outcome, long durationNanos) {
    }

    /** A conflict on a record of {@code model} from {@code peer}, resolved by {@code resolution} (or null). */
    public static void conflict(String peer, String model, String resolution) {
    }

    /** {@code peer}'s changes are applied up to {@code epochMillis}. */
    public static void watermark(String peer, long epochMillis) {
    }

    /** An operation failed with {@code error}. */
    public static void error(String operation, String peer, String model, Throwable error) {
    }

    /** An operation failed with an error of {@code type} (a name of your own) and {@code message}. */
    public static void error(String operation, String peer, String model, String type, String message) {
    }

    /** {@code peer} is connected; {@code peerName} its name to show (or null). */
    public static void connect(String peer, String peerName) {
    }

    /** {@code peer} went away. */
    public static void disconnect(String peer) {
    }

    /** The depth of one of the service's queues. */
    public static void queue(String queue, long depth) {
    }

    /** A clock drift reading, in milliseconds (remote minus local). */
    public static void clockDrift(long millis) {
    }
}
