package com.acme;

import java.util.stream.IntStream;

/**
 * Instrumented as {@code com.acme.Job[*]}: every declared method (public, package-private, private, static)
 * gets spans; the constructor, the static initializer and the lambda's synthetic method do not.
 */
public final class Job {
    private static final String PREFIX = System.getProperty("job.prefix", "job:");

    private final Repo repo;

    public Job(Repo repo) {
        this.repo = repo;
    }

    public long run(int steps) {
        long total = IntStream.range(0, steps).mapToLong(i -> step(i)).sum();
        return total + checksum(total);
    }

    long step(int index) {
        return repo.sync(100 + index);
    }

    private long checksum(long value) {
        return value % 97;
    }

    static String label(String name) {
        return PREFIX + name;
    }
}
