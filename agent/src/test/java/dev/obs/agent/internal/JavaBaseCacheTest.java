package dev.obs.agent.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaBaseCacheTest {
    private static final String HOOKS = "java.io.FileInputStream [read] ...";
    private static final byte[] ORIGINAL = "original class file".getBytes(StandardCharsets.UTF_8);
    private static final byte[] WOVEN = "woven class file".getBytes(StandardCharsets.UTF_8);

    /** Writes one run's weaves under root: the original bytes woven, another class left unchanged. */
    private static JavaBaseCache firstRun(Path root, File obsJar) {
        JavaBaseCache first = JavaBaseCache.of(root, obsJar, HOOKS);
        first.load();
        assertSame(JavaBaseCache.MISS, first.lookup("java/io/File", ORIGINAL), "nothing before the first run");
        first.remember("java/io/File", ORIGINAL, WOVEN);
        first.remember("java/io/FileDescriptor", ORIGINAL, null);
        assertArrayEquals(WOVEN, first.lookup("java/io/File", ORIGINAL), "seen at once in this run");
        first.persist();
        return first;
    }

    private static File jar(Path tmp) throws IOException {
        Path jar = tmp.resolve("obs.jar");
        Files.write(jar, new byte[] {1, 2, 3});
        return jar.toFile();
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.collect(Collectors.toList());
        }
    }

    @Test
    void theNextRunFindsTheWovenBytesOnlyForTheSameOriginal(@TempDir Path tmp) throws IOException {
        Path root = tmp.resolve("cache");
        File obsJar = jar(tmp);
        firstRun(root, obsJar);

        JavaBaseCache second = JavaBaseCache.of(root, obsJar, HOOKS);
        second.load();
        byte[] changed = ORIGINAL.clone();
        changed[3] ^= 1;
        assertSame(JavaBaseCache.MISS, second.lookup("java/io/File", changed), "other bytes of the same class");
        assertArrayEquals(WOVEN, second.lookup("java/io/File", ORIGINAL.clone()));
        assertNull(second.lookup("java/io/FileDescriptor", ORIGINAL), "known to stay unchanged");
        assertSame(JavaBaseCache.MISS, second.lookup("java/io/RandomAccessFile", ORIGINAL), "other class");
        assertEquals(1, files(root).size(), "one file, no temporary file left: " + files(root));
    }

    @Test
    void otherHooksOrAnotherObsJarDoNotSeeTheFile(@TempDir Path tmp) throws IOException {
        Path root = tmp.resolve("cache");
        File obsJar = jar(tmp);
        firstRun(root, obsJar);

        JavaBaseCache sameKey = JavaBaseCache.of(root, obsJar, HOOKS);
        sameKey.load();
        assertArrayEquals(WOVEN, sameKey.lookup("java/io/File", ORIGINAL), "positive control: same key");
        JavaBaseCache otherHooks = JavaBaseCache.of(root, obsJar, HOOKS + " changed");
        otherHooks.load();
        assertSame(JavaBaseCache.MISS, otherHooks.lookup("java/io/File", ORIGINAL), "other hooks");
        Files.write(obsJar.toPath(), new byte[] {1, 2, 3, 4});
        JavaBaseCache rebuilt = JavaBaseCache.of(root, obsJar, HOOKS);
        rebuilt.load();
        assertSame(JavaBaseCache.MISS, rebuilt.lookup("java/io/File", ORIGINAL), "obs.jar changed");
    }

    @Test
    void aCorruptFileIsIgnored(@TempDir Path tmp) throws IOException {
        Path root = tmp.resolve("cache");
        File obsJar = jar(tmp);
        firstRun(root, obsJar);
        Path file = files(root).get(0);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long middle = f.length() / 2;
            f.seek(middle);
            int b = f.read();
            f.seek(middle);
            f.write(b ^ 0x40);
        }
        JavaBaseCache reread = JavaBaseCache.of(root, obsJar, HOOKS);
        reread.load();
        assertSame(JavaBaseCache.MISS, reread.lookup("java/io/File", ORIGINAL));
        assertSame(JavaBaseCache.MISS, reread.lookup("java/io/FileDescriptor", ORIGINAL));
    }

    @Test
    void aTruncatedFileIsIgnored(@TempDir Path tmp) throws IOException {
        Path root = tmp.resolve("cache");
        File obsJar = jar(tmp);
        Path file = writtenAndReadBack(root, obsJar);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() - 1);
        }
        JavaBaseCache reread = JavaBaseCache.of(root, obsJar, HOOKS);
        reread.load();
        assertSame(JavaBaseCache.MISS, reread.lookup("java/io/File", ORIGINAL));
    }

    @Test
    void aFileWithBytesAfterItsChecksumIsIgnored(@TempDir Path tmp) throws IOException {
        Path root = tmp.resolve("cache");
        File obsJar = jar(tmp);
        Path file = writtenAndReadBack(root, obsJar);
        Files.write(file, new byte[8], java.nio.file.StandardOpenOption.APPEND);
        JavaBaseCache reread = JavaBaseCache.of(root, obsJar, HOOKS);
        reread.load();
        assertSame(JavaBaseCache.MISS, reread.lookup("java/io/File", ORIGINAL));
    }

    /** The positive control of the two above: the file as written is read. */
    private static Path writtenAndReadBack(Path root, File obsJar) throws IOException {
        firstRun(root, obsJar);
        JavaBaseCache whole = JavaBaseCache.of(root, obsJar, HOOKS);
        whole.load();
        assertNotSame(JavaBaseCache.MISS, whole.lookup("java/io/File", ORIGINAL), "the intact file is read");
        return files(root).get(0);
    }

    /** Served entries are dropped from memory, not from the file: a later write keeps them. */
    @Test
    void anEntryIsServedOnceAndStillWrittenBackByALaterPersist(@TempDir Path tmp) throws IOException {
        Path root = tmp.resolve("cache");
        File obsJar = jar(tmp);
        firstRun(root, obsJar);
        JavaBaseCache second = JavaBaseCache.of(root, obsJar, HOOKS);
        second.load();
        assertArrayEquals(WOVEN, second.lookup("java/io/File", ORIGINAL), "served from the file");
        assertSame(JavaBaseCache.MISS, second.lookup("java/io/File", ORIGINAL), "not held once served");
        second.remember("java/io/RandomAccessFile", ORIGINAL, WOVEN);
        second.persist();

        JavaBaseCache third = JavaBaseCache.of(root, obsJar, HOOKS);
        third.load();
        assertArrayEquals(WOVEN, third.lookup("java/io/File", ORIGINAL), "served before the write, still written");
        assertNull(third.lookup("java/io/FileDescriptor", ORIGINAL), "never served, still written");
        assertArrayEquals(WOVEN, third.lookup("java/io/RandomAccessFile", ORIGINAL), "woven in the second run");
    }

    @Test
    void aRootOthersMayWriteToIsNotRead(@TempDir Path tmp) throws IOException {
        Path root = tmp.resolve("cache");
        File obsJar = jar(tmp);
        firstRun(root, obsJar);
        JavaBaseCache control = JavaBaseCache.of(root, obsJar, HOOKS);
        control.load();
        assertArrayEquals(WOVEN, control.lookup("java/io/File", ORIGINAL), "positive control: private root");

        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));
        JavaBaseCache shared = JavaBaseCache.of(root, obsJar, HOOKS);
        shared.load();
        assertSame(JavaBaseCache.MISS, shared.lookup("java/io/File", ORIGINAL));
    }

    @Test
    void entriesOfClassesNotLoadedInALaterRunAreKept(@TempDir Path tmp) throws IOException {
        Path root = tmp.resolve("cache");
        File obsJar = jar(tmp);
        firstRun(root, obsJar);
        JavaBaseCache second = JavaBaseCache.of(root, obsJar, HOOKS);
        second.load();
        second.remember("java/lang/ProcessBuilder", WOVEN, ORIGINAL);
        second.persist();

        JavaBaseCache third = JavaBaseCache.of(root, obsJar, HOOKS);
        third.load();
        assertArrayEquals(WOVEN, third.lookup("java/io/File", ORIGINAL), "from the first run");
        assertArrayEquals(ORIGINAL, third.lookup("java/lang/ProcessBuilder", WOVEN), "from the second");
    }

    @Test
    void aWriteDeletesTemporaryFilesAKilledWriterLeftAnHourAgo(@TempDir Path tmp) throws IOException {
        Path root = tmp.resolve("cache");
        File obsJar = jar(tmp);
        firstRun(root, obsJar);
        String name = files(root).get(0).getFileName().toString();
        Path abandoned = Files.write(root.resolve(name + ".1234-abcd.tmp"), new byte[] {1});
        Path recent = Files.write(root.resolve(name + ".5678-ef01.tmp"), new byte[] {1});
        Path otherFile = Files.write(root.resolve("unrelated.tmp"), new byte[] {1});
        FileTime twoHoursAgo = FileTime.fromMillis(System.currentTimeMillis() - 7_200_000L);
        Files.setLastModifiedTime(abandoned, twoHoursAgo);
        Files.setLastModifiedTime(otherFile, twoHoursAgo);

        JavaBaseCache second = JavaBaseCache.of(root, obsJar, HOOKS);
        second.load();
        second.remember("java/lang/ProcessBuilder", WOVEN, ORIGINAL);
        second.persist();
        assertFalse(Files.exists(abandoned), "an hour old: deleted");
        assertTrue(Files.exists(recent), "maybe another JVM's write in progress: kept");
        assertTrue(Files.exists(otherFile), "not this cache's: kept");
    }
}
