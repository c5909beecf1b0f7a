package dev.obs.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A child JVM that is still running; its output goes to files, so it never blocks on a full pipe. */
public final class RunningJvm {
    private final Process process;
    private final List<String> command;
    private final Path workDir;
    private final Path stdoutFile;
    private final Path stderrFile;
    private final long startNanos;
    private final Duration timeout;

    RunningJvm(Process process, List<String> command, Path workDir, Path stdoutFile, Path stderrFile,
               long startNanos, Duration timeout) {
        this.process = process;
        this.command = command;
        this.workDir = workDir;
        this.stdoutFile = stdoutFile;
        this.stderrFile = stderrFile;
        this.startNanos = startNanos;
        this.timeout = timeout;
    }

    public String stdoutSoFar() {
        return read(stdoutFile);
    }

    public String stderrSoFar() {
        return read(stderrFile);
    }

    /** Waits until the child has printed {@code text} on stdout; fails if it exits or takes too long first. */
    public void awaitStdout(String text, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!stdoutSoFar().contains(text)) {
            if (!process.isAlive()) {
                throw new AssertionError("child exited (code " + process.exitValue() + ") without printing '"
                        + text + "'\n" + describeSoFar());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("child did not print '" + text + "' within " + limit.toMillis() + " ms\n"
                        + describeSoFar());
            }
            sleep(20);
        }
    }

    /** Waits for the exit; after the builder's timeout the child is killed and the test fails. */
    public JvmResult awaitExit() {
        try {
            long remaining = timeout.toNanos() - (System.nanoTime() - startNanos);
            if (!process.waitFor(Math.max(remaining, 0), TimeUnit.NANOSECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("child JVM did not finish within " + timeout.toMillis()
                        + " ms and was killed\n" + describeSoFar());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the child JVM", e);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        JvmResult result = new JvmResult(command, process.exitValue(), stdoutSoFar(), stderrSoFar(), elapsed, workDir);
        deleteQuietly(stdoutFile);
        deleteQuietly(stderrFile);
        return result;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public void kill() {
        process.destroyForcibly();
    }

    private String describeSoFar() {
        return "command: " + String.join(" ", command) + "\n--- stdout ---\n" + stdoutSoFar()
                + "\n--- stderr ---\n" + stderrSoFar();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A leftover temp file is harmless.
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
