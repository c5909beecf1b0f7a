package dev.obs.exporter.store;

/**
 * One row of the operations table over a window. Latencies are seconds, NaN when the family records none;
 * {@code bytes} is -1 where bytes do not apply. {@code latencySampled} says the percentiles come from a
 * sample (the file system's) while count and errors are exact. {@code latency} is the window's histogram,
 * null when there is none.
 */
public record OperationRow(String family, String operation, long count, long errors, double ratePerSecond,
                           double p50Seconds, double p95Seconds, double p99Seconds, double maxSeconds, long bytes,
                           boolean latencySampled, MetricPoint latency) {
    static OperationRow of(String family, String operation, long count, long errors, double seconds,
                           MetricPoint latency, long bytes, boolean sampled) {
        boolean has = latency != null && latency.count > 0;
        return new OperationRow(family, operation, count, errors, count / seconds,
                has ? latency.quantile(0.50) : Double.NaN, has ? latency.quantile(0.95) : Double.NaN,
                has ? latency.quantile(0.99) : Double.NaN, has ? latency.maxOrBound() : Double.NaN, bytes, sampled,
                latency);
    }
}
