package com.acme.sync;

import java.util.List;

/**
 * One message on the wire: a type, the model it is about ("control" for handshakes and requests), a clock
 * reading, a number (page size, "more" flag) and changes. {@code wireSize} is how many bytes it took on the
 * socket.
 */
public final class Frame {
    public final String type;
    private final String model;
    public final Hlc clock;
    public final long number;
    public final List<Change> entries;
    int wireSize;

    public Frame(String type, String model, Hlc clock, long number, List<Change> entries) {
        this.type = type;
        this.model = model;
        this.clock = clock;
        this.number = number;
        this.entries = entries;
    }

    public static Frame control(String type, Hlc clock, long number) {
        return new Frame(type, "control", clock, number, List.of());
    }

    public String getModel() {
        return model;
    }

    public int getWireSize() {
        return wireSize;
    }
}
