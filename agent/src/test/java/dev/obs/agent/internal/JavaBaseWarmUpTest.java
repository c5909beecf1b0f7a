package dev.obs.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link JavaBaseWarmUp}: its sample really goes through a whole weave (the woven class is defined, so verified,
 * and runs with its result unchanged), and a cache directory with a java.base file, whatever its key, skips it.
 */
class JavaBaseWarmUpTest {
    private static final String SAMPLE = JavaBaseWarmUp.SAMPLE.replace('/', '.');

    @Test
    void theWovenSampleVerifiesAndReturnsWhatTheSampleReturns() throws Exception {
        byte[] original = JavaBaseWarmUp.sample();
        byte[] woven = JavaBaseWarmUp.weaveSample();
        assertNotNull(woven, "the hook matched the sample's read method");
        assertTrue(woven.length > original.length, "hook calls and a handler were added");
        assertEquals(9, read(original, new byte[] {1, 2, 3, 4}, 1), "the sample as built");
        assertEquals(9, read(woven, new byte[] {1, 2, 3, 4}, 1), "the woven sample");
    }

    @Test
    void aJavaBaseCacheFileOfAnyKeyIsSeenAndOtherFilesAreNot(@TempDir Path root) throws Exception {
        assertFalse(JavaBaseCache.anyFileUnder(root.toFile()), "empty directory");
        Files.createFile(root.resolve("javabase-1a2b-3c.bin.5f-6e.tmp"));
        Files.createDirectory(root.resolve("0123456789abcdef"));
        assertFalse(JavaBaseCache.anyFileUnder(root.toFile()), "a temporary file and a weave cache directory");
        Files.createFile(root.resolve("javabase-1a2b-3c.bin"));
        assertTrue(JavaBaseCache.anyFileUnder(root.toFile()), "a java.base cache file");
        assertFalse(JavaBaseCache.anyFileUnder(new File(root.toFile(), "absent")), "no directory");
    }

    private static int read(byte[] classFile, byte[] b, int off) throws Exception {
        Class<?> c = new OneClassLoader(SAMPLE, classFile).loadClass(SAMPLE);
        Constructor<?> constructor = c.getDeclaredConstructor();
        constructor.setAccessible(true);
        Object sample = constructor.newInstance();
        java.lang.reflect.Method read = c.getMethod("read", byte[].class, int.class);
        read.setAccessible(true); // the sample class is not public
        return (int) read.invoke(sample, b, off);
    }
}
