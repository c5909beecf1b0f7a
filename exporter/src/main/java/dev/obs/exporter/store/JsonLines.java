package dev.obs.exporter.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Line access to a store file without parsing JSON: lines as byte ranges, the time of a line found by a byte
 * search, and the last line of a file read from its end. A line that cannot be a whole request (it does not
 * start with '{' and end with '}', the mark of a write cut short when a JVM was killed) is reported as
 * damaged rather than parsed.
 */
final class JsonLines {
    private static final byte[] TIME_KEY = "\"timeUnixNano\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] START_KEY = "\"startTimeUnixNano\":\"".getBytes(StandardCharsets.US_ASCII);

    interface LineVisitor {
        /** Returns false to stop reading the file. */
        boolean line(byte[] buf, int off, int len) throws IOException;
    }

    private JsonLines() {
    }

    /** Calls {@code visitor} for each non-empty line; a last line without its newline is passed too. */
    static void forEach(Path file, LineVisitor visitor) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            int start = 0;
            int end = 0;
            while (true) {
                if (end == buf.length) {
                    if (start > 0) {
                        System.arraycopy(buf, start, buf, 0, end - start);
                        end -= start;
                        start = 0;
                    } else {
                        buf = Arrays.copyOf(buf, buf.length * 2);
                    }
                }
                int n = in.read(buf, end, buf.length - end);
                if (n < 0) {
                    if (end > start) {
                        visitor.line(buf, start, end - start);
                    }
                    return;
                }
                int scan = end;
                end += n;
                for (int i = scan; i < end; i++) {
                    if (buf[i] == '\n') {
                        if (i > start && !visitor.line(buf, start, i - start)) {
                            return;
                        }
                        start = i + 1;
                    }
                }
            }
        }
    }

    /** The last non-empty line of a file, or null for an empty file. */
    static byte[] lastLine(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            long end = length;
            // leave out trailing newlines
            while (end > 0) {
                raf.seek(end - 1);
                if (raf.read() != '\n') {
                    break;
                }
                end--;
            }
            if (end == 0) {
                return null;
            }
            int chunk = 64 * 1024;
            long from = end;
            while (from > 0) {
                long readFrom = Math.max(0, from - chunk);
                byte[] part = new byte[(int) (from - readFrom)];
                raf.seek(readFrom);
                raf.readFully(part);
                for (int i = part.length - 1; i >= 0; i--) {
                    if (part[i] == '\n') {
                        return readRange(raf, readFrom + i + 1, end);
                    }
                }
                from = readFrom;
                chunk = Math.min(chunk * 2, 16 << 20);
            }
            return readRange(raf, 0, end);
        }
    }

    private static byte[] readRange(RandomAccessFile raf, long from, long to) throws IOException {
        byte[] line = new byte[(int) (to - from)];
        raf.seek(from);
        raf.readFully(line);
        return line;
    }

    /** True when the line can be a whole JSON object; false for a line cut short or garbage. */
    static boolean looksWhole(byte[] buf, int off, int len) {
        int last = off + len - 1;
        while (last > off && (buf[last] == '\r' || buf[last] == ' ')) {
            last--;
        }
        return len > 1 && buf[off] == '{' && buf[last] == '}';
    }

    /** The first {@code timeUnixNano} of a metrics line (its collection time), or -1. */
    static long metricsTime(byte[] buf, int off, int len) {
        return numberAfter(buf, off, len, TIME_KEY);
    }

    /** The first {@code startTimeUnixNano} of a traces line, or -1. */
    static long firstStart(byte[] buf, int off, int len) {
        return numberAfter(buf, off, len, START_KEY);
    }

    static boolean contains(byte[] buf, int off, int len, byte[] needle) {
        return indexOf(buf, off, len, needle) >= 0;
    }

    private static long numberAfter(byte[] buf, int off, int len, byte[] key) {
        int at = indexOf(buf, off, len, key);
        if (at < 0) {
            return -1;
        }
        long v = 0;
        int end = off + len;
        int digits = 0;
        for (int i = at + key.length; i < end && buf[i] >= '0' && buf[i] <= '9'; i++) {
            v = v * 10 + (buf[i] - '0');
            digits++;
        }
        return digits == 0 ? -1 : v;
    }

    private static int indexOf(byte[] buf, int off, int len, byte[] needle) {
        byte first = needle[0];
        int max = off + len - needle.length;
        outer:
        for (int i = off; i <= max; i++) {
            if (buf[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (buf[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
