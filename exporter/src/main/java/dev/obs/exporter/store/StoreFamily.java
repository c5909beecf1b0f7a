package dev.obs.exporter.store;

import java.util.List;
import java.util.Map;

/**
 * What one family contributes to the operations table: it knows its own metric names and attributes, so the
 * shared reader does not. Implementations live in the family's package; {@link StoreFamilies} lists them.
 */
public interface StoreFamily {
    /** The {@code --family} name. */
    String name();

    /** Adds this family's rows read from a window's series; {@code seconds} divides counts into rates. */
    void operations(Map<SeriesKey, MetricPoint> series, double seconds, List<OperationRow> out);
}
