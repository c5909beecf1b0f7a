package dev.obs.it.maven;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The test's Maven world: two remote repositories on the {@link RemoteRepositoryServer} and a small
 * multi-module project that builds against them.
 *
 * <ul>
 *   <li>{@value #CENTRAL}: a mirror of central (settings.xml), serving the artifacts the test wrote plus,
 *       from the build's own local repository, the plugins the project pins (the versions obs's build
 *       uses).</li>
 *   <li>{@value #EXTRA}: a repository the project declares, listed before central, holding one artifact
 *       ({@code delta}); every other lookup there is a 404 (the wasted lookups a repository filter
 *       saves).</li>
 * </ul>
 *
 * <p>The project: {@code build-parent} with modules {@code lib} (no dependencies) and {@code app} (depends on
 * {@code lib}, {@code alpha} 1.0 (whose parent POM is {@code dep-parent} and which depends on {@code beta}),
 * {@code gamma [1.0,2.0)} (a version range: the metadata lists 1.0 and 1.1, so 1.1) and {@code delta} from
 * {@value #EXTRA}). Profile {@code missing} adds {@code missing:1.0}, which no repository has, and
 * {@code broken:1.0}, whose jar {@value #CENTRAL} answers with status 500; profile {@code tampered} adds
 * {@code tampered:1.0}, whose jar's {@code .sha1} is wrong. {@value #DEPLOY} takes what {@code mvn deploy}
 * uploads.
 * {@code alpha}'s jar is answered after {@link #SLOW_ANSWER}.
 */
public final class MavenFixture implements AutoCloseable {
    public static final String CENTRAL = "test-central";
    public static final String EXTRA = "extra";
    public static final String DEPLOY = "test-deploy";
    public static final String GROUP = "com.acme.dep";
    public static final Duration SLOW_ANSWER = Duration.ofMillis(300);
    /** The artifacts the test wrote, as {@code groupId:artifactId:version:extension}. */
    public static final List<String> TEST_ARTIFACTS = List.of(
            GROUP + ":dep-parent:1:pom",
            GROUP + ":alpha:1.0:pom", GROUP + ":alpha:1.0:jar",
            GROUP + ":beta:1.0:pom", GROUP + ":beta:1.0:jar",
            GROUP + ":gamma:1.1:pom", GROUP + ":gamma:1.1:jar",
            GROUP + ":delta:1.0:pom", GROUP + ":delta:1.0:jar");

    public final RemoteRepositoryServer server = new RemoteRepositoryServer();
    public final Path base;
    public final Path project;
    public final Path settings;

    public MavenFixture(Path base) {
        this.base = base;
        try {
            Path central = Files.createDirectories(base.resolve("repo-central"));
            Path extra = Files.createDirectories(base.resolve("repo-extra"));
            new TestRepository(central, 14)
                    .parentPom(GROUP, "dep-parent", "1")
                    .jar(GROUP, "alpha", "1.0", 48 * 1024, GROUP + ":dep-parent:1", List.of(GROUP + ":beta:1.0"))
                    .jar(GROUP, "beta", "1.0", 12 * 1024, null, List.of())
                    .jar(GROUP, "gamma", "1.0", 3 * 1024, null, List.of())
                    .jar(GROUP, "gamma", "1.1", 5 * 1024, null, List.of())
                    .metadata(GROUP, "gamma", List.of("1.0", "1.1"))
                    .jar(GROUP, "broken", "1.0", 1024, null, List.of())
                    .jar(GROUP, "tampered", "1.0", 2 * 1024, null, List.of());
            // the checksum of other bytes: what a corrupted mirror or a man in the middle would serve
            Files.writeString(central.resolve(TestRepository.path(GROUP, "tampered", "1.0", "jar") + ".sha1"),
                    TestRepository.hex(TestRepository.digest("sha1", new byte[] {42})));
            new TestRepository(extra, 41).jar(GROUP, "delta", "1.0", 7 * 1024, null, List.of());
            server.repository(CENTRAL, central, buildLocalRepository()).repository(EXTRA, extra, null)
                    .uploads(DEPLOY, Files.createDirectories(base.resolve("repo-deploy")));
            server.delay(CENTRAL, TestRepository.path(GROUP, "alpha", "1.0", "jar"), SLOW_ANSWER);
            server.answer(CENTRAL, TestRepository.path(GROUP, "broken", "1.0", "jar"), 500);
            project = writeProject(Files.createDirectories(base.resolve("project")));
            settings = writeSettings(base.resolve("settings.xml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh, empty local repository. */
    public Path newLocalRepository(String name) {
        try {
            return Files.createDirectories(base.resolve("local-" + name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A build of a fresh copy of the project (so that no build sees another's {@code target/}). */
    public MavenBuild build(MavenDistribution maven) {
        return new MavenBuild(maven, copyProject(), settings);
    }

    /**
     * A build of a copy of the project with a third module, {@code tool} (depends on {@code beta} and
     * {@code delta}, not on {@code lib}), so that {@code -T 2} builds {@code lib} and {@code tool} at the same
     * time, each resolving its plugins and dependencies on its own thread.
     */
    public MavenBuild buildWithParallelModules(MavenDistribution maven) {
        Path copy = copyProject();
        try {
            Path root = copy.resolve("pom.xml");
            Files.writeString(root, Files.readString(root).replace("<module>app</module>",
                    "<module>app</module>\n    <module>tool</module>"));
            module(copy, "tool", """
                        <dependency><groupId>%1$s</groupId><artifactId>beta</artifactId><version>1.0</version></dependency>
                        <dependency><groupId>%1$s</groupId><artifactId>delta</artifactId><version>1.0</version></dependency>
                    """.formatted(GROUP), "package com.acme.tool;\n\npublic final class Tool {\n}\n", "Tool");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new MavenBuild(maven, copy, settings);
    }

    private Path copyProject() {
        try {
            return copyTree(project, Files.createTempDirectory(base, "project-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the directory tree {@code from} into {@code to} (which may exist), and returns {@code to}. */
    static Path copyTree(Path from, Path to) {
        try (var files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The local repository of the Maven running this test, where obs's build left the plugins it uses. */
    static Path buildLocalRepository() {
        String configured = System.getProperty("obs.maven.local.repository");
        return configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    private Path writeSettings(Path file) throws IOException {
        Files.writeString(file, """
                <settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">
                  <mirrors>
                    <mirror>
                      <id>%s</id>
                      <mirrorOf>central</mirrorOf>
                      <url>%s</url>
                    </mirror>
                  </mirrors>
                </settings>
                """.formatted(CENTRAL, server.url(CENTRAL)));
        return file;
    }

    private Path writeProject(Path dir) throws IOException {
        Files.writeString(dir.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>com.acme.build</groupId>
                  <artifactId>build-parent</artifactId>
                  <version>1.0</version>
                  <packaging>pom</packaging>
                  <modules>
                    <module>lib</module>
                    <module>app</module>
                  </modules>
                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                    <skipTests>true</skipTests>
                  </properties>
                  <repositories>
                    <repository>
                      <id>%s</id>
                      <url>%s</url>
                      <snapshots><enabled>false</enabled></snapshots>
                    </repository>
                  </repositories>
                  <build>
                    <pluginManagement>
                      <plugins>
                        <plugin><artifactId>maven-clean-plugin</artifactId><version>3.4.0</version></plugin>
                        <plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
                        <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
                        <plugin><artifactId>maven-surefire-plugin</artifactId><version>3.5.2</version></plugin>
                        <plugin><artifactId>maven-jar-plugin</artifactId><version>3.4.2</version></plugin>
                        <plugin><artifactId>maven-install-plugin</artifactId><version>3.1.3</version></plugin>
                        <plugin><artifactId>maven-deploy-plugin</artifactId><version>3.1.3</version></plugin>
                      </plugins>
                    </pluginManagement>
                  </build>
                </project>
                """.formatted(EXTRA, server.url(EXTRA)));
        module(dir, "lib", "", "package com.acme.lib;\n\npublic final class Lib {\n"
                + "    public static String greeting() {\n        return \"hello\";\n    }\n}\n", "Lib");
        module(dir, "app", """
                    <dependency><groupId>com.acme.build</groupId><artifactId>lib</artifactId><version>1.0</version></dependency>
                    <dependency><groupId>%1$s</groupId><artifactId>alpha</artifactId><version>1.0</version></dependency>
                    <dependency><groupId>%1$s</groupId><artifactId>gamma</artifactId><version>[1.0,2.0)</version></dependency>
                    <dependency><groupId>%1$s</groupId><artifactId>delta</artifactId><version>1.0</version></dependency>
                """.formatted(GROUP), "package com.acme.app;\n\npublic final class App {\n"
                + "    public static void main(String[] args) {\n        System.out.println(com.acme.lib.Lib.greeting());\n"
                + "    }\n}\n", "App");
        return dir;
    }

    private static void module(Path parent, String name, String dependencies, String source, String className)
            throws IOException {
        Path dir = Files.createDirectories(parent.resolve(name));
        String missing = name.equals("app") ? """
                  <profiles>
                    <profile>
                      <id>missing</id>
                      <dependencies>
                        <dependency><groupId>%1$s</groupId><artifactId>missing</artifactId><version>1.0</version></dependency>
                        <dependency><groupId>%1$s</groupId><artifactId>broken</artifactId><version>1.0</version></dependency>
                      </dependencies>
                    </profile>
                    <profile>
                      <id>tampered</id>
                      <dependencies>
                        <dependency><groupId>%1$s</groupId><artifactId>tampered</artifactId><version>1.0</version></dependency>
                      </dependencies>
                    </profile>
                  </profiles>
                """.formatted(GROUP) : "";
        Files.writeString(dir.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <parent>
                    <groupId>com.acme.build</groupId>
                    <artifactId>build-parent</artifactId>
                    <version>1.0</version>
                  </parent>
                  <artifactId>%s</artifactId>
                  <dependencies>
                %s  </dependencies>
                %s</project>
                """.formatted(name, dependencies, missing));
        Path sources = Files.createDirectories(dir.resolve("src/main/java/com/acme/" + name));
        Files.writeString(sources.resolve(className + ".java"), source);
    }

    @Override
    public void close() {
        server.close();
    }
}
