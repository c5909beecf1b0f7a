package com.acme.sync;

import java.util.HashMap;
import java.util.Map;

/** The newest stamp applied from each peer: where the next backfill starts. */
public final class Watermarks {
    private final Map<String, Hlc> byPeer = new HashMap<>();

    public void advance(String peer, Hlc stamp) {
        Reporter.Current.to.watermark(peer, stamp.wallMillis());
        byPeer.merge(peer, stamp, (a, b) -> a.compareTo(b) >= 0 ? a : b);
    }

    public Hlc of(String peer) {
        return byPeer.getOrDefault(peer, Hlc.ZERO);
    }
}
