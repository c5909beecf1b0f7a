package com.acme.sync;

/** One record's new value, stamped by the device that made it. */
public record Change(String id, String model, String value, Hlc stamp, String origin) {
    public String getModel() {
        return model;
    }

    public String getOrigin() {
        return origin;
    }
}
