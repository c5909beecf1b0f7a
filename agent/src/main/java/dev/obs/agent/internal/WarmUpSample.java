package dev.obs.agent.internal;

/** Woven once (and thrown away) by the weaver's warm-up, so Byte Buddy is loaded before it is needed. */
final class WarmUpSample {
    private int calls;

    void run() {
        calls++;
    }
}
