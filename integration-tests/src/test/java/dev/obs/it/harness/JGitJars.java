package dev.obs.it.harness;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Puts JGit and its runtime dependencies on a child JVM's class path, isolated from the machine's git config. */
public final class JGitJars {
    private JGitJars() {
    }

    /**
     * JGit ({@code jgitJar}, or the test's own 7.x when null) and its runtime dependencies, taken from the
     * test's own class path; {@code home} becomes the child's home so the user's ~/.gitconfig and the
     * system git config cannot change what JGit does.
     */
    public static AgentJvm withJGit(AgentJvm jvm, Path jgitJar, Path home) throws Exception {
        jvm.classpath(jgitJar != null ? jgitJar : jarOf("org.eclipse.jgit.api.Git"));
        for (String cls : List.of("com.googlecode.javaewah.EWAHCompressedBitmap", "org.slf4j.LoggerFactory",
                "org.apache.commons.codec.binary.Hex")) {
            jvm.classpath(jarOf(cls));
        }
        return jvm.property("user.home", home.toString()).env("GIT_CONFIG_NOSYSTEM", "1")
                .env("XDG_CONFIG_HOME", home.resolve(".config").toString());
    }

    /** target/jgit-6.10/org.eclipse.jgit-6.10.*.jar, copied by the build: the oldest JGit obs supports. */
    public static Path jgit610() throws Exception {
        String configured = System.getProperty("obs.jgit610.dir");
        Path dir = configured != null ? Path.of(configured) : AgentJvm.testClasses().getParent().resolve("jgit-6.10");
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("org.eclipse.jgit-6.10"))
                    .findFirst().orElseThrow(() -> new AssertionError("no JGit 6.10 jar in " + dir));
        }
    }

    private static Path jarOf(String className) throws ClassNotFoundException, URISyntaxException {
        return Path.of(Class.forName(className).getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
