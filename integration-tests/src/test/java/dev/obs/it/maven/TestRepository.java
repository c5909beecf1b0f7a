package dev.obs.it.maven;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A remote repository directory in Maven layout, written by the test: POMs, jars (with an entry of random bytes,
 * stored, so their sizes are what the test asks for), {@code maven-metadata.xml}, each with its {@code .sha1}
 * and {@code .md5}, as {@code mvn deploy} would leave them.
 */
public final class TestRepository {
    private final Path root;
    private final Random random;

    public TestRepository(Path root, long seed) {
        this.root = root;
        this.random = new Random(seed);
    }

    public Path root() {
        return root;
    }

    /** A jar artifact with its POM; {@code dependencies}: {@code groupId:artifactId:version} each. */
    public TestRepository jar(String groupId, String artifactId, String version, int payloadBytes,
                              String parent, List<String> dependencies) {
        StringBuilder pom = new StringBuilder("<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n"
                + "  <modelVersion>4.0.0</modelVersion>\n");
        if (parent != null) {
            String[] p = parent.split(":");
            pom.append("  <parent><groupId>").append(p[0]).append("</groupId><artifactId>").append(p[1])
                    .append("</artifactId><version>").append(p[2]).append("</version></parent>\n");
        }
        pom.append("  <groupId>").append(groupId).append("</groupId>\n  <artifactId>").append(artifactId)
                .append("</artifactId>\n  <version>").append(version).append("</version>\n");
        if (!dependencies.isEmpty()) {
            pom.append("  <dependencies>\n");
            for (String d : dependencies) {
                String[] c = d.split(":");
                pom.append("    <dependency><groupId>").append(c[0]).append("</groupId><artifactId>").append(c[1])
                        .append("</artifactId><version>").append(c[2]).append("</version></dependency>\n");
            }
            pom.append("  </dependencies>\n");
        }
        pom.append("</project>\n");
        write(file(groupId, artifactId, version, "pom"), pom.toString().getBytes(StandardCharsets.UTF_8));
        write(file(groupId, artifactId, version, "jar"), jarBytes(artifactId, payloadBytes));
        return this;
    }

    /** A parent POM (packaging pom) with nothing else in it. */
    public TestRepository parentPom(String groupId, String artifactId, String version) {
        String pom = "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n  <modelVersion>4.0.0</modelVersion>\n"
                + "  <groupId>" + groupId + "</groupId>\n  <artifactId>" + artifactId + "</artifactId>\n  <version>"
                + version + "</version>\n  <packaging>pom</packaging>\n</project>\n";
        write(file(groupId, artifactId, version, "pom"), pom.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** The artifact-level {@code maven-metadata.xml} listing {@code versions} (a version range reads it). */
    public TestRepository metadata(String groupId, String artifactId, List<String> versions) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<metadata>\n  <groupId>")
                .append(groupId).append("</groupId>\n  <artifactId>").append(artifactId)
                .append("</artifactId>\n  <versioning>\n    <latest>").append(versions.get(versions.size() - 1))
                .append("</latest>\n    <release>").append(versions.get(versions.size() - 1))
                .append("</release>\n    <versions>\n");
        versions.forEach(v -> xml.append("      <version>").append(v).append("</version>\n"));
        xml.append("    </versions>\n    <lastUpdated>20260101000000</lastUpdated>\n  </versioning>\n</metadata>\n");
        write(root.resolve(groupId.replace('.', '/')).resolve(artifactId).resolve("maven-metadata.xml"),
                xml.toString().getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** The repository path of an artifact file. */
    public static String path(String groupId, String artifactId, String version, String extension) {
        return groupId.replace('.', '/') + "/" + artifactId + "/" + version + "/" + artifactId + "-" + version + "."
                + extension;
    }

    private Path file(String groupId, String artifactId, String version, String extension) {
        return root.resolve(path(groupId, artifactId, version, extension));
    }

    private byte[] jarBytes(String name, int payloadBytes) {
        byte[] payload = new byte[payloadBytes];
        random.nextBytes(payload);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        try (JarOutputStream jar = new JarOutputStream(out, manifest)) {
            JarEntry entry = new JarEntry(name + ".bin");
            entry.setTime(0L);
            jar.putNextEntry(entry);
            jar.write(payload);
            jar.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, content);
            for (String algorithm : List.of("sha1", "md5")) {
                Files.writeString(file.resolveSibling(file.getFileName() + "." + algorithm),
                        hex(digest(algorithm, content)), StandardCharsets.US_ASCII);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] digest(String algorithm, byte[] content) {
        try {
            return MessageDigest.getInstance(algorithm.equals("sha1") ? "SHA-1" : "MD5").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
