package dev.obs.it.harness;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds and runs a child JVM with {@code -javaagent:obs.jar} (or, for comparison, the same command without
 * it). The class path is the test-classes directory, so the child runs the small apps in {@code com.acme}
 * and nothing of the test's own class path. Each run gets a fresh temporary working directory.
 */
public final class AgentJvm {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final String mainClass;
    private boolean withAgent;
    private Path agentJar = agentJarFromBuild();
    private boolean agentlibForm;
    private Path javaHome = Path.of(System.getProperty("java.home"));
    private final List<String> jvmArgs = new ArrayList<>();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<Path> extraClasspath = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private Duration timeout = DEFAULT_TIMEOUT;
    private Path workDir;

    private AgentJvm(String mainClass, boolean withAgent) {
        this.mainClass = mainClass;
        this.withAgent = withAgent;
    }

    public static AgentJvm withAgent(Class<?> mainClass) {
        return new AgentJvm(mainClass.getName(), true);
    }

    public static AgentJvm withoutAgent(Class<?> mainClass) {
        return new AgentJvm(mainClass.getName(), false);
    }

    /** A copy of this configuration that leaves out {@code -javaagent} (properties and args stay). */
    public AgentJvm withoutAgent() {
        AgentJvm copy = copy();
        copy.withAgent = false;
        return copy;
    }

    /**
     * Attaches obs.jar as {@code -agentlib:instrument=<jar>}, the JVM's own spelling of {@code -javaagent}
     * that keeps the CDS archive's module graph (class-path programs only).
     */
    public AgentJvm agentlibForm() {
        agentlibForm = true;
        return this;
    }

    public AgentJvm copy() {
        AgentJvm copy = new AgentJvm(mainClass, withAgent);
        copy.agentJar = agentJar;
        copy.agentlibForm = agentlibForm;
        copy.javaHome = javaHome;
        copy.jvmArgs.addAll(jvmArgs);
        copy.properties.putAll(properties);
        copy.environment.putAll(environment);
        copy.extraClasspath.addAll(extraClasspath);
        copy.args.addAll(args);
        copy.timeout = timeout;
        return copy;
    }

    /** Adds {@code -Dname=value}. */
    public AgentJvm property(String name, String value) {
        properties.put(name, value);
        return this;
    }

    public AgentJvm jvmArg(String arg) {
        jvmArgs.add(arg);
        return this;
    }

    public AgentJvm env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public AgentJvm classpath(Path entry) {
        extraClasspath.add(entry);
        return this;
    }

    public AgentJvm args(String... appArgs) {
        args.addAll(List.of(appArgs));
        return this;
    }

    public AgentJvm javaHome(Path home) {
        this.javaHome = home;
        return this;
    }

    public AgentJvm agentJar(Path jar) {
        this.agentJar = jar;
        return this;
    }

    public AgentJvm timeout(Duration limit) {
        this.timeout = limit;
        return this;
    }

    /** Runs in {@code dir} instead of a fresh temporary directory. */
    public AgentJvm workDir(Path dir) {
        this.workDir = dir;
        return this;
    }

    public List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaHome.resolve("bin").resolve("java").toString());
        if (withAgent) {
            if (!Files.isRegularFile(agentJar)) {
                throw new AssertionError("The agent jar " + agentJar + " does not exist: build it first "
                        + "(mvn -pl agent -am package)");
            }
            cmd.add((agentlibForm ? "-agentlib:instrument=" : "-javaagent:") + agentJar);
            if (!properties.containsKey("obs.weave.cache.dir")) {
                // one cache per build (target/weave-cache), never the user's ~/.cache/obs
                cmd.add("-Dobs.weave.cache.dir=" + testClasses().resolveSibling("weave-cache"));
            }
        }
        cmd.addAll(jvmArgs);
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-cp");
        List<String> cp = new ArrayList<>();
        cp.add(testClasses().toString());
        extraClasspath.forEach(p -> cp.add(p.toString()));
        cmd.add(String.join(File.pathSeparator, cp));
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /** Runs to completion; a child still running after the timeout is killed and the test fails. */
    public JvmResult run() {
        return start().awaitExit();
    }

    public RunningJvm start() {
        List<String> cmd = command();
        try {
            Path dir = workDir != null ? workDir : Files.createTempDirectory("obs-it-");
            Path stdout = Files.createTempFile("obs-it-stdout-", ".txt");
            Path stderr = Files.createTempFile("obs-it-stderr-", ".txt");
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            // The surrounding environment must not configure the child: only what the test says counts.
            pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("OBS_")
                    || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS") || k.equals("_JAVA_OPTIONS"));
            pb.environment().putAll(environment);
            long startNanos = System.nanoTime();
            Process process = pb.start();
            return new RunningJvm(process, cmd, dir, stdout, stderr, startNanos, timeout);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** target/test-classes, as passed by surefire; falls back to where this class was loaded from. */
    public static Path testClasses() {
        String configured = System.getProperty("obs.test.classes");
        if (configured != null) {
            return Path.of(configured);
        }
        try {
            return Path.of(AgentJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** target/app-libs: third-party jars of other versions for apps that bring their own libraries. */
    public static Path appLibs() {
        String configured = System.getProperty("obs.app.libs");
        return configured != null ? Path.of(configured) : testClasses().getParent().resolve("app-libs");
    }

    /**
     * The agent jar the build produced, as a snapshot taken on first use: every child JVM of one test run
     * gets the same bytes even if the agent module is rebuilt meanwhile.
     */
    public static Path agentJarFromBuild() {
        return AgentJarSnapshot.JAR;
    }

    private static final class AgentJarSnapshot {
        static final Path JAR = snapshot();

        private static Path snapshot() {
            String configured = System.getProperty("obs.agent.jar");
            Path built = configured != null ? Path.of(configured).normalize()
                    : testClasses().getParent().getParent().getParent().resolve("agent/target/obs.jar");
            if (!Files.isRegularFile(built)) {
                return built; // command() reports the missing jar
            }
            try {
                Path dir = Files.createTempDirectory("obs-it-agent-");
                Path copy = Files.copy(built, dir.resolve("obs.jar"));
                copy.toFile().deleteOnExit();
                dir.toFile().deleteOnExit();
                return copy;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
