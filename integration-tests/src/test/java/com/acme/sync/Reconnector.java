package com.acme.sync;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

/** Connecting to the hub: one attempt per call, HELLO and its answer. */
public final class Reconnector {
    private final int port;
    private final String selfId;
    private final Hlc.Clock clock;
    public String peerName;

    public Reconnector(int port, String selfId, Hlc.Clock clock) {
        this.port = port;
        this.selfId = selfId;
        this.clock = clock;
    }

    /** A reconnection attempt after the connection dropped. */
    public PeerLink retry(int n) throws IOException {
        try {
            PeerLink link = attempt(n + 1);
            Reporter.Current.to.operation("retry", "device-a", null, -1, -1, "success");
            return link;
        } catch (IOException e) {
            Reporter.Current.to.error("retry", "device-a", null, e);
            throw e;
        }
    }

    public PeerLink attempt(int n) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        PeerLink link = new PeerLink("device-a", s);
        link.sendFrame(new Frame("HELLO", "control", clock.tick(), n, java.util.List.of(
                new Change("id", "control", selfId, Hlc.ZERO, selfId))));
        Frame answer = link.readFrame();
        if (answer.type.equals("BUSY")) {
            link.close();
            throw new IOException("hub busy, attempt " + n);
        }
        clock.observe(answer.clock);
        peerName = answer.entries.get(0).value();
        return link;
    }
}
