package dev.obs.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the bootstrap classes are read from obs.jar and defined in dependency order, against a plain class loader
 * standing in for the boot loader (the boot loader itself is exercised by every integration test).
 */
class BootstrapInjectorTest {
    static class Base {
    }

    static class Sub extends Base {
    }

    private static final String BASE = Base.class.getName();
    private static final String SUB = Sub.class.getName();

    @TempDir
    Path dir;

    /** A loader that sees only what it defined (and the JDK), as the boot loader sees only obs's bootstrap. */
    private static final class IsolatedLoader extends ClassLoader implements BootstrapInjector.Definer {
        IsolatedLoader() {
            super(ClassLoader.getPlatformClassLoader());
        }

        @Override
        public void define(String name, byte[] code) {
            defineClass(name, code, 0, code.length);
        }

        @Override
        public boolean isDefined(String name) {
            return findLoadedClass(name) != null;
        }
    }

    @Test
    void subclassListedBeforeItsSuperclassIsDefinedInALaterRound() throws Exception {
        IsolatedLoader loader = new IsolatedLoader();

        BootstrapInjector.defineInRounds(List.of(SUB, BASE), List.of(bytesOf(Sub.class), bytesOf(Base.class)), loader);

        Class<?> sub = loader.loadClass(SUB);
        assertSame(loader, sub.getClassLoader());
        assertSame(loader.loadClass(BASE), sub.getSuperclass());
    }

    @Test
    void classAlreadyThereCountsAsDefined() throws Exception {
        IsolatedLoader loader = new IsolatedLoader();
        loader.define(BASE, bytesOf(Base.class));
        Class<?> first = loader.loadClass(BASE);

        BootstrapInjector.defineInRounds(List.of(BASE), List.of(bytesOf(Base.class)), loader);

        assertSame(first, loader.loadClass(BASE), "the agent attached twice keeps the first definition");
    }

    @Test
    void classWhoseSuperclassIsNotListedStopsWithItsName() throws Exception {
        IsolatedLoader loader = new IsolatedLoader();

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> BootstrapInjector.defineInRounds(List.of(SUB), List.of(bytesOf(Sub.class)), loader));

        assertEquals("bootstrap classes could not be defined: [" + SUB + "]", e.getMessage());
    }

    @Test
    void malformedClassStopsWithItsNameAndTheJvmsError() {
        IsolatedLoader loader = new IsolatedLoader();

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> BootstrapInjector.defineInRounds(List.of(BASE), List.of(new byte[] {1, 2, 3}), loader));

        assertEquals(BASE + " could not be defined", e.getMessage());
        assertTrue(e.getCause() instanceof ClassFormatError, String.valueOf(e.getCause()));
    }

    @Test
    void indexListsClassFilesInOrderSkippingBlankLines() throws Exception {
        Path jar = jar("dev/obs/bootstrap/B.class\r\n\n  dev/obs/bootstrap/a/A.class  \n", "dev/obs/bootstrap/B.class",
                "dev/obs/bootstrap/a/A.class");

        BootstrapInjector.Listed listed;
        try (JarFile f = new JarFile(jar.toFile())) {
            listed = BootstrapInjector.listed(f);
        }

        assertEquals(List.of("dev.obs.bootstrap.B", "dev.obs.bootstrap.a.A"), listed.names);
        assertArrayEquals(contentOf("dev/obs/bootstrap/B.class"), listed.bytes.get(0));
        assertArrayEquals(contentOf("dev/obs/bootstrap/a/A.class"), listed.bytes.get(1));
    }

    @Test
    void missingIndexIsNamed() throws Exception {
        Path jar = jar(null, "dev/obs/bootstrap/B.class");

        try (JarFile f = new JarFile(jar.toFile())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> BootstrapInjector.listed(f));
            assertEquals("META-INF/obs-bootstrap-classes.txt is missing from obs.jar", e.getMessage());
        }
    }

    @Test
    void listedClassMissingFromTheJarIsNamed() throws Exception {
        Path jar = jar("dev/obs/bootstrap/B.class\ndev/obs/bootstrap/Gone.class\n", "dev/obs/bootstrap/B.class");

        try (JarFile f = new JarFile(jar.toFile())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> BootstrapInjector.listed(f));
            assertEquals("dev/obs/bootstrap/Gone.class is listed but missing from obs.jar", e.getMessage());
        }
    }

    /** A jar with the index {@code index} (null: none) and each entry holding its own name as content. */
    private Path jar(String index, String... entries) throws IOException {
        Path jar = Files.createTempFile(dir, "obs", ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            if (index != null) {
                put(out, "META-INF/obs-bootstrap-classes.txt", index.getBytes(StandardCharsets.UTF_8));
            }
            for (String e : entries) {
                put(out, e, contentOf(e));
            }
        }
        return jar;
    }

    private static void put(JarOutputStream out, String name, byte[] content) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        out.write(content);
        out.closeEntry();
    }

    private static byte[] contentOf(String entry) {
        return ("content of " + entry).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytesOf(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream("/" + c.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }
}
