package dev.obs.agent.internal;

import dev.obs.instrumentation.JavaBaseHook;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.nio.charset.StandardCharsets;
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The java.base classes {@link JavaBaseWeaver} wove in an earlier run of the same JDK with the same obs.jar,
 * kept in one small file of the weave cache root, so a later run hands the JVM the woven bytes in premain
 * without loading or running ASM (loading ASM's classes from obs.jar and interpreting it is most of the
 * 25-45 ms the weave costs; these few classes are not in the {@link WeaveCache}, which is opened after
 * premain because opening it costs tens of milliseconds of NIO and hashing).
 *
 * <p>The file is {@code <root>/javabase-<key>.bin}: the key covers {@code java.home}, the JVM's version,
 * obs.jar (path, size, modification time) and the hooks, and is stored in the file too, after its length and
 * CRC32, which are what a reader compares. An entry is the class's internal name, the length and two
 * checksums (CRC32 and Adler-32) of the original class file the JVM handed over, and the woven class file
 * (or a mark that the class stays as it is); the whole file ends with a CRC32 of the rest, so a torn or
 * corrupt file is ignored. It is read in one piece with a plain {@code FileInputStream} and written to a
 * temporary file that is then renamed, so JVMs sharing the root never read half a file. Like the weave
 * cache, it is only used under a root owned by the user running the JVM and not writable by others: its
 * class files are defined into java.base.
 *
 * <p>Threads: obs-weaver reads the file ({@link #load}) before it retransforms the classes loaded before
 * premain, and publishes the entries through a volatile field; an application thread that loads a covered
 * class later (ProcessBuilder, FileChannelImpl) reads them there. A miss is woven with ASM by the loading
 * thread and remembered in a concurrent map; obs-weaver (after its first retransformation) and the shutdown
 * hook write the file when there is something new, one writer at a time.
 */
final class JavaBaseCache {
    private static final int MAGIC = 0x4F42534A; // "OBSJ"
    /**
     * 2: CRC32 and Adler-32 rather than CRC32C (whose class, not in the JDK's class-data archive, builds its
     * tables in interpreted code: a millisecond of start-up), the key as length-prefixed UTF-8 after its CRC32:
     * a file is for this key when the key's length and CRC32 match (the whole file's CRC32 vouches for the
     * stored ones); comparing tens of kilobytes byte by byte, or decoding them with readUTF, costs
     * milliseconds in interpreted code.
     */
    private static final int FORMAT = 2;
    /** An entry's woven length when the class stays as it is. */
    private static final int UNCHANGED = -1;
    /** The file's name: this, the key's hash, this. */
    private static final String FILE_PREFIX = "javabase-";
    private static final String FILE_SUFFIX = ".bin";
    /** What {@link #lookup} returns when the file has no entry for these bytes. */
    static final byte[] MISS = new byte[0];

    private final Path root;
    private final File obsJar;
    /** The hooks' description, or null until {@link #resolveKey} describes {@link #hooks}. */
    private String hooksKey;
    private List<JavaBaseHook> hooks;
    /** Null until {@link #resolveKey}, which obs-weaver calls first (not premain: describing the hooks takes time). */
    private String key;
    private File file;
    /**
     * Entries read from the file and not yet served, by internal name; replaced once by {@link #load}. An entry
     * is served once, when its class is defined or retransformed at start, and dropped then: the JVM keeps the
     * class, and holding its woven bytes kept a quarter of a megabyte live for G1 to copy at every young GC
     * until promoted. A second retransform of the class (another agent) weaves it again, as without a cache.
     */
    private volatile Map<String, Entry> stored = new ConcurrentHashMap<>();
    /** Entries woven in this run and not yet written, by internal name. */
    private final Map<String, Entry> woven = new ConcurrentHashMap<>();

    private static final class Entry {
        final int originalLength;
        final long originalCrc32;
        final long originalAdler32;
        /** Null: the class stays as it is. */
        final byte[] woven;

        Entry(int originalLength, long originalCrc32, long originalAdler32, byte[] woven) {
            this.originalLength = originalLength;
            this.originalCrc32 = originalCrc32;
            this.originalAdler32 = originalAdler32;
            this.woven = woven;
        }

        static Entry of(byte[] original, byte[] woven) {
            return new Entry(original.length, crc32(original), adler32(original), woven);
        }

        boolean isFor(byte[] original) {
            return original.length == originalLength && crc32(original) == originalCrc32
                    && adler32(original) == originalAdler32;
        }
    }

    private JavaBaseCache(Path root, File obsJar, String hooksKey, List<JavaBaseHook> hooks) {
        this.root = root;
        this.obsJar = obsJar;
        this.hooksKey = hooksKey;
        this.hooks = hooks;
    }

    /**
     * The cache of this JDK, obs.jar and hooks under {@code root}; nothing is read yet. {@code hooksKey}
     * describes the hooks ({@link JavaBaseWeaver#describe}).
     */
    static JavaBaseCache of(Path root, File obsJar, String hooksKey) {
        return new JavaBaseCache(root, obsJar, hooksKey, null);
    }

    /** As {@link #of(Path, File, String)}, the hooks described only when the file is first read or written. */
    static JavaBaseCache of(Path root, File obsJar, List<JavaBaseHook> hooks) {
        return new JavaBaseCache(root, obsJar, null, hooks);
    }

    /** The key and the file's name; computed once, by the first {@link #load} or {@link #persist}. */
    private synchronized void resolveKey() {
        if (key != null) {
            return;
        }
        if (hooksKey == null) {
            hooksKey = JavaBaseWeaver.describe(hooks);
            hooks = null;
        }
        key = "java.home=" + System.getProperty("java.home")
                + "\njava.vm.version=" + System.getProperty("java.vm.version")
                + "\njava.runtime.version=" + System.getProperty("java.runtime.version")
                + "\nos.arch=" + System.getProperty("os.arch")
                + "\nobs.jar=" + obsJar.getPath() + ' ' + obsJar.length() + ' ' + obsJar.lastModified()
                + "\nhooks=" + hooksKey;
        file = root.resolve(FILE_PREFIX + hex(key) + FILE_SUFFIX).toFile();
    }

    /**
     * Whether {@code root} holds a file named as this class names its files, of any key (one directory
     * listing, no file read).
     */
    static boolean anyFileUnder(File root) {
        String[] names = root.list();
        if (names == null) {
            return false;
        }
        for (String name : names) {
            if (name.startsWith(FILE_PREFIX) && name.endsWith(FILE_SUFFIX)) {
                return true;
            }
        }
        return false;
    }

    /** Reads the file when there is one under a safe root; anything unreadable or foreign is ignored. */
    void load() {
        resolveKey();
        if (!file.isFile() || !CacheRoot.isSafe(root)) {
            return;
        }
        Map<String, Entry> entries = read();
        if (entries != null) {
            stored = entries;
        }
    }

    /** The file's entries, or null when it cannot be read or is not a whole, intact file of this key. */
    private Map<String, Entry> read() {
        Map<String, Entry> entries;
        // File.length, not the stream's channel: FileChannelImpl is a hooked java.base class, and loading it
        // here, before the cache is read, would weave it with ASM; a file renamed over between the two only
        // fails the checks (woven again)
        long length = file.length();
        try (FileInputStream in = new FileInputStream(file)) {
            entries = decode(in, length);
        } catch (IOException e) {
            return null;
        }
        return entries;
    }

    /**
     * The woven class file for these original bytes, {@code null} when the class stays as it is, or {@link #MISS};
     * an entry of the file is served once (see {@link #stored}), one woven in this run until it is written.
     */
    byte[] lookup(String internalName, byte[] original) {
        Entry e = stored.remove(internalName);
        if (e != null) {
            if (e.isFor(original)) {
                return e.woven;
            }
            stored.putIfAbsent(internalName, e); // other bytes (another agent's): not served
        }
        e = woven.get(internalName);
        return e != null && e.isFor(original) ? e.woven : MISS;
    }

    /** Remembers a weave of this run (any thread), written by the next {@link #persist}. */
    void remember(String internalName, byte[] original, byte[] wovenClass) {
        woven.put(internalName, Entry.of(original, wovenClass));
    }

    /**
     * Writes the file when this run wove something it did not have (obs-weaver or the shutdown hook). A failure
     * (read-only disk, unsafe root) only means the next run weaves again.
     */
    synchronized void persist() {
        if (woven.isEmpty()) {
            return;
        }
        resolveKey();
        // the served entries are no longer held: the file still has them (or another JVM's newer file)
        Map<String, Entry> all = new HashMap<>();
        Map<String, Entry> onDisk = file.isFile() && CacheRoot.isSafe(root) ? read() : null;
        if (onDisk != null) {
            all.putAll(onDisk);
        }
        all.putAll(stored);
        all.putAll(woven);
        try {
            CacheRoot.prepare(root);
            deleteAbandonedTemporaryFiles();
            File tmp = WeaveCache.temporaryFileFor(file);
            try {
                try (FileOutputStream out = new FileOutputStream(tmp)) {
                    encode(all, out);
                }
                // rename(2): atomic, replaces an earlier file
                if (!tmp.renameTo(file)) {
                    return;
                }
            } finally {
                tmp.delete();
            }
            woven.clear();
        } catch (IOException | RuntimeException e) {
            // woven again next time
        }
    }

    /** Temporary files of this key more than an hour old: a JVM killed while writing left them. */
    private void deleteAbandonedTemporaryFiles() {
        String prefix = file.getName() + '.';
        File[] files = root.toFile().listFiles();
        if (files == null) {
            return;
        }
        long hourAgo = System.currentTimeMillis() - 3_600_000L;
        for (File f : files) {
            String name = f.getName();
            if (name.startsWith(prefix) && name.endsWith(".tmp") && f.lastModified() < hourAgo) {
                f.delete();
            }
        }
    }

    /**
     * Writes the file through its checksum and an 8 KiB buffer: building it in a growing array first, then
     * copying that twice (checksum, write), was three times the file's size of garbage at each write.
     */
    private void encode(Map<String, Entry> entries, OutputStream file) throws IOException {
        BufferedOutputStream buffered = new BufferedOutputStream(file, 8 << 10);
        CRC32 crc = new CRC32();
        DataOutputStream out = new DataOutputStream(new CheckedOutputStream(buffered, crc));
        out.writeInt(MAGIC);
        out.writeInt(FORMAT);
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        out.writeInt(keyBytes.length);
        out.writeLong(crc32(keyBytes));
        out.write(keyBytes);
        out.writeInt(entries.size());
        for (Map.Entry<String, Entry> me : entries.entrySet()) {
            Entry e = me.getValue();
            out.writeUTF(me.getKey());
            out.writeInt(e.originalLength);
            out.writeLong(e.originalCrc32);
            out.writeLong(e.originalAdler32);
            out.writeInt(e.woven == null ? UNCHANGED : e.woven.length);
            if (e.woven != null) {
                out.write(e.woven);
            }
        }
        out.flush();
        // the checksum of everything before it, itself written past the checked stream
        new DataOutputStream(buffered).writeLong(crc.getValue());
        buffered.flush();
    }

    /**
     * The entries, or null for anything that is not a whole, intact file of this format and key. Read as a
     * stream through the checksum (an 8 KiB buffer) rather than into an array of the file's size first: the
     * woven classes are copied out anyway, and the whole file was a third of a megabyte of garbage at every
     * start. Nothing read is used before the checksum at the end has matched.
     */
    private Map<String, Entry> decode(InputStream file, long length) {
        if (length < 16 || length > Integer.MAX_VALUE) {
            return null;
        }
        long end = length - 8;
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        if (20 + keyBytes.length > end) {
            return null;
        }
        try {
            BufferedInputStream buffered = new BufferedInputStream(file, 8 << 10);
            CRC32 crc = new CRC32();
            Bounded checked = new Bounded(new CheckedInputStream(buffered, crc), end);
            DataInputStream in = new DataInputStream(checked);
            if (in.readInt() != MAGIC || in.readInt() != FORMAT || in.readInt() != keyBytes.length
                    || in.readLong() != crc32(keyBytes)) {
                return null;
            }
            in.readFully(new byte[keyBytes.length]);
            int n = in.readInt();
            Map<String, Entry> entries = new ConcurrentHashMap<>();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                int originalLength = in.readInt();
                long crc32 = in.readLong();
                long adler32 = in.readLong();
                int wovenLength = in.readInt();
                byte[] wovenClass = wovenLength == UNCHANGED ? null : WeaveCache.readExactly(in, wovenLength, checked.left);
                entries.put(name, new Entry(originalLength, crc32, adler32, wovenClass));
            }
            // the checksum's own 8 bytes come from below the checked stream, which stopped at end
            return checked.left == 0 && new DataInputStream(buffered).readLong() == crc.getValue() ? entries : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** At most {@code left} bytes of the stream below, all of them through {@code read} (no skip). */
    private static final class Bounded extends FilterInputStream {
        long left;

        Bounded(InputStream in, long left) {
            super(in);
            this.left = left;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return len == 0 ? 0 : -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) {
            return 0; // skipping would pass the checksum by; nothing here skips
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(left, in.available());
        }
    }

    private static long crc32(byte[] b) {
        return crc32(b, b.length);
    }

    private static long crc32(byte[] b, int length) {
        CRC32 c = new CRC32();
        c.update(b, 0, length);
        return c.getValue();
    }

    private static long adler32(byte[] b) {
        Adler32 c = new Adler32();
        c.update(b, 0, b.length);
        return c.getValue();
    }

    /**
     * The key's hash and length: a file name. Not a CRC: this runs in premain, and CRC32C is not in the JDK's
     * class-data archive. Two keys sharing a name only take turns writing it: the key's length and CRC32 are
     * checked in the file.
     */
    private static String hex(String key) {
        return Integer.toHexString(key.hashCode()) + "-" + Integer.toHexString(key.length());
    }
}
