package com.acme.sync;

/** Two devices changed the same record: the later clock wins. */
public final class ConflictResolver {
    /** Returns how the conflict was resolved. */
    public String resolve(Change local, Change remote) {
        Reporter.Current.to.conflict(remote.origin(), remote.model(), "clock");
        return "clock";
    }

    public boolean remoteWins(Change local, Change remote) {
        return remote.stamp().compareTo(local.stamp()) > 0;
    }
}
