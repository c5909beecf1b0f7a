package com.acme.sync;

/** A hybrid logical clock reading: wall milliseconds, then a counter for events in the same millisecond. */
public record Hlc(long wallMillis, int counter) implements Comparable<Hlc> {
    public static final Hlc ZERO = new Hlc(0, 0);

    @Override
    public int compareTo(Hlc o) {
        return wallMillis != o.wallMillis ? Long.compare(wallMillis, o.wallMillis) : Integer.compare(counter, o.counter);
    }

    /** The clock of one device. */
    public static final class Clock {
        private Hlc last = ZERO;
        private long lastDriftMillis;

        public synchronized Hlc tick() {
            long now = System.currentTimeMillis();
            last = now > last.wallMillis ? new Hlc(now, 0) : new Hlc(last.wallMillis, last.counter + 1);
            return last;
        }

        /** Merges a remote reading; returns the drift: the remote wall clock minus ours, in milliseconds. */
        public synchronized long observe(Hlc remote) {
            long now = System.currentTimeMillis();
            long wall = Math.max(now, Math.max(last.wallMillis, remote.wallMillis));
            int counter = wall == last.wallMillis && wall == remote.wallMillis ? Math.max(last.counter, remote.counter) + 1
                    : wall == last.wallMillis ? last.counter + 1 : wall == remote.wallMillis ? remote.counter + 1 : 0;
            last = new Hlc(wall, counter);
            lastDriftMillis = remote.wallMillis - now;
            Reporter.Current.to.clockDrift(lastDriftMillis);
            return lastDriftMillis;
        }

        public synchronized long lastDriftMillis() {
            return lastDriftMillis;
        }
    }
}
