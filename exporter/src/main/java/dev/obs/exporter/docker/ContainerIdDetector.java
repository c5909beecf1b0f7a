package dev.obs.exporter.docker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The id of the container the JVM runs in, when the runtime leaves it visible: in {@code /proc/self/cgroup}
 * (cgroup v1: {@code /docker/<id>}, {@code docker-<id>.scope}, {@code cri-containerd-<id>}) or, under
 * cgroup v2 where that shows only {@code /}, in the bind mounts of {@code /proc/self/mountinfo}
 * ({@code /var/lib/docker/containers/<id>/hostname}).
 */
public final class ContainerIdDetector {
    private static final Pattern CGROUP_ID = Pattern.compile("(?:^|[/\\-:])([0-9a-f]{64})(?:\\.scope)?$");
    private static final Pattern MOUNT_ID = Pattern.compile("/(?:docker|containers|sandboxes)/(?:containers/)?([0-9a-f]{64})/");

    private ContainerIdDetector() {
    }

    /** The container id, or null when the JVM is not in a container or the id is hidden. */
    public static String detect() {
        return detect(Path.of("/proc/self"));
    }

    static String detect(Path procSelf) {
        try {
            for (String line : Files.readAllLines(procSelf.resolve("cgroup"))) {
                Matcher m = CGROUP_ID.matcher(line.trim());
                if (m.find()) {
                    return m.group(1);
                }
            }
        } catch (Exception ignored) {
            // not Linux or hidden
        }
        try {
            for (String line : Files.readAllLines(procSelf.resolve("mountinfo"))) {
                // a host has hundreds of mounts: the pattern runs only where one of its words is
                if (line.indexOf("/docker") < 0 && line.indexOf("/containers/") < 0
                        && line.indexOf("/sandboxes/") < 0) {
                    continue;
                }
                Matcher m = MOUNT_ID.matcher(line);
                if (m.find()) {
                    return m.group(1);
                }
            }
        } catch (Exception ignored) {
            // not Linux or hidden
        }
        return null;
    }
}
