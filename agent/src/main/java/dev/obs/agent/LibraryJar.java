package dev.obs.agent;

import dev.obs.agent.internal.CacheRoot;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * A library obs.jar carries as a jar of its own ({@code inst/lib/<name>.jar}, stored), opened the first time
 * a class or resource of its packages is asked for. The JDK cannot open a jar inside a jar, so the inner jar
 * is copied once to {@code <weave cache root>/lib/<name>-<crc>-<size>.jar}: named by the inner jar's CRC and
 * size, so another obs.jar never uses an old copy; written to a temporary name and renamed into place, so
 * JVMs starting together never open half a copy. When no cache directory can be used (none configured,
 * {@code obs.weave.cache.dir=off}, not writable or not private) the copy is a temporary file deleted at exit.
 *
 * <p>Why: the application class loader opens obs.jar for the launcher and indexes its whole central directory
 * before {@code main}, interpreted. Byte Buddy (a run whose classes all come from the weave cache never
 * weaves), OkHttp (the gRPC protocol only) and picocli (the command line only) were 3 700 of its 5 600
 * entries.
 */
final class LibraryJar {
    /** Copies of other obs.jars older than this are deleted when a new copy of the same library is written. */
    private static final long STALE_MILLIS = 24L * 3600 * 1000;

    private final String name;
    /** Entry-name prefixes ({@code dev/obs/shaded/okhttp3/}) of the library's classes and resources. */
    private final String[] prefixes;
    private final JarFile outer;
    private volatile JarFile jar;
    private volatile String jarUrl;

    LibraryJar(String name, String[] prefixes, JarFile outer) {
        this.name = name;
        this.prefixes = prefixes;
        this.outer = outer;
    }

    /**
     * Parses one line of {@code META-INF/obs-libraries.txt}, written by the build: the name, a space and the
     * library's Ant patterns ({@code dev/obs/shaded/okio/**}), comma-separated; null for a blank line.
     */
    static LibraryJar parse(String line, JarFile outer) {
        line = line.trim();
        int space = line.indexOf(' ');
        if (space < 0) {
            return null;
        }
        String[] patterns = line.substring(space + 1).trim().split(",");
        String[] prefixes = new String[patterns.length];
        for (int i = 0; i < patterns.length; i++) {
            String p = patterns[i].trim();
            prefixes[i] = p.endsWith("**") ? p.substring(0, p.length() - 2) : p;
        }
        return new LibraryJar(line.substring(0, space), prefixes, outer);
    }

    /** Whether the entry {@code path} (a class file or resource, without {@code inst/}) is this library's. */
    boolean holds(String path) {
        for (String prefix : prefixes) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The library's jar, copied out of obs.jar and opened on the first call. */
    JarFile jar() throws IOException {
        JarFile j = jar;
        if (j == null) {
            synchronized (this) {
                j = jar;
                if (j == null) {
                    j = open();
                    jar = j;
                }
            }
        }
        return j;
    }

    /** The URL of an entry of the (opened) library jar. */
    URL url(String path) throws IOException {
        jar();
        return new URL(jarUrl + path);
    }

    private JarFile open() throws IOException {
        String innerName = "inst/lib/" + name + ".jar";
        JarEntry inner = outer.getJarEntry(innerName);
        if (inner == null) {
            throw new IOException(innerName + " is missing from obs.jar");
        }
        String fileName = name + '-' + Long.toHexString(inner.getCrc()) + '-' + inner.getSize() + ".jar";
        Path root = cacheRoot();
        if (root != null) {
            try {
                return opened(cachedCopy(root, fileName, inner));
            } catch (IOException | RuntimeException unusable) {
                // not writable, not private, or a copy that does not open: a temporary copy instead
            }
        }
        File temp = File.createTempFile("obs-" + name + "-", ".jar");
        temp.deleteOnExit();
        copy(inner, temp);
        return opened(temp);
    }

    private JarFile opened(File copy) throws IOException {
        JarFile opened = new JarFile(copy, false);
        jarUrl = "jar:" + copy.toURI() + "!/";
        return opened;
    }

    /** The copy under {@code <root>/lib}, written now unless a complete one is there already. */
    private File cachedCopy(Path root, String fileName, JarEntry inner) throws IOException {
        // private like the root: a jar someone else could write to would be code in obs's class loader
        Path dir = CacheRoot.prepare(CacheRoot.prepare(root).resolve("lib"));
        File target = dir.resolve(fileName).toFile();
        if (target.isFile() && target.length() == inner.getSize()) {
            return target;
        }
        // a name no other JVM picks in practice, in a directory only this user can write to
        File temp = new File(dir.toFile(), fileName + '.' + Long.toHexString(System.nanoTime())
                + Integer.toHexString(System.identityHashCode(new Object())) + ".tmp");
        try {
            copy(inner, temp);
            if (!temp.renameTo(target)) { // rename(2): a JVM opening the name sees the old copy or this one
                throw new IOException("cannot rename " + temp + " to " + target);
            }
        } finally {
            temp.delete();
        }
        deleteStaleCopies(dir, fileName);
        return target;
    }

    /**
     * Writes the inner jar to {@code to} with java.io only: a class the file-system family weaves that this
     * loaded for the first time would be woven with ASM, from the Byte Buddy jar being opened here, by a
     * thread that may hold the lock of ASM's classes while it waits for this one. java.io's streams are loaded
     * before any agent starts; nio's {@code FileChannelImpl} (Files.copy) is not.
     */
    private void copy(JarEntry inner, File to) throws IOException {
        try (InputStream in = outer.getInputStream(inner); FileOutputStream out = new FileOutputStream(to)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
            }
        }
        if (to.length() != inner.getSize()) {
            throw new IOException(to + " is not " + inner.getSize() + " bytes long");
        }
    }

    /** Copies of this library from other obs.jars, and abandoned temporary files, untouched for a day. */
    private void deleteStaleCopies(Path dir, String current) {
        long staleBefore = System.currentTimeMillis() - STALE_MILLIS;
        File[] files = dir.toFile().listFiles();
        if (files == null) {
            return;
        }
        for (File f : files) {
            String n = f.getName();
            if (n.startsWith(name + '-') && !n.equals(current) && f.lastModified() < staleBefore) {
                f.delete(); // a JVM that has it open keeps reading it
            }
        }
    }

    /**
     * The weave cache's root as the agent reads {@code obs.weave.cache.dir} (property, then variable), null for
     * {@code off}. Read here, not from the agent's configuration: the command line has none, and a first run
     * needs ASM on obs-weaver before premain has read it.
     */
    private static Path cacheRoot() {
        String v = System.getProperty("obs.weave.cache.dir");
        if (v == null) {
            v = System.getenv("OBS_WEAVE_CACHE_DIR");
        }
        Path defaultRoot = CacheRoot.defaultRoot(System.getenv("XDG_CACHE_HOME"), System.getProperty("user.home"));
        try {
            return CacheRoot.configured(v == null ? null : v.trim(), defaultRoot);
        } catch (InvalidPathException e) {
            return defaultRoot; // as the agent does, which warns about it
        }
    }
}
