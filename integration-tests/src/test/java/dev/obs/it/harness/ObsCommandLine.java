package dev.obs.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code java -jar obs.jar <command> ...}, the command line a user runs, as a separate process. */
public final class ObsCommandLine {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private ObsCommandLine() {
    }

    /** Runs to completion in {@code dir} with the build's obs.jar; a run past the timeout is killed and fails. */
    public static JvmResult run(Path dir, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-jar");
        cmd.add(AgentJvm.agentJarFromBuild().toString());
        cmd.addAll(List.of(args));
        try {
            Path stdout = Files.createTempFile("obs-cli-stdout-", ".txt");
            Path stderr = Files.createTempFile("obs-cli-stderr-", ".txt");
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("OBS_")
                    || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS") || k.equals("_JAVA_OPTIONS"));
            long start = System.nanoTime();
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("obs " + String.join(" ", args) + " did not end within " + TIMEOUT
                        + "\n" + Files.readString(stderr));
            }
            JvmResult result = new JvmResult(cmd, p.exitValue(), Files.readString(stdout), Files.readString(stderr),
                    Duration.ofNanos(System.nanoTime() - start), dir);
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
