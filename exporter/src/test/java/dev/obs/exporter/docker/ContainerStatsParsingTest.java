package dev.obs.exporter.docker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerStatsParsingTest {
    @Test
    void fieldsAreWhatTrimAndSplitOnWhitespaceGive() {
        for (String line : new String[] {"8:0 Read 4096", "  eth0: 1 2\t3  4 ", "rbytes=1 wbytes=2\r", "a\u000Bb\fc",
            "single", "   "}) {
            String[] expected = line.isBlank() ? new String[0] : line.trim().split("\\s+");
            assertArrayEquals(expected, CgroupStats.fields(line), "fields of '" + line + "'");
        }
    }

    @Test
    void engineStatsOfACgroupV1Host() throws Exception {
        String json = "{\"read\":\"2026-01-01T00:00:00Z\",\"id\":\"abc\",\"cpu_stats\":{\"cpu_usage\":{\"total_usage\":"
                + "1971121110,\"usage_in_kernelmode\":40000000,\"usage_in_usermode\":1920000000},\"throttling_data\":"
                + "{\"periods\":3,\"throttled_periods\":1,\"throttled_time\":500000000}},\"memory_stats\":{\"usage\":630784,"
                + "\"limit\":9223372036854771712},\"blkio_stats\":{\"io_service_bytes_recursive\":[{\"op\":\"Read\","
                + "\"value\":4096},{\"op\":\"Write\",\"value\":8192},{\"op\":\"Total\",\"value\":12288}]},"
                + "\"networks\":{\"eth0\":{\"rx_bytes\":10,\"tx_bytes\":20}}}";
        Sample s = ContainerSampler.fromEngine(Json.parse(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals(1.92, s.cpuUserSeconds(), 1e-9);
        assertEquals(0.04, s.cpuSystemSeconds(), 1e-9);
        assertEquals(3, s.throttlingPeriods());
        assertEquals(0.5, s.throttledSeconds(), 1e-9);
        assertEquals(630784, s.memoryUsage());
        assertEquals(-1, s.memoryLimit(), "a page-rounded Long.MAX_VALUE is no limit");
        assertEquals(4096, s.diskReadBytes());
        assertEquals(8192, s.diskWriteBytes());
        assertEquals(10, s.networkReceiveBytes());
        assertEquals(20, s.networkTransmitBytes());
    }

    @Test
    void chunkedEngineAnswersAreReassembled() throws Exception {
        byte[] raw = ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n2\r\n1}\r\n0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        EngineClient.Response r = EngineClient.parse(raw);
        assertEquals(200, r.status());
        assertEquals("{\"a\":1}", new String(r.body(), StandardCharsets.UTF_8));
    }

    @Test
    void ownCgroupV2(@TempDir Path root) throws Exception {
        Path proc = procOfACgroupV2Container(root);
        CgroupStats stats = new CgroupStats(proc, root);
        assertEquals("v2", stats.version());
        Sample s = stats.read();
        assertEquals(1.5, s.cpuUserSeconds(), 1e-9);
        assertEquals(0.5, s.cpuSystemSeconds(), 1e-9);
        assertEquals(2, s.throttledPeriods());
        assertEquals(0.3, s.throttledSeconds(), 1e-9);
        assertEquals(4096, s.memoryUsage());
        assertEquals(-1, s.memoryLimit());
        assertEquals(10, s.diskReadBytes());
        assertEquals(20, s.diskWriteBytes());
        assertEquals(100, s.networkReceiveBytes());
        assertEquals(200, s.networkTransmitBytes());
    }

    @Test
    void containerIdFromTheHostnameMount(@TempDir Path root) throws Exception {
        Path proc = procOfACgroupV2Container(root);

        assertEquals("a".repeat(64), ContainerIdDetector.detect(proc));
    }

    @Test
    void noContainerIdWithoutAContainerMount(@TempDir Path root) throws Exception {
        Path proc = procOfACgroupV2Container(root);
        Files.writeString(proc.resolve("mountinfo"), "30 25 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");

        assertNull(ContainerIdDetector.detect(proc));
    }

    /** {@code root}/proc/self and {@code root}/sys/fs/cgroup of a JVM in a docker container on a cgroup v2 host. */
    private static Path procOfACgroupV2Container(Path root) throws Exception {
        Path proc = Files.createDirectories(root.resolve("proc/self"));
        Files.writeString(proc.resolve("cgroup"), "0::/app\n");
        Files.writeString(proc.resolve("mountinfo"),
                "30 25 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n"
                        + "40 25 8:1 /var/lib/docker/containers/" + "a".repeat(64) + "/hostname /etc/hostname rw - ext4 /dev/sda1 rw\n");
        Files.createDirectories(proc.resolve("net"));
        Files.writeString(proc.resolve("net/dev"), "Inter-|\n face |bytes\n    lo: 5 1 0 0 0 0 0 0 5 1 0 0 0 0 0 0\n"
                + "  eth0: 100 1 0 0 0 0 0 0 200 1 0 0 0 0 0 0\n");
        Path cg = Files.createDirectories(root.resolve("sys/fs/cgroup/app"));
        Files.writeString(cg.resolve("cpu.stat"), "usage_usec 2000000\nuser_usec 1500000\nsystem_usec 500000\n"
                + "nr_periods 10\nnr_throttled 2\nthrottled_usec 300000\n");
        Files.writeString(cg.resolve("memory.current"), "4096\n");
        Files.writeString(cg.resolve("memory.max"), "max\n");
        Files.writeString(cg.resolve("io.stat"), "8:0 rbytes=10 wbytes=20 rios=1 wios=2\n");
        return proc;
    }
}
