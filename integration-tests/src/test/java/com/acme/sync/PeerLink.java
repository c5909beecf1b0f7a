package com.acme.sync;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** One TCP connection to a peer, framing messages; counts every byte the socket carried. */
public final class PeerLink implements AutoCloseable {
    /** Bytes written to and read from every link of this process. */
    public static long totalSent;
    public static long totalReceived;

    private final String peerId;
    private final Socket socket;
    private final Counting in;
    private final DataInputStream data;
    private final CountingOut out;
    private final DataOutputStream dataOut;

    public PeerLink(String peerId, Socket socket) throws IOException {
        this.peerId = peerId;
        this.socket = socket;
        this.in = new Counting(socket.getInputStream());
        this.data = new DataInputStream(in);
        this.out = new CountingOut(socket.getOutputStream());
        this.dataOut = new DataOutputStream(new java.io.BufferedOutputStream(out, 8192));
    }

    public String peerId() {
        return peerId;
    }

    public PeerLink withPeer(String id) throws IOException {
        return new PeerLink(id, socket, in, out);
    }

    private PeerLink(String peerId, Socket socket, Counting in, CountingOut out) {
        this.peerId = peerId;
        this.socket = socket;
        this.in = in;
        this.data = new DataInputStream(in);
        this.out = out;
        this.dataOut = new DataOutputStream(new java.io.BufferedOutputStream(out, 8192));
    }

    /** Writes one frame; returns the bytes it took. */
    public int sendFrame(Frame f) throws IOException {
        long before = out.count;
        dataOut.writeUTF(f.type);
        dataOut.writeUTF(f.getModel());
        writeHlc(f.clock);
        dataOut.writeLong(f.number);
        dataOut.writeInt(f.entries.size());
        for (Change c : f.entries) {
            dataOut.writeUTF(c.id());
            dataOut.writeUTF(c.model());
            dataOut.writeUTF(c.value());
            writeHlc(c.stamp());
            dataOut.writeUTF(c.origin());
        }
        dataOut.flush();
        int n = (int) (out.count - before);
        f.wireSize = n;
        Reporter.Current.to.operation("broadcast", peerId, f.getModel(), f.entries.size(), n, "success");
        return n;
    }

    /** Reads one frame; throws EOFException when the peer closed the connection. */
    public Frame readFrame() throws IOException {
        try {
            Frame f = read();
            Reporter.Current.to.operation("receive", peerId, f.getModel(), f.entries.size(), f.wireSize, "success");
            return f;
        } catch (IOException e) {
            Reporter.Current.to.error("receive", peerId, null, e);
            throw e;
        }
    }

    private Frame read() throws IOException {
        long before = in.count;
        String type = data.readUTF();
        String model = data.readUTF();
        Hlc clock = readHlc();
        long number = data.readLong();
        int n = data.readInt();
        List<Change> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            entries.add(new Change(data.readUTF(), data.readUTF(), data.readUTF(), readHlc(), data.readUTF()));
        }
        Frame f = new Frame(type, model, clock, number, entries);
        f.wireSize = (int) (in.count - before);
        return f;
    }

    private void writeHlc(Hlc h) throws IOException {
        dataOut.writeLong(h.wallMillis());
        dataOut.writeInt(h.counter());
    }

    private Hlc readHlc() throws IOException {
        return new Hlc(data.readLong(), data.readInt());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
                totalReceived++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
                totalReceived += n;
            }
            return n;
        }
    }

    private static final class CountingOut extends FilterOutputStream {
        long count;

        CountingOut(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
            totalSent++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
            totalSent += len;
        }
    }
}
