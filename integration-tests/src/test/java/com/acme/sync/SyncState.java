package com.acme.sync;

/** The device's sync state machine. */
public class SyncState {
    public enum State { OFFLINE, CONNECTING, BACKFILLING, SYNCING, IDLE }

    private State current = State.OFFLINE;
    private final StringBuilder log = new StringBuilder();

    public void transition(State to, String reason) {
        log.append(current).append("->").append(to).append('(').append(reason).append(") ");
        current = to;
        Reporter.Current.to.state(to.name(), reason);
    }

    public String log() {
        return log.toString().trim();
    }
}
