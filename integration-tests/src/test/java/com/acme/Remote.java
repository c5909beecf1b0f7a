package com.acme;

/** Fails with a message that carries credentials, as real clone errors do. */
public final class Remote {
    public void cloneFrom(String url) {
        throw new IllegalArgumentException("cannot clone " + url + ": repository not found");
    }
}
