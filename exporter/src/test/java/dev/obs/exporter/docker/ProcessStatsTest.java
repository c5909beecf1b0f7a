package dev.obs.exporter.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessStatsTest {
    @Test
    void cpuTimeIsCountedFromTheLastParenthesisOfTheStatLine() {
        // a command name with spaces and parentheses; utime 250 and stime 50 ticks
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 30 0 123 0 0";
        assertEquals(3_000_000_000L, ProcessStats.cpuNanos(stat));
    }

    @Test
    void cpuTimeAgreesWithTheOperatingSystemBean() {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long before = os.getProcessCpuTime();
        long read = ProcessStats.cpuNanos();
        long after = os.getProcessCpuTime();
        assertTrue(read > 0, "cpu " + read);
        // both count clock ticks of the same process; a tick may pass between the calls
        assertTrue(read >= before - 20_000_000L && read <= after + 20_000_000L,
                before + " <= " + read + " <= " + after);
    }

    @Test
    void anOpenedFileIsOneMoreDescriptor(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        long before = ProcessStats.openFileDescriptors();
        long during;
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            during = ProcessStats.openFileDescriptors();
        }
        long after = ProcessStats.openFileDescriptors();
        assertTrue(before > 2, "stdin, stdout, stderr at least: " + before);
        assertEquals(before + 1, during);
        assertEquals(before, after);
    }
}
