package com.acme.sync;

/** Applies a remote change to the local store; false when the change is rejected. */
public interface Applier {
    boolean apply(Change change);
}
