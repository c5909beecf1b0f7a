package dev.obs.exporter.docker;

/**
 * One reading of a container's (or the JVM's own cgroup's) resources. Counters are cumulative since the
 * container started; -1 means not available.
 */
record Sample(double cpuUserSeconds, double cpuSystemSeconds, double cpuTotalSeconds, long throttlingPeriods,
              long throttledPeriods, double throttledSeconds, long memoryUsage, long memoryLimit,
              long diskReadBytes, long diskWriteBytes, long networkReceiveBytes, long networkTransmitBytes) {
}
