package com.acme.sync;

import java.util.ArrayDeque;

/** Changes waiting to be sent to a peer. */
public final class Outbox {
    private final ArrayDeque<Change> queue = new ArrayDeque<>();

    /** Returns the depth after adding. */
    public int enqueue(Change c) {
        queue.add(c);
        Reporter.Current.to.queue("outbox", queue.size());
        return queue.size();
    }

    public Change poll() {
        return queue.poll();
    }
}
