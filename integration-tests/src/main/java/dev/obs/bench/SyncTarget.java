package dev.obs.bench;

import java.util.List;

/**
 * The sync benchmarks' program: a link that sends batches; {@code send} is declared to obs, {@code sendPlain}
 * is not. A send frames the batch into a buffer of {@code frameBytes} and checksums it: none for the JMH
 * benchmark (obs's cost alone), 256 bytes for the 1 000 000-operation run (the work of a small real send),
 * which compares obs's cost with an operation's.
 */
public final class SyncTarget {
    /** A batch of records of one model. */
    public static final class Batch {
        private final String model;
        public final List<String> entries;

        public Batch(String model, List<String> entries) {
            this.model = model;
            this.entries = entries;
        }

        public String getModel() {
            return model;
        }
    }

    private final String peerId;
    private long sent;
    private final byte[] frame;
    private final java.util.zip.CRC32 crc = new java.util.zip.CRC32();

    public SyncTarget(String peerId, int frameBytes) {
        this.peerId = peerId;
        this.frame = new byte[frameBytes];
    }

    /** Declared: kind broadcast, peer {{this.peerId}}, model {{arg0.model}}, records {{arg0.entries.size}}. */
    public long send(Batch b) {
        return transmit(b);
    }

    /** The same body, not declared. */
    public long sendPlain(Batch b) {
        return transmit(b);
    }

    private long transmit(Batch b) {
        int n = 0;
        for (int i = 0; n < frame.length; i++) {
            String e = b.entries.get(i % b.entries.size());
            for (int c = 0; c < e.length() && n < frame.length; c++) {
                frame[n++] = (byte) (e.charAt(c) + i);
            }
        }
        crc.reset();
        crc.update(frame, 0, n);
        sent += b.entries.size();
        return sent ^ crc.getValue();
    }

    /** The rules file the benchmarks attach: {@code send} with three template captures. */
    public static final String RULES = String.join("\n",
            "sync:",
            "  - class: dev.obs.bench.SyncTarget",
            "    method: send",
            "    kind: broadcast",
            "    peer: \"{{this.peerId}}\"",
            "    model: \"{{arg0.model}}\"",
            "    records: \"{{arg0.entries.size}}\"",
            "");
}
