package dev.obs.agent.internal;

/**
 * Woven by {@link JavaBaseWeaverTest} in a loader of its own (where the JVM verifies it, frames included):
 * the shapes the JDK's file methods have, several returns, a loop at the first instruction (a frame at
 * offset 0), an exception caught inside, a long result and a long local, a reassigned parameter, a static
 * method.
 */
public class HookTarget {
    private final Object fd = new Object();
    private final String path;

    public HookTarget(String path) {
        this.path = path;
    }

    public int read(int n) {
        do {
            n -= 100;
        } while (n > 100);
        if (n < -100) {
            throw new IllegalArgumentException("far below " + n);
        }
        try {
            if (n == 13) {
                throw new IllegalStateException("thirteen");
            }
        } catch (IllegalStateException e) {
            return -13;
        }
        if (n == 7) {
            return 7;
        }
        return n * 2;
    }

    public long count(long x) {
        long y = x * 3;
        if (y < 0) {
            throw new ArithmeticException("negative");
        }
        return y + 1;
    }

    public void write(byte[] b, int off, int len) {
        len = len * 2;
        b[off] = (byte) len;
    }

    public static String open(String a, String b) {
        a = a + "!";
        return a + b;
    }

    public int untouched() {
        return 1;
    }
}
