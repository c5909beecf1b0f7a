package com.acme.sync;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Two devices replicating a record store over loopback TCP, with no obs import: {@code hub <dir>} (device-a,
 * 25 notes and 10 tags) and {@code device <dir>} (device-b, empty). The device connects, backfills in pages of
 * 10, edits one note locally, and syncs; the hub sends 5 changes, one invalid change (rejected) and a change
 * of the note the device edited (a conflict, resolved by clock), then drops the connection and makes 3 more
 * changes. The device's first reconnection attempt is refused (busy), the second succeeds and backfills the 3
 * changes. The hub's port goes through {@code <dir>/port}. Each prints what it measured itself.
 */
public final class SyncDevice {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        if (args.length > 2 && args[2].equals("--api")) {
            Reporter.Current.to = (Reporter) Class.forName("com.acme.syncapi.ApiReporter").getConstructor().newInstance();
        }
        if (args[0].equals("hub")) {
            hub(dir);
        } else {
            device(dir);
        }
    }

    static void hub(Path dir) throws IOException {
        Hlc.Clock clock = new Hlc.Clock();
        Watermarks watermarks = new Watermarks();
        RecordStore store = new RecordStore(clock, watermarks);
        SyncState state = new SyncState();
        Session session = new Session();
        Outbox outbox = new Outbox();
        for (int i = 0; i < 25; i++) {
            store.localEdit("notes-" + i, "notes", "n" + i, "device-a");
        }
        for (int i = 0; i < 10; i++) {
            store.localEdit("tags-" + i, "tags", "t" + i, "device-a");
        }
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Path tmp = dir.resolve("port.tmp");
            Files.writeString(tmp, Integer.toString(server.getLocalPort()));
            Files.move(tmp, dir.resolve("port"), StandardCopyOption.ATOMIC_MOVE);
            state.transition(SyncState.State.IDLE, "listening");

            PeerLink link = accept(server, clock);
            session.connected("device-b", "Device B");
            state.transition(SyncState.State.SYNCING, "peer connected");
            serveUntil(link, store, clock, "READY");
            for (int i = 0; i < 5; i++) {
                outbox.enqueue(store.localEdit("notes-" + i, "notes", "n" + i + "-v2", "device-a"));
            }
            outbox.enqueue(new Change("notes-20", "notes", "", clock.tick(), "device-a"));
            outbox.enqueue(store.localEdit("notes-12", "notes", "n12-from-a", "device-a"));
            for (Change c; (c = outbox.poll()) != null; ) {
                link.sendFrame(new Frame("CHANGE", c.model(), clock.tick(), 0, List.of(c)));
            }
            link.close();
            session.disconnected("device-b");
            state.transition(SyncState.State.OFFLINE, "peer dropped");
            for (int i = 0; i < 3; i++) {
                store.localEdit("tags-" + i, "tags", "t" + i + "-v2", "device-a");
            }

            Socket busy = server.accept();
            PeerLink refused = new PeerLink("device-b", busy);
            refused.readFrame();
            refused.sendFrame(Frame.control("BUSY", clock.tick(), 0));
            refused.close();

            link = accept(server, clock);
            session.connected("device-b", "Device B");
            state.transition(SyncState.State.SYNCING, "peer reconnected");
            serveUntil(link, store, clock, "BYE");
            link.close();
            session.disconnected("device-b");
            state.transition(SyncState.State.IDLE, "peer left");
        }
        System.out.println("hub sent=" + PeerLink.totalSent + " received=" + PeerLink.totalReceived);
        System.out.println("hub states: " + state.log());
    }

    private static PeerLink accept(ServerSocket server, Hlc.Clock clock) throws IOException {
        PeerLink link = new PeerLink("device-b", server.accept());
        Frame hello = link.readFrame();
        clock.observe(hello.clock);
        link.sendFrame(new Frame("HELLO_ACK", "control", clock.tick(), 0,
                List.of(new Change("id", "control", "Device A", Hlc.ZERO, "device-a"))));
        return link;
    }

    /** Answers backfill requests until the device sends {@code last}. */
    private static void serveUntil(PeerLink link, RecordStore store, Hlc.Clock clock, String last) throws IOException {
        while (true) {
            Frame f = link.readFrame();
            if (f.type.equals(last)) {
                clock.observe(f.clock);
                return;
            }
            List<Change> entries = store.since(f.clock, (int) f.number + 1);
            boolean more = entries.size() > f.number;
            List<Change> page = more ? entries.subList(0, (int) f.number) : entries;
            link.sendFrame(new Frame("PAGE", "all", clock.tick(), more ? 1 : 0, List.copyOf(page)));
        }
    }

    static void device(Path dir) throws Exception {
        Path portFile = dir.resolve("port");
        for (int i = 0; i < 3000 && !Files.exists(portFile); i++) {
            Thread.sleep(10);
        }
        int port = Integer.parseInt(Files.readString(portFile).trim());
        Hlc.Clock clock = new Hlc.Clock();
        Watermarks watermarks = new Watermarks();
        RecordStore store = new RecordStore(clock, watermarks);
        SyncState state = new SyncState();
        Session session = new Session();
        Backfill backfill = new Backfill(store, watermarks);
        Reconnector connector = new Reconnector(port, "device-b", clock);

        state.transition(SyncState.State.CONNECTING, "start");
        PeerLink link = connector.attempt(1);
        session.connected("device-a", connector.peerName);
        state.transition(SyncState.State.BACKFILLING, "connected");
        int pages = backfill.run(link, clock);
        store.localEdit("notes-12", "notes", "n12-from-b", "device-b");
        state.transition(SyncState.State.SYNCING, "backfill complete");
        link.sendFrame(Frame.control("READY", clock.tick(), 0));
        try {
            while (true) {
                Frame f = link.readFrame();
                for (Change c : f.entries) {
                    store.apply(c);
                }
            }
        } catch (EOFException dropped) {
            link.close();
            session.disconnected("device-a");
            state.transition(SyncState.State.OFFLINE, "connection lost");
        }
        state.transition(SyncState.State.CONNECTING, "retry");
        link = null;
        for (int n = 1; link == null; n++) {
            try {
                link = connector.retry(n);
            } catch (IOException refused) {
                System.out.println("retry " + n + " failed: " + refused.getMessage());
            }
        }
        session.connected("device-a", connector.peerName);
        state.transition(SyncState.State.BACKFILLING, "reconnected");
        pages += backfill.run(link, clock);
        state.transition(SyncState.State.IDLE, "caught up");
        link.sendFrame(Frame.control("BYE", clock.tick(), 0));
        link.close();
        session.disconnected("device-a");

        System.out.println("device sent=" + PeerLink.totalSent + " received=" + PeerLink.totalReceived);
        System.out.println("device pages=" + pages + " records=" + store.size() + " conflicts=" + store.conflicts
                + " notes-12=" + store.valueOf("notes-12"));
        System.out.println("device watermark=" + watermarks.of("device-a").wallMillis() + " drift="
                + clock.lastDriftMillis());
        System.out.println("device states: " + state.log());
    }
}
