package dev.obs.it.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** How a child JVM ended: exit code, everything it printed, how long it took, and where it ran. */
public record JvmResult(List<String> command, int exitCode, String stdout, String stderr, Duration duration,
                        Path workDir) {

    public List<String> stdoutLines() {
        return stdout.lines().collect(Collectors.toList());
    }

    public List<String> stderrLines() {
        return stderr.lines().collect(Collectors.toList());
    }

    /** The rest of the first stdout line starting with {@code prefix}; fails naming the run when there is none. */
    public String valueAfter(String prefix) {
        for (String line : stdoutLines()) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length());
            }
        }
        throw new AssertionError("no line " + prefix + describe());
    }

    /** Everything about the run, to append to assertion messages. */
    public String describe() {
        return "\ncommand: " + String.join(" ", command) + "\nexit code: " + exitCode + ", took "
                + duration.toMillis() + " ms\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr
                + "--------------";
    }

    @Override
    public String toString() {
        return describe();
    }
}
