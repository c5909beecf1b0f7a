package dev.obs.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The JDKs the integration tests run their child JVMs on, for {@code @EnumSource(TestJdk.class)}: the
 * build's own and Java 25. Java 25 is found without a path written into a test: the system property
 * {@value #JAVA25_PROPERTY} or else the environment variable {@value #JAVA25_VARIABLE} when set (and then it
 * must be a Java 25 or later home), otherwise the lowest feature release of at least 25 among the JDKs in
 * {@value #JVM_DIR}, read from their {@code release} files. When there is none the test fails with what to
 * set or install: the second JDK is part of the test set-up, so its absence is a failure, not a skip.
 */
public enum TestJdk {
    BUILD,
    JAVA25;

    public static final String JAVA25_PROPERTY = "obs.test.java25.home";
    public static final String JAVA25_VARIABLE = "OBS_TEST_JAVA25_HOME";
    static final String JVM_DIR = "/usr/lib/jvm";
    static final int JAVA25_MINIMUM_FEATURE = 25;
    private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(?:1\\.)?(\\d+)");

    /** The JDK's home; for {@link #JAVA25} an AssertionError naming what is missing when none is found. */
    public Path home() {
        if (this == BUILD) {
            return Path.of(System.getProperty("java.home"));
        }
        String property = System.getProperty(JAVA25_PROPERTY);
        if (property != null && !property.isBlank()) {
            return checked(Path.of(property), "-D" + JAVA25_PROPERTY, JAVA25_MINIMUM_FEATURE);
        }
        String variable = System.getenv(JAVA25_VARIABLE);
        if (variable != null && !variable.isBlank()) {
            return checked(Path.of(variable), JAVA25_VARIABLE, JAVA25_MINIMUM_FEATURE);
        }
        return scan(Path.of(JVM_DIR), JAVA25_MINIMUM_FEATURE);
    }

    /** The feature release of {@link #home()} (17, 25, ...), from its {@code release} file. */
    public int feature() {
        if (this == BUILD) {
            return Runtime.version().feature();
        }
        return feature(home()).orElseThrow(() -> new AssertionError("no JAVA_VERSION in " + home() + "/release"));
    }

    /** {@code home}, when it runs Java {@code minimumFeature} or later; else an AssertionError naming {@code source}. */
    static Path checked(Path home, String source, int minimumFeature) {
        Optional<Integer> feature = feature(home);
        if (!Files.isExecutable(home.resolve("bin/java")) || feature.isEmpty()) {
            throw new AssertionError(source + "=" + home + " is not a Java home (no bin/java or no release file"
                    + " with JAVA_VERSION)");
        }
        if (feature.get() < minimumFeature) {
            throw new AssertionError(source + "=" + home + " is Java " + feature.get() + "; the tests need Java "
                    + minimumFeature + " or later there");
        }
        return home;
    }

    /** The JDK in {@code jvmDir} with the lowest feature release of at least {@code minimumFeature}. */
    static Path scan(Path jvmDir, int minimumFeature) {
        List<String> seen = new ArrayList<>();
        Path best = null;
        int bestFeature = Integer.MAX_VALUE;
        for (Path home : list(jvmDir)) {
            Optional<Integer> feature = feature(home);
            if (feature.isEmpty() || !Files.isExecutable(home.resolve("bin/java"))) {
                continue;
            }
            seen.add(home.getFileName() + " (Java " + feature.get() + ")");
            if (feature.get() >= minimumFeature && feature.get() < bestFeature) {
                best = home;
                bestFeature = feature.get();
            }
        }
        if (best == null) {
            throw new AssertionError("no Java " + minimumFeature + " or later for the tests: set " + JAVA25_VARIABLE
                    + " (or -D" + JAVA25_PROPERTY + ") to its home, or install one in " + jvmDir + " (there: "
                    + (seen.isEmpty() ? "no JDK" : String.join(", ", seen)) + ")");
        }
        return best;
    }

    /** The feature release in {@code home/release} (JAVA_VERSION="25.0.3" is 25, "1.8.0_402" is 8). */
    static Optional<Integer> feature(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release)) {
            return Optional.empty();
        }
        try {
            Matcher m = JAVA_VERSION.matcher(Files.readString(release));
            return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(release.toString(), e);
        }
    }

    /** The directories in {@code jvmDir} by name (for a stable choice between equal releases); none if it is absent. */
    private static List<Path> list(Path jvmDir) {
        if (!Files.isDirectory(jvmDir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(jvmDir)) {
            return entries.filter(Files::isDirectory).sorted(Comparator.comparing(Path::toString)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(jvmDir.toString(), e);
        }
    }
}
