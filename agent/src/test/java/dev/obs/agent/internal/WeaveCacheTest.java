package dev.obs.agent.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeaveCacheTest {
    private static final String FP = "0123456789abcdef";
    private static final byte[] ORIGINAL = "original class file".getBytes(StandardCharsets.UTF_8);
    private static final byte[] WOVEN = "woven class file".getBytes(StandardCharsets.UTF_8);

    @Test
    void whatWasWovenIsFoundByTheNextRunOnlyForTheSameBytes(@TempDir Path tmp) throws IOException {
        Path root = tmp.resolve("cache");
        WeaveCache first = WeaveCache.open(root, FP);
        assertEquals(0, first.size());
        assertSame(WeaveCache.MISS, first.lookup("com.acme.A", ORIGINAL));
        first.remember("com.acme.A", ORIGINAL, WOVEN);
        first.remember("com.acme.B", ORIGINAL, null);
        assertArrayEquals(WOVEN, first.lookup("com.acme.A", ORIGINAL), "seen at once in this run");
        first.persistPending();

        WeaveCache second = WeaveCache.open(root, FP);
        assertEquals(2, second.size());
        assertArrayEquals(WOVEN, second.lookup("com.acme.A", ORIGINAL.clone()));
        assertNull(second.lookup("com.acme.B", ORIGINAL), "known to stay unchanged");
        byte[] changed = ORIGINAL.clone();
        changed[3] ^= 1;
        assertSame(WeaveCache.MISS, second.lookup("com.acme.A", changed), "other bytes of the same class");
        assertSame(WeaveCache.MISS, second.lookup("com.acme.C", ORIGINAL), "other class, same bytes");
        assertEquals(0, WeaveCache.open(root, "fedcba9876543210").size(), "other fingerprint");
    }

    @Test
    void twoVersionsOfOneClassAreKeptSideBySide(@TempDir Path tmp) throws IOException {
        byte[] other = "another version".getBytes(StandardCharsets.UTF_8);
        WeaveCache cache = WeaveCache.open(tmp.resolve("cache"), FP);
        cache.remember("com.acme.A", ORIGINAL, WOVEN);
        cache.remember("com.acme.A", other, ORIGINAL);
        cache.remember("com.acme.A", ORIGINAL, WOVEN);
        cache.persistPending();
        WeaveCache reread = WeaveCache.open(tmp.resolve("cache"), FP);
        assertEquals(2, reread.size());
        assertArrayEquals(WOVEN, reread.lookup("com.acme.A", ORIGINAL));
        assertArrayEquals(ORIGINAL, reread.lookup("com.acme.A", other));
    }

    @Test
    void tornOrCorruptEntriesAreIgnored(@TempDir Path tmp) throws IOException {
        Path root = tmp.resolve("cache");
        WeaveCache cache = WeaveCache.open(root, FP);
        cache.remember("com.acme.A", ORIGINAL, WOVEN);
        cache.remember("com.acme.B", WOVEN, ORIGINAL);
        cache.remember("com.acme.C", "c".getBytes(StandardCharsets.UTF_8), WOVEN);
        cache.persistPending();
        List<Path> files = entries(root.resolve(FP));
        assertEquals(3, files.size());
        for (Path f : files) {
            byte[] record = Files.readAllBytes(f);
            String name = new String(record, StandardCharsets.ISO_8859_1);
            if (name.contains("com.acme.A")) {
                Files.write(f, java.util.Arrays.copyOf(record, record.length - 1)); // torn
            } else if (name.contains("com.acme.B")) {
                record[record.length / 2] ^= 0x40; // flipped bit
                Files.write(f, record);
            }
        }
        Files.write(root.resolve(FP).resolve("junk.bin"), new byte[] {1, 2, 3});
        WeaveCache reread = WeaveCache.open(root, FP);
        assertEquals(1, reread.size());
        assertSame(WeaveCache.MISS, reread.lookup("com.acme.A", ORIGINAL));
        assertSame(WeaveCache.MISS, reread.lookup("com.acme.B", WOVEN));
        assertArrayEquals(WOVEN, reread.lookup("com.acme.C", "c".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aRootOthersCanWriteToIsRefused(@TempDir Path tmp) throws IOException {
        Path root = Files.createDirectories(tmp.resolve("shared"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));
        IOException e = assertThrows(IOException.class, () -> WeaveCache.open(root, FP));
        assertTrue(e.getMessage().contains("writable by other users"), e.getMessage());

        Path file = Files.createFile(tmp.resolve("file"));
        assertTrue(assertThrows(IOException.class, () -> WeaveCache.open(file, FP)).getMessage()
                .contains("not a directory"));
    }

    @Test
    void aNewRootIsPrivate(@TempDir Path tmp) throws IOException {
        Path root = tmp.resolve("a/b/cache");
        WeaveCache.open(root, FP);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root)));
    }

    @Test
    void theLeastRecentlyUsedFingerprintsArePruned(@TempDir Path tmp) throws IOException {
        Path root = tmp.resolve("cache");
        for (int i = 0; i < WeaveCache.MAX_FINGERPRINTS + 2; i++) {
            String fp = String.format("%016x", i);
            WeaveCache c = WeaveCache.open(root, fp);
            c.remember("com.acme.A", ORIGINAL, WOVEN);
            c.persistPending();
            Files.setLastModifiedTime(root.resolve(fp), FileTime.fromMillis(1_000_000L * (i + 1)));
        }
        try (Stream<Path> dirs = Files.list(root)) {
            List<String> kept = dirs.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
            assertEquals(WeaveCache.MAX_FINGERPRINTS, kept.size(), kept.toString());
            assertFalse(kept.contains(String.format("%016x", 0)), "oldest pruned: " + kept);
            assertFalse(kept.contains(String.format("%016x", 1)), "second oldest pruned: " + kept);
        }
    }

    @Test
    void theFingerprintChangesWithObsJarAndSettings(@TempDir Path tmp) throws IOException {
        Path jar = jar(tmp.resolve("a.jar"), "x");
        String fp = WeaveCache.fingerprint(jar, "settings");
        assertTrue(fp.matches("[0-9a-f]{16}"), fp);
        assertEquals(fp, WeaveCache.fingerprint(jar(tmp.resolve("b.jar"), "x"), "settings"), "same content");
        assertFalse(fp.equals(WeaveCache.fingerprint(jar(tmp.resolve("c.jar"), "y"), "settings")), "other content");
        assertFalse(fp.equals(WeaveCache.fingerprint(jar, "other settings")), "other settings");
    }

    /**
     * A central directory larger than the buffer it is streamed through, and an end record further from the
     * file's end than the first tail read (a long comment): only the directory counts, all of it.
     */
    @Test
    void theFingerprintCoversALargeCentralDirectoryBehindALongComment(@TempDir Path tmp) throws IOException {
        String fp = WeaveCache.fingerprint(bigJar(tmp.resolve("a.jar"), "x", ""), "settings");
        assertEquals(fp, WeaveCache.fingerprint(bigJar(tmp.resolve("b.jar"), "x", "c".repeat(20_000)), "settings"),
                "a comment is not in the central directory");
        assertFalse(fp.equals(WeaveCache.fingerprint(bigJar(tmp.resolve("c.jar"), "y", "c".repeat(20_000)),
                "settings")), "the last entry's content, at the directory's end, changes it");
    }

    private static Path bigJar(Path path, String lastContent, String comment) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(path))) {
            for (int i = 0; i <= 2_000; i++) {
                JarEntry entry = new JarEntry("inst/dev/obs/some/package/C" + i + ".class");
                entry.setTime(1_700_000_000_000L);
                out.putNextEntry(entry);
                out.write((i == 2_000 ? lastContent : "class " + i).getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
            out.setComment(comment);
        }
        return path;
    }

    private static Path jar(Path path, String content) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(path))) {
            JarEntry entry = new JarEntry("inst/dev/obs/A.class");
            // a fixed time: two jars written either side of a (2 s, DOS) time step must still be equal
            entry.setTime(1_700_000_000_000L);
            out.putNextEntry(entry);
            out.write(content.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return path;
    }

    private static List<Path> entries(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".bin")).collect(Collectors.toList());
        }
    }
}
