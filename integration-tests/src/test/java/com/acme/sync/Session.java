package com.acme.sync;

/** Peers coming and going. */
public final class Session {
    private int online;

    public void connected(String peerId, String peerName) {
        online++;
        Reporter.Current.to.connect(peerId, peerName);
    }

    public void disconnected(String peerId) {
        online--;
        Reporter.Current.to.disconnect(peerId);
    }
}
