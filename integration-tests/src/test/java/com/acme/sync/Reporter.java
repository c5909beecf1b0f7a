package com.acme.sync;

/**
 * Where the program reports what it does when it is run with {@code --api} (an implementation calling
 * obs's API, loaded by name so that this package imports nothing of obs); by default nowhere, and obs
 * learns it from the rules of the configuration file instead.
 */
public interface Reporter {
    Reporter NONE = new Reporter() {
    };

    default void state(String to, String reason) {
    }

    default void operation(String kind, String peer, String model, long records, long bytes, String outcome) {
    }

    default void error(String operation, String peer, String model, Throwable error) {
    }

    default void conflict(String peer, String model, String resolution) {
    }

    default void watermark(String peer, long epochMillis) {
    }

    default void clockDrift(long millis) {
    }

    default void queue(String queue, long depth) {
    }

    default void connect(String peer, String peerName) {
    }

    default void disconnect(String peer) {
    }

    /** The reporter of this run. */
    final class Current {
        public static Reporter to = NONE;

        private Current() {
        }
    }
}
