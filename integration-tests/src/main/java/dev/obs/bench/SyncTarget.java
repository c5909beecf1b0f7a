package dev.obs.bench;

import java.util.List;

/** The sync benchmarks' program: a link that sends batches; {@code send} is declared to obs, {@code sendPlain} is not. */
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

    public SyncTarget(String peerId) {
        this.peerId = peerId;
    }

    /** Declared: kind broadcast, peer {{this.peerId}}, model {{arg0.model}}, records {{arg0.entries.size}}. */
    public long send(Batch b) {
        sent += b.entries.size();
        return sent;
    }

    /** The same body, not declared. */
    public long sendPlain(Batch b) {
        sent += b.entries.size();
        return sent;
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
