package dev.obs.it.maven;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** What one {@code mvn} run printed and how it ended. */
public record MavenResult(List<String> command, java.nio.file.Path project, String mavenOpts, int exitCode, String stdout, String stderr,
                          Duration duration) {
    private static final Pattern TIMING = Pattern.compile("^\\[INFO\\] (Total time: |Finished at: ).*$");
    private static final Pattern MODULE_TIME = Pattern.compile(" \\[ *[0-9.]+ (s|ms|min)\\]$");
    private static final Pattern OBS_LINE = Pattern.compile("^obs[ :].*");

    /**
     * Maven's standard output with what differs between any two runs taken out: the two timing lines of the
     * build summary, the times in the reactor summary, and the project's directory (each build has its own
     * copy). Nothing else is touched.
     */
    public String comparableStdout() {
        return stdout.replace(project.toString(), "<project>").lines()
                .map(l -> TIMING.matcher(l).matches() ? TIMING.matcher(l).replaceAll("[INFO] $1<time>") : l)
                .map(l -> MODULE_TIME.matcher(l).replaceAll(" [<time>]"))
                .collect(Collectors.joining("\n"));
    }

    /**
     * Standard error without what only a run with obs prints: its one-line notices ({@code obs: ...}) and its
     * exit summary (from {@code obs summary:} to the end, which may follow Maven's last ANSI reset on a line).
     */
    public String stderrWithoutObs() {
        int summary = stderr.indexOf("obs summary:");
        return (summary < 0 ? stderr : stderr.substring(0, summary)).lines().filter(l -> !OBS_LINE.matcher(l).matches())
                .collect(Collectors.joining("\n"));
    }

    /** obs's exit summary as printed, from {@code obs summary:} on, or "" when there is none. */
    public String obsSummary() {
        int at = stderr.indexOf("obs summary:");
        return at < 0 ? "" : stderr.substring(at);
    }

    public String describe() {
        return "\nmvn " + command + "\nMAVEN_OPTS=" + mavenOpts + "\nexit " + exitCode + " after " + duration
                + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
}
