package dev.obs.it.maven;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Maven installation the tests run: the machine's own ({@code mvn} on the PATH, Debian's 3.8.7 in
 * {@code /usr/share/maven}) or 3.9.x, which the integration-tests pom unpacks from Maven Central into
 * {@code target/maven-dist}.
 */
public record MavenDistribution(String label, Path home) {
    public static final String MAVEN_39_VERSION = "3.9.11";

    /** The Maven on the PATH. */
    public static MavenDistribution installed() {
        String configured = System.getProperty("obs.maven.installed.home", "/usr/share/maven");
        return check(new MavenDistribution("installed", Path.of(configured)));
    }

    /** Maven 3.9.x from Maven Central ({@code org.apache.maven:apache-maven:tar.gz:bin}). */
    public static MavenDistribution maven39() {
        String dir = System.getProperty("obs.maven.dist.dir");
        Path base = dir != null ? Path.of(dir) : Path.of("target", "maven-dist");
        return check(new MavenDistribution(MAVEN_39_VERSION, base.resolve("apache-maven-" + MAVEN_39_VERSION)));
    }

    private static MavenDistribution check(MavenDistribution d) {
        if (!Files.isRegularFile(d.home.resolve("bin/mvn"))) {
            throw new AssertionError("No Maven at " + d.home + ": the integration-tests build unpacks 3.9.x into "
                    + "target/maven-dist (process-test-resources), and .ci/run installs Debian's maven");
        }
        return d;
    }
}
