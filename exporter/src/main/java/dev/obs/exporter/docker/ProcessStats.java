package dev.obs.exporter.docker;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JVM process's CPU time and open file descriptors, from {@code /proc/self} on Linux. The first call of
 * {@code ManagementFactory.getOperatingSystemMXBean()} costs 13–20 ms of CPU (its classes and native
 * library), more than all of a short program's other metrics; on Linux that bean reads the same files. Where
 * {@code /proc/self} cannot be read, the bean is used.
 */
final class ProcessStats {
    /**
     * Clock ticks per second of {@code /proc/<pid>/stat}'s times: USER_HZ, fixed at 100 by the kernel's ABI
     * (the JDK's {@code getProcessCpuTime} reports the same ticks on Linux).
     */
    private static final long USER_HZ = 100;
    private static final Path STAT = Path.of("/proc/self/stat");
    private static final Path FD = Path.of("/proc/self/fd");

    private ProcessStats() {
    }

    /** CPU time of every thread of the process, user and system, in nanoseconds; -1 when unknown. */
    static long cpuNanos() {
        try {
            return cpuNanos(Files.readString(STAT, StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
            return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
        }
    }

    /**
     * utime + stime (fields 14 and 15) of a {@code /proc/<pid>/stat} line. The command name (field 2, in
     * parentheses) may contain spaces and parentheses, so fields are counted from the last ')'.
     */
    static long cpuNanos(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // f[0] is field 3 (state): utime is field 14, stime field 15
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return ticks * (1_000_000_000L / USER_HZ);
    }

    /** Open file descriptors of the process; -1 when unknown. */
    static long openFileDescriptors() {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(FD)) {
            long n = 0;
            for (Path ignored : fds) {
                n++;
            }
            // the directory stream's own descriptor is listed too
            return n - 1;
        } catch (IOException | RuntimeException e) {
            java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
            return os instanceof com.sun.management.UnixOperatingSystemMXBean unix
                    ? unix.getOpenFileDescriptorCount() : -1;
        }
    }
}
