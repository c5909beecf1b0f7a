package dev.obs.exporter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One exact monotonic sum of the metric path (Git conflicts and bytes, subprocesses started, file errors):
 * a single cell with atomic adds. These count events that cost microseconds to seconds each (a merge, a
 * fork), so contention on the cell cannot matter and striping would only cost memory.
 *
 * <p>Memory ordering: {@link VarHandle#getAndAdd} by writers, {@code getVolatile} by the exporter; an add
 * completed before the read is in it (see {@link StripedHistogram}).
 */
public final class ExactCounter {
    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);
    /** The value sits in the middle of 16 longs: no other object's field shares its cache line. */
    private static final int CELL = 8;
    /** How many adds made the value: the metric values this series has taken (obs's own accounting). */
    private static final int ADDS = 9;

    private final long[] cells = new long[16];
    public final String metric;
    public final String unit;
    public final String description;
    public final String[] attributeKeys;
    public final String[] attributeValues;

    ExactCounter(String metric, String unit, String description, String[] keys, String[] values) {
        this.metric = metric;
        this.unit = unit;
        this.description = description;
        this.attributeKeys = keys;
        this.attributeValues = values;
    }

    public void add(long delta) {
        // assigned, so the call's type is exactly the access mode's and links directly (StripedHistogram)
        long unused = (long) CELLS.getAndAdd(cells, CELL, delta);
        unused = (long) CELLS.getAndAdd(cells, ADDS, 1L);
    }

    public long value() {
        return (long) CELLS.getVolatile(cells, CELL);
    }

    /** The number of {@link #add} calls so far. */
    public long adds() {
        return (long) CELLS.getVolatile(cells, ADDS);
    }
}
