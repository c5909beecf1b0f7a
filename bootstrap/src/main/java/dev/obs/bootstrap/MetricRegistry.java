package dev.obs.bootstrap;

import java.util.ArrayList;
import java.util.List;

/**
 * Metric definitions and the rings of every thread that records them. Instrumentations register each
 * (metric, attribute set) once, at weave or start time, and record against the returned id; the exporter
 * reads the definitions and drains the rings.
 */
public final class MetricRegistry {
    /** Values are latencies or sizes aggregated into a histogram. */
    public static final byte HISTOGRAM = 0;
    /** Values are added to a monotonic sum. */
    public static final byte COUNTER = 1;

    /** One registered metric series. Attribute arrays hold String values and are never modified. */
    public static final class Definition {
        public final int id;
        public final String name;
        public final String unit;
        public final String description;
        public final byte type;
        public final String[] attributeKeys;
        public final String[] attributeValues;

        Definition(int id, String name, String unit, String description, byte type, String[] keys,
                   String[] values) {
            this.id = id;
            this.name = name;
            this.unit = unit;
            this.description = description;
            this.type = type;
            this.attributeKeys = keys;
            this.attributeValues = values;
        }
    }

    private static final Object LOCK = new Object();
    private static final List<Definition> DEFINITIONS = new ArrayList<>();
    /** Copy-on-write: replaced under LOCK, read without it by the exporter. */
    private static volatile MetricRing[] rings = new MetricRing[0];

    private MetricRegistry() {
    }

    /**
     * Registers a series, or returns the id of the identical one registered before.
     *
     * @param keys   attribute keys, same length as values
     * @param values attribute values, already masked
     */
    public static int register(String name, String unit, String description, byte type, String[] keys,
                               String[] values) {
        synchronized (LOCK) {
            for (Definition d : DEFINITIONS) {
                if (d.name.equals(name) && d.type == type && java.util.Arrays.equals(d.attributeKeys, keys)
                        && java.util.Arrays.equals(d.attributeValues, values)) {
                    return d.id;
                }
            }
            Definition d = new Definition(DEFINITIONS.size(), name, unit, description, type, keys.clone(),
                    values.clone());
            DEFINITIONS.add(d);
            return d.id;
        }
    }

    /** The definition with this id, or null. */
    public static Definition definition(int id) {
        synchronized (LOCK) {
            return id >= 0 && id < DEFINITIONS.size() ? DEFINITIONS.get(id) : null;
        }
    }

    /** Current rings, one per thread that has recorded a metric (dead threads' rings until removed). */
    public static MetricRing[] rings() {
        return rings;
    }

    /** Removes rings whose owner has died; the caller must have drained them first. */
    public static void removeRing(MetricRing ring) {
        synchronized (LOCK) {
            MetricRing[] current = rings;
            int n = 0;
            MetricRing[] next = new MetricRing[current.length];
            for (MetricRing r : current) {
                if (r != ring) {
                    next[n++] = r;
                }
            }
            rings = java.util.Arrays.copyOf(next, n);
        }
    }

    static MetricRing newRing(Thread owner) {
        MetricRing ring = new MetricRing(BootstrapSettings.current().ringCapacity, owner);
        synchronized (LOCK) {
            MetricRing[] current = rings;
            MetricRing[] next = java.util.Arrays.copyOf(current, current.length + 1);
            next[current.length] = ring;
            rings = next;
        }
        return ring;
    }
}
