package dev.obs.exporter.store;

/** The store cannot be read at all (missing, empty, unreadable); the message is one line for the user. */
public final class StoreException extends Exception {
    public StoreException(String message) {
        super(message);
    }
}
