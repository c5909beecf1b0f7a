package dev.obs.agent.internal;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.RandomAccessFile;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Adler32;
import java.util.zip.CRC32;

/**
 * Woven class files kept on disk between runs, so a JVM that loads the same classes as an earlier one
 * with the same obs.jar and the same instrumentation settings never starts Byte Buddy: weaving is a pure
 * function of the original class file, obs.jar and the settings, and a hit returns the earlier result.
 *
 * <p>Layout: {@code <root>/<fingerprint>/<entry>.bin}, the fingerprint covering every entry of obs.jar
 * (name, CRC, size) and the instrumentation settings. An entry holds the class name, the original class file
 * in full (a hit compares it byte for byte: no hash collision can ever hand a class someone else's bytes) and
 * the woven one, or a mark that the class is left unchanged, plus a CRC32 of the record; a torn or
 * corrupt file is ignored. Entries are written to a temporary file and moved into place, so JVMs sharing
 * the directory never read half an entry.
 *
 * <p>Only obs's own thread {@code obs-weaver} reads and writes files; application threads look up the
 * in-memory map and queue what they wove. The java.base classes the fs and process families weave are not
 * kept here: {@link JavaBaseWeaver} weaves them in premain, before this cache is read. The root must
 * belong to the user running the JVM and not be writable by others: class files from it are defined into
 * the application.
 */
final class WeaveCache {
    private static final int MAGIC = 0x4F425357; // "OBSW"
    /**
     * 2: CRC32 (with Adler-32 in the fingerprint) rather than CRC32C, whose class is not in the JDK's
     * class-data archive and builds its tables in interpreted code (about a millisecond of obs-weaver's CPU at
     * every start); JavaBaseCache made the same change.
     */
    private static final int FORMAT = 2;
    /** An entry's woven length when the class is left as it is. */
    private static final int UNCHANGED = -1;
    /** Bounds on what one fingerprint directory may grow to; beyond them nothing more is written. */
    static final int MAX_ENTRIES = 4096;
    static final long MAX_BYTES = 64L << 20;
    /** Fingerprint directories kept (other obs versions or settings); the least recently used go first. */
    static final int MAX_FINGERPRINTS = 8;

    /** What {@link #lookup} returns when the cache has no answer (the class must be woven). */
    static final byte[] MISS = new byte[0];

    private final Path dir;
    private final Map<String, Entry[]> entries = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Entry> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();
    private long bytesOnDisk;

    private record Entry(String name, byte[] original, byte[] woven) {
    }

    private WeaveCache(Path dir) {
        this.dir = dir;
    }

    /**
     * Opens (creating it if needed) the cache for this fingerprint under {@code root} and reads its entries.
     * Throws when the root cannot be used safely (not a directory, another owner, writable by others).
     */
    static WeaveCache open(Path root, String fingerprint) throws IOException {
        Path top = CacheRoot.prepare(root);
        Path dir = top.resolve(fingerprint);
        Files.createDirectories(dir);
        WeaveCache cache = new WeaveCache(dir);
        cache.load();
        touch(dir);
        pruneFingerprints(top, dir);
        return cache;
    }

    /** Entries read from disk or added since. */
    int size() {
        return count.get();
    }

    /**
     * The woven class file for these original bytes, {@code null} when the class is known to stay unchanged,
     * or {@link #MISS}.
     */
    byte[] lookup(String name, byte[] original) {
        Entry[] candidates = entries.get(name);
        if (candidates != null) {
            for (Entry e : candidates) {
                if (Arrays.equals(e.original, original)) {
                    return e.woven;
                }
            }
        }
        return MISS;
    }

    /** Remembers a weave (any thread) and queues it for {@link #persistPending()}. */
    void remember(String name, byte[] original, byte[] woven) {
        Entry e = new Entry(name, original.clone(), woven);
        if (add(e)) {
            pending.add(e);
        }
    }

    /** Writes queued entries; obs-weaver only. A failed write loses the entry for the next run, nothing else. */
    void persistPending() {
        // One writer at a time (obs-weaver, or the shutdown hook waiting for obs-weaver's write to finish);
        // not the lock of add(), which application threads take.
        synchronized (pending) {
            persistPendingLocked();
        }
    }

    private void persistPendingLocked() {
        for (Entry e; (e = pending.poll()) != null; ) {
            byte[] record = encode(e);
            if (count.get() > MAX_ENTRIES || bytesOnDisk + record.length > MAX_BYTES) {
                continue;
            }
            try {
                write(dir.resolve(fileName(e)), record);
                bytesOnDisk += record.length;
            } catch (IOException ignored) {
                // a read-only or full disk: this entry is woven again next time
            }
        }
    }

    /** Adds unless an entry with the same original bytes is there; synchronized: class loading is rare. */
    private synchronized boolean add(Entry e) {
        Entry[] old = entries.get(e.name);
        if (old == null) {
            entries.put(e.name, new Entry[] {e});
        } else {
            for (Entry o : old) {
                if (Arrays.equals(o.original, e.original)) {
                    return false;
                }
            }
            Entry[] grown = Arrays.copyOf(old, old.length + 1);
            grown[old.length] = e;
            entries.put(e.name, grown);
        }
        count.incrementAndGet();
        return true;
    }

    private void load() throws IOException {
        File[] files = dir.toFile().listFiles();
        if (files == null) {
            throw new IOException(dir + " cannot be listed");
        }
        long hourAgo = System.currentTimeMillis() - 3_600_000L;
        // every record is read into this one buffer (decode copies out what it keeps): not an array each
        byte[] buffer = new byte[0];
        for (File file : files) {
            String name = file.getName();
            if (name.endsWith(".tmp")) {
                // a JVM killed while writing an entry leaves its temporary file
                if (file.lastModified() < hourAgo) {
                    file.delete();
                }
            } else if (name.endsWith(".bin")) {
                int length;
                long size = file.length(); // not the channel's: FileChannelImpl is a hooked java.base class
                try (FileInputStream in = new FileInputStream(file)) {
                    if (size > Integer.MAX_VALUE - 8) {
                        continue;
                    }
                    if (size > buffer.length) {
                        buffer = new byte[(int) size];
                    }
                    length = in.readNBytes(buffer, 0, (int) size);
                    if (length != size || in.read() != -1) {
                        continue; // renamed over since: read again next time
                    }
                } catch (IOException e) {
                    continue;
                }
                Entry e = decode(buffer, length);
                if (e != null) {
                    add(e);
                    bytesOnDisk += length;
                }
            }
        }
    }

    private static byte[] encode(Entry e) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(e.original.length * 2 + 64);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeUTF(e.name);
            out.writeInt(e.original.length);
            out.write(e.original);
            out.writeInt(e.woven == null ? UNCHANGED : e.woven.length);
            if (e.woven != null) {
                out.write(e.woven);
            }
            CRC32 crc = new CRC32();
            crc.update(buffer.toByteArray());
            out.writeLong(crc.getValue());
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
        return buffer.toByteArray();
    }

    /** The entry, or null for anything that is not a whole, intact record of this format. */
    private static Entry decode(byte[] record, int length) {
        if (length < 8 + 2 + 4 + 4 + 8) {
            return null;
        }
        CRC32 crc = new CRC32();
        crc.update(record, 0, length - 8);
        if (crc.getValue() != ByteBuffer.wrap(record, length - 8, 8).getLong()) {
            return null;
        }
        try {
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(record, 0, length - 8));
            if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
                return null;
            }
            String name = in.readUTF();
            // a byte array's stream: available is what is left of the record
            byte[] original = readExactly(in, in.readInt(), in.available());
            int wovenLength = in.readInt();
            byte[] woven = wovenLength == UNCHANGED ? null : readExactly(in, wovenLength, in.available());
            return in.available() == 0 ? new Entry(name, original, woven) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * {@code length} bytes of {@code in} in one array of that size, filled in place: readNBytes reads past 8 KiB
     * in chunks and copies them together, twice a class file's size of garbage. A length past the {@code left}
     * bytes of the record or file is no entry of it. The java.base cache reads its class files with it too.
     */
    static byte[] readExactly(DataInputStream in, int length, long left) throws IOException {
        if (length < 0 || length > left) {
            throw new java.io.EOFException();
        }
        byte[] b = new byte[length];
        in.readFully(b);
        return b;
    }

    private static String fileName(Entry e) {
        CRC32 crc = new CRC32();
        crc.update(e.original);
        return Long.toHexString(crc.getValue()) + "-" + Integer.toHexString(e.original.length) + "-"
                + Integer.toHexString(e.name.hashCode()) + ".bin";
    }

    private static void write(Path target, byte[] record) throws IOException {
        File tmp = temporaryFileFor(target.toFile());
        try {
            try (FileOutputStream out = new FileOutputStream(tmp)) {
                out.write(record);
            }
            // rename(2): atomic, replaces an existing entry
            if (!tmp.renameTo(target.toFile())) {
                throw new IOException("cannot rename " + tmp + " to " + target);
            }
        } finally {
            tmp.delete();
        }
    }

    /**
     * A temporary file next to {@code target}, to be renamed onto it. Not {@code File.createTempFile}: its
     * SecureRandom loads the security providers, some 40 ms of obs-weaver's CPU in a run that writes its first
     * entry. The name is one no other JVM picks in practice (a clock reading and an identity hash); two writers
     * that still met would tear the file, which its checksum then rejects.
     */
    static File temporaryFileFor(File target) {
        return new File(target.getPath() + '.' + Long.toHexString(System.nanoTime()) + '-'
                + Integer.toHexString(System.identityHashCode(new Object())) + ".tmp");
    }

    private static void touch(Path dir) {
        try {
            Files.setLastModifiedTime(dir, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException ignored) {
            // only the pruning order depends on it
        }
    }

    /** Deletes the least recently used fingerprint directories beyond {@link #MAX_FINGERPRINTS}. */
    private static void pruneFingerprints(Path top, Path current) {
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(top)) {
            for (Path child : children) {
                if (!child.equals(current) && isFingerprint(child.getFileName().toString())
                        && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                    dirs.add(child);
                }
            }
            if (dirs.size() < MAX_FINGERPRINTS) {
                return;
            }
            dirs.sort((a, b) -> Long.compare(lastModified(b), lastModified(a)));
            for (Path old : dirs.subList(MAX_FINGERPRINTS - 1, dirs.size())) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(old)) {
                    for (Path f : files) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(old);
            }
        } catch (IOException ignored) {
            // best effort: another JVM may be pruning the same directory
        }
    }

    /** 16 lower-case hex digits (by hand: a regex compiled at every start costs obs-weaver a millisecond). */
    private static boolean isFingerprint(String name) {
        if (name.length() != 16) {
            return false;
        }
        for (int i = 0; i < 16; i++) {
            char c = name.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static long lastModified(Path p) {
        try {
            return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * A 16-hex-digit fingerprint of obs.jar and the instrumentation settings. For obs.jar it hashes the
     * jar's central directory, which lists every entry's name, CRC and size (any change to obs changes
     * it), read straight from the file: a millisecond, where walking the entries through {@code JarFile} takes tens.
     */
    static String fingerprint(Path agentJar, String settings) throws IOException {
        Adler32 crc = new Adler32();
        // a second, independent checksum rather than Arrays.hashCode: CRC32 is an intrinsic even in the
        // interpreter, where hashing half a megabyte of central directory element by element took ~5 ms of
        // obs-weaver's CPU at every start (and an OSR compilation); Adler-32 is native code too
        CRC32 crc32 = new CRC32();
        long length = checksumCentralDirectory(agentJar, crc, crc32);
        long h = 0x9E3779B97F4A7C15L;
        h = mix(h, crc.getValue());
        h = mix(h, length);
        h = mix(h, crc32.getValue());
        byte[] s = settings.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        h = mix(h, Arrays.hashCode(s));
        crc.update(s);
        return hex8((int) (h ^ (h >>> 32))) + hex8((int) crc.getValue());
    }

    /** Bytes of a zip file's end read first: the end of central directory record of a zip with no comment. */
    private static final int SHORT_TAIL = 8 << 10;

    /**
     * Feeds the central directory of a zip file (the whole file when it is not a plain, non-zip64 zip) to both
     * checksums, through one small buffer rather than an array of its size (a quarter of a megabyte for
     * obs.jar, garbage at every start); returns its length.
     */
    static long checksumCentralDirectory(Path zip, Adler32 adler, CRC32 crc) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(zip.toFile(), "r")) {
            long size = file.length();
            // the record is searched from the end: found in the short tail, it is the one the long tail has
            // nearest its end too
            byte[] buffer = new byte[(int) Math.min(size, SHORT_TAIL)];
            long found = endOfCentralDirectory(file, size, buffer);
            if (found == -1 && size > SHORT_TAIL) {
                buffer = new byte[(int) Math.min(size, 22 + 0xFFFF)];
                found = endOfCentralDirectory(file, size, buffer);
            }
            long from = 0;
            long length = size;
            if (found != -1) {
                from = found >>> 32;
                length = found & 0xFFFFFFFFL;
            } else if (size > Integer.MAX_VALUE - 8) {
                throw new IOException(zip + " is too large");
            }
            file.seek(from);
            for (long left = length; left > 0; ) {
                int n = (int) Math.min(left, buffer.length);
                file.readFully(buffer, 0, n);
                adler.update(buffer, 0, n);
                crc.update(buffer, 0, n);
                left -= n;
            }
            return length;
        }
    }

    /**
     * The central directory's offset (high 32 bits) and size (low 32) from the end of central directory record
     * in the last {@code tail.length} bytes of the file, or -1 when there is none there or it is not usable (no real record packs to -1: both
     * would be 0xFFFFFFFF, the zip64 marks).
     */
    private static long endOfCentralDirectory(RandomAccessFile file, long size, byte[] tail) throws IOException {
        int n = tail.length;
        file.seek(size - n);
        file.readFully(tail, 0, n);
        ByteBuffer le = ByteBuffer.wrap(tail, 0, n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = n - 22; i >= 0; i--) {
            if (le.getInt(i) == 0x06054b50) { // end of central directory record
                long cdSize = le.getInt(i + 12) & 0xFFFFFFFFL;
                long cdOffset = le.getInt(i + 16) & 0xFFFFFFFFL;
                if (cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL || cdOffset + cdSize > size) {
                    return -1;
                }
                return cdOffset << 32 | cdSize;
            }
        }
        return -1;
    }

    private static String hex8(int v) {
        String s = Integer.toHexString(v);
        return "00000000".substring(s.length()) + s;
    }

    private static long mix(long h, long v) {
        long x = (h ^ v) * 0xBF58476D1CE4E5B9L;
        return x ^ (x >>> 31);
    }
}
