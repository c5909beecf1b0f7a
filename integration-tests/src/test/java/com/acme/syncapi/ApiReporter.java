package com.acme.syncapi;

import com.acme.sync.Reporter;
import dev.obs.api.Sync;

/** The sync program's reports through obs's API ({@code SyncDevice --api}). */
public final class ApiReporter implements Reporter {
    @Override
    public void state(String to, String reason) {
        Sync.state(to, reason);
    }

    @Override
    public void operation(String kind, String peer, String model, long records, long bytes, String outcome) {
        Sync.operation(kind, peer, model, records, bytes, outcome);
    }

    @Override
    public void error(String operation, String peer, String model, Throwable error) {
        Sync.operation(operation, peer, model, -1, -1, "error");
        Sync.error(operation, peer, model, error);
    }

    @Override
    public void conflict(String peer, String model, String resolution) {
        Sync.conflict(peer, model, resolution);
    }

    @Override
    public void watermark(String peer, long epochMillis) {
        Sync.watermark(peer, epochMillis);
    }

    @Override
    public void clockDrift(long millis) {
        Sync.clockDrift(millis);
    }

    @Override
    public void queue(String queue, long depth) {
        Sync.queue(queue, depth);
    }

    @Override
    public void connect(String peer, String peerName) {
        Sync.connect(peer, peerName);
    }

    @Override
    public void disconnect(String peer) {
        Sync.disconnect(peer);
    }
}
