package dev.obs.exporter.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringTokenizer;

/**
 * The JVM's own cgroup, read from {@code /sys/fs/cgroup} (v1 controllers where the host binds them, else
 * the v2 unified hierarchy) and its network namespace from {@code /proc/self/net/dev}. Directories are
 * located once from {@code /proc/self/cgroup} and {@code /proc/self/mountinfo}; each {@link #read} is a
 * handful of small file reads, done on an obs thread.
 */
final class CgroupStats {
    private static final double USER_HZ = 100.0;
    /** v1 reports "no limit" as a page-rounded Long.MAX_VALUE; anything this large is no limit. */
    private static final long NO_LIMIT = Long.MAX_VALUE / 2;
    /** What {@code \s} matches in a regular expression. */
    private static final String WHITESPACE = " \t\n\u000B\f\r";

    private final Path cpuacct;
    private final Path cpu;
    private final Path memory;
    private final Path blkio;
    private final Path unified;
    private final Path netDev;

    CgroupStats(Path procSelf, Path root) {
        Map<String, Path> v1 = new HashMap<>();
        Path v2 = null;
        try {
            List<String[]> mounts = mounts(procSelf.resolve("mountinfo"));
            for (String line : Files.readAllLines(procSelf.resolve("cgroup"))) {
                String[] parts = line.split(":", 3);
                if (parts.length < 3) {
                    continue;
                }
                if (parts[0].equals("0") && parts[1].isEmpty()) {
                    v2 = locate(mounts, "cgroup2", null, parts[2], root);
                } else {
                    for (String controller : parts[1].split(",")) {
                        Path dir = locate(mounts, "cgroup", controller, parts[2], root);
                        if (dir != null) {
                            v1.put(controller, dir);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // no cgroups (not Linux, or /proc hidden): nothing to report
        }
        this.cpuacct = v1.get("cpuacct");
        this.cpu = v1.get("cpu");
        this.memory = v1.get("memory");
        this.blkio = v1.get("blkio");
        this.unified = v2;
        this.netDev = procSelf.resolve("net/dev");
    }

    /** The JVM's own cgroup on this machine. */
    static CgroupStats self() {
        return new CgroupStats(Path.of("/proc/self"), null);
    }

    /** True when some cgroup directory was found. */
    boolean available() {
        return cpuacct != null || memory != null || unified != null;
    }

    /** {@code cgroup v1}, {@code cgroup v2}, or null. */
    String version() {
        return cpuacct != null || memory != null ? "v1" : unified != null ? "v2" : null;
    }

    Sample read() {
        double user = -1;
        double system = -1;
        double total = -1;
        long periods = -1;
        long throttled = -1;
        double throttledSeconds = -1;
        long memUsage = -1;
        long memLimit = -1;
        long diskRead = -1;
        long diskWrite = -1;
        Map<String, Long> v2cpu = unified == null ? Map.of() : keyValues(unified.resolve("cpu.stat"));
        if (cpuacct != null) {
            long ns = single(cpuacct.resolve("cpuacct.usage"));
            total = ns < 0 ? -1 : ns / 1e9;
            Map<String, Long> stat = keyValues(cpuacct.resolve("cpuacct.stat"));
            user = stat.containsKey("user") ? stat.get("user") / USER_HZ : -1;
            system = stat.containsKey("system") ? stat.get("system") / USER_HZ : -1;
        } else if (v2cpu.containsKey("usage_usec")) {
            total = v2cpu.get("usage_usec") / 1e6;
            user = v2cpu.getOrDefault("user_usec", -1_000_000L) / 1e6;
            system = v2cpu.getOrDefault("system_usec", -1_000_000L) / 1e6;
        }
        Map<String, Long> v1cpu = cpu == null ? Map.of() : keyValues(cpu.resolve("cpu.stat"));
        if (v1cpu.containsKey("nr_periods")) {
            periods = v1cpu.get("nr_periods");
            throttled = v1cpu.getOrDefault("nr_throttled", -1L);
            throttledSeconds = v1cpu.containsKey("throttled_time") ? v1cpu.get("throttled_time") / 1e9 : -1;
        } else if (v2cpu.containsKey("nr_periods")) {
            periods = v2cpu.get("nr_periods");
            throttled = v2cpu.getOrDefault("nr_throttled", -1L);
            throttledSeconds = v2cpu.containsKey("throttled_usec") ? v2cpu.get("throttled_usec") / 1e6 : -1;
        }
        if (memory != null) {
            memUsage = single(memory.resolve("memory.usage_in_bytes"));
            memLimit = single(memory.resolve("memory.limit_in_bytes"));
        } else if (unified != null) {
            memUsage = single(unified.resolve("memory.current"));
            memLimit = single(unified.resolve("memory.max"));
        }
        if (memLimit >= NO_LIMIT) {
            memLimit = -1;
        }
        if (blkio != null) {
            long[] rw = blkioV1(blkio);
            diskRead = rw[0];
            diskWrite = rw[1];
        } else if (unified != null) {
            long[] rw = ioStatV2(unified.resolve("io.stat"));
            diskRead = rw[0];
            diskWrite = rw[1];
        }
        long[] net = netDev(netDev);
        return new Sample(user, system, total, periods, throttled, throttledSeconds, memUsage, memLimit, diskRead,
                diskWrite, net[0], net[1]);
    }

    /** mountinfo lines as [root, mount point, fstype, super options]. */
    private static List<String[]> mounts(Path mountinfo) throws IOException {
        List<String[]> out = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(mountinfo)) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] pre = line.substring(0, dash).split(" ");
            String[] post = line.substring(dash + 3).split(" ");
            if (pre.length >= 5 && post.length >= 3 && post[0].startsWith("cgroup")) {
                out.add(new String[] {unescape(pre[3]), unescape(pre[4]), post[0], post[2]});
            }
        }
        return out;
    }

    private static String unescape(String s) {
        return s.replace("\\040", " ");
    }

    /** The directory of {@code cgroupPath} under the mount that carries {@code controller}. */
    private static Path locate(List<String[]> mounts, String fstype, String controller, String cgroupPath,
                               Path root) {
        for (String[] m : mounts) {
            if (!m[2].equals(fstype)) {
                continue;
            }
            if (controller != null && !List.of(m[3].split(",")).contains(controller)) {
                continue;
            }
            String mountRoot = m[0];
            String relative = cgroupPath.startsWith(mountRoot) ? cgroupPath.substring(mountRoot.length()) : "";
            Path mountPoint = root == null ? Path.of(m[1]) : root.resolve(m[1].substring(1));
            Path dir = relative.isEmpty() || relative.equals("/") ? mountPoint
                    : mountPoint.resolve(relative.startsWith("/") ? relative.substring(1) : relative);
            // a cgroup namespace can hide the path; the mount point is then the JVM's own cgroup
            return Files.isDirectory(dir) ? dir : mountPoint;
        }
        return null;
    }

    static long single(Path file) {
        try {
            String s = Files.readString(file).trim();
            return s.equals("max") ? Long.MAX_VALUE : Long.parseLong(s);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static Map<String, Long> keyValues(Path file) {
        Map<String, Long> out = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String[] kv = fields(line);
                if (kv.length == 2) {
                    try {
                        out.put(kv[0], Long.parseLong(kv[1]));
                    } catch (NumberFormatException ignored) {
                        // not a counter
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // absent: no values
        }
        return out;
    }

    /** blkio.throttle.io_service_bytes(_recursive): {@code 8:0 Read 4096}. */
    private static long[] blkioV1(Path dir) {
        long[] rw = {-1, -1};
        for (String name : new String[] {"blkio.throttle.io_service_bytes_recursive", "blkio.throttle.io_service_bytes",
            "blkio.io_service_bytes_recursive"}) {
            Path f = dir.resolve(name);
            if (!Files.isReadable(f)) {
                continue;
            }
            rw[0] = 0;
            rw[1] = 0;
            try {
                for (String line : Files.readAllLines(f)) {
                    String[] p = fields(line);
                    if (p.length == 3) {
                        if (p[1].equalsIgnoreCase("read")) {
                            rw[0] += Long.parseLong(p[2]);
                        } else if (p[1].equalsIgnoreCase("write")) {
                            rw[1] += Long.parseLong(p[2]);
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                return new long[] {-1, -1};
            }
            return rw;
        }
        return rw;
    }

    /** io.stat: {@code 8:0 rbytes=1 wbytes=2 ...}. */
    private static long[] ioStatV2(Path f) {
        if (!Files.isReadable(f)) {
            return new long[] {-1, -1};
        }
        long[] rw = {0, 0};
        try {
            for (String line : Files.readAllLines(f)) {
                for (String field : fields(line)) {
                    if (field.startsWith("rbytes=")) {
                        rw[0] += Long.parseLong(field.substring(7));
                    } else if (field.startsWith("wbytes=")) {
                        rw[1] += Long.parseLong(field.substring(7));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
        return rw;
    }

    /**
     * The whitespace-separated fields of {@code line}, as {@code line.trim().split("\\s+")} gives them for a
     * line that is not blank (none for a blank one), without compiling a regular expression for every line:
     * these files are read at the first metric export of every run, in interpreted code.
     */
    static String[] fields(String line) {
        StringTokenizer tokens = new StringTokenizer(line, WHITESPACE);
        String[] out = new String[tokens.countTokens()];
        for (int i = 0; i < out.length; i++) {
            out[i] = tokens.nextToken();
        }
        return out;
    }

    /** Bytes received and sent on every interface but loopback. */
    static long[] netDev(Path f) {
        long[] rxTx = {-1, -1};
        try {
            List<String> lines = Files.readAllLines(f);
            rxTx[0] = 0;
            rxTx[1] = 0;
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String iface = line.substring(0, colon).trim();
                if (iface.equals("lo")) {
                    continue;
                }
                String[] v = fields(line.substring(colon + 1));
                if (v.length >= 9) {
                    rxTx[0] += Long.parseLong(v[0]);
                    rxTx[1] += Long.parseLong(v[8]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
        return rxTx;
    }
}
