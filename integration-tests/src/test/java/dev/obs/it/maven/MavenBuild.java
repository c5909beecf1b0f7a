package dev.obs.it.maven;

import dev.obs.it.harness.AgentJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of a real {@code mvn} on the test project: its own settings (a mirror of central on the test
 * server, so nothing goes to Maven Central), the local repository the test gives, and, when asked for, obs
 * attached the way users attach it: {@code MAVEN_OPTS=-javaagent:obs.jar}.
 */
public final class MavenBuild {
    private final MavenDistribution maven;
    private final Path project;
    private final Path settings;
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> agentProperties = new LinkedHashMap<>();
    private Path localRepository;
    private boolean withAgent;
    private Duration timeout = Duration.ofMinutes(5);

    MavenBuild(MavenDistribution maven, Path project, Path settings) {
        this.maven = maven;
        this.project = project;
        this.settings = settings;
    }

    public MavenBuild localRepository(Path dir) {
        this.localRepository = dir;
        return this;
    }

    public MavenBuild args(String... more) {
        args.addAll(List.of(more));
        return this;
    }

    /** Attaches obs with these system properties (an OTLP endpoint, an export interval...). */
    public MavenBuild withAgent(Map<String, String> properties) {
        withAgent = true;
        agentProperties.putAll(properties);
        return this;
    }

    public MavenBuild timeout(Duration limit) {
        timeout = limit;
        return this;
    }

    public List<String> command() {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", maven.home().resolve("bin/mvn").toString(),
                "-B", "-s", settings.toString(), "-gs", settings.toString(),
                "-Dmaven.repo.local=" + localRepository));
        cmd.addAll(args);
        return cmd;
    }

    public String mavenOpts() {
        if (!withAgent) {
            return "";
        }
        StringBuilder opts = new StringBuilder("-javaagent:" + AgentJvm.agentJarFromBuild());
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("obs.weave.cache.dir", AgentJvm.testClasses().resolveSibling("weave-cache").toString());
        properties.putAll(agentProperties);
        properties.forEach((k, v) -> opts.append(" -D").append(k).append('=').append(v));
        return opts.toString();
    }

    public MavenResult run() {
        List<String> cmd = command();
        try {
            Path out = Files.createTempFile("obs-mvn-stdout-", ".txt");
            Path err = Files.createTempFile("obs-mvn-stderr-", ".txt");
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("OBS_") || k.startsWith("MAVEN_")
                    || k.equals("M2_HOME") || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS")
                    || k.equals("_JAVA_OPTIONS"));
            env.put("JAVA_HOME", Path.of(System.getProperty("java.home")).toString());
            env.put("MAVEN_OPTS", mavenOpts());
            long start = System.nanoTime();
            Process process = pb.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("mvn still running after " + timeout + ": " + cmd + "\n"
                        + Files.readString(out));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            MavenResult result = new MavenResult(cmd, project, mavenOpts(), process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8), took);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
