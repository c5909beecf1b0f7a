package dev.obs.it.harness;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the command line as a user does: {@code java -jar obs.jar <args>} in a separate process, with an
 * environment the test states (no OBS_* or OTEL_* of the surrounding one).
 */
public final class ObsCli {
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Path workDir;

    public static ObsCli create() {
        return new ObsCli();
    }

    public ObsCli env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public ObsCli workDir(Path dir) {
        this.workDir = dir;
        return this;
    }

    /** The output of one run. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        public JsonObject json() {
            try {
                return JsonParser.parseString(stdout).getAsJsonObject();
            } catch (RuntimeException e) {
                throw new AssertionError("not JSON: " + describe(), e);
            }
        }

        public String describe() {
            return String.join(" ", command) + "\nexit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n"
                    + stderr;
        }
    }

    public static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-jar");
        cmd.add(AgentJvm.agentJarFromBuild().toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    public Result run(String... args) {
        List<String> cmd = command(args);
        try {
            Path out = Files.createTempFile("obs-cli-out-", ".txt");
            Path err = Files.createTempFile("obs-cli-err-", ".txt");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (workDir != null) {
                pb.directory(workDir.toFile());
            }
            pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("OBS_")
                    || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS") || k.equals("_JAVA_OPTIONS")
                    || k.equals("NO_COLOR") || k.equals("COLUMNS"));
            pb.environment().putAll(environment);
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("obs " + String.join(" ", args) + " did not end in 120 s");
            }
            Result r = new Result(cmd, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
