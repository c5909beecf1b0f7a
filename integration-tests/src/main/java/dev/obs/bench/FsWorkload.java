package dev.obs.bench;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The fixed file workload of {@code scripts/bench.sh fsworkload} ({@link FsOverheadBenchmark} runs it in
 * child JVMs with no agent, with obs and with JFR): write {@code files} files of {@code size} bytes (default
 * 100 000 of 4 KiB, 100 directories of 1 000), each with {@code new FileOutputStream}, one
 * {@code write(byte[])} and {@code close}; then read them all back, each with {@code new FileInputStream}
 * and {@code read(byte[])} until end of file (one read with the data, one returning -1).
 *
 * <p>Before the timed part, an untimed warm-up writes and reads {@code warmup} files (default 2 000) in a
 * separate directory, the same code, so every variant starts the timed part with the same JIT state (obs
 * counts from the first line of {@code main}, the warm-up too; its start-up is not in the figure, the
 * start-up benchmark measures it). JFR's own start-up happens before {@code main}.
 *
 * <p>Prints {@code PHASE write|read <nanos>}, {@code CHECK ...}, {@code WORKLOAD_CPU_NANOS <n>} (CPU time of
 * the whole process, every thread, over the timed part) and {@code WORKLOAD_NANOS <n>}: wall time of the
 * timed writes and reads (JVM start-up, the warm-up, directory creation and deletion excluded). Exit 1 when
 * a file does not read back as written.
 *
 * <pre>
 *   java -cp integration-tests/target/benchmarks.jar dev.obs.bench.FsWorkload &lt;dir&gt; [files] [size] [warmup]
 * </pre>
 * {@code dir} must not exist or be empty; it is created, filled ({@code dir/data}, {@code dir/warm}) and
 * deleted.
 */
public final class FsWorkload {
    static final int DEFAULT_FILES = 100_000;
    static final int DEFAULT_SIZE = 4096;
    static final int DEFAULT_WARMUP = 2_000;
    static final int PER_DIRECTORY = 1_000;

    private FsWorkload() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: FsWorkload <dir> [files] [size] [warmup]");
            System.exit(2);
        }
        Path root = Path.of(args[0]).toAbsolutePath();
        int files = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_FILES;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT_SIZE;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : DEFAULT_WARMUP;
        int status;
        try {
            status = run(root, files, size, warmup);
        } finally {
            JGitWorkload.delete(root);
        }
        System.out.flush();
        System.exit(status);
    }

    static int run(Path root, int files, int size, int warmup) throws Exception {
        byte[] block = new byte[size];
        for (int i = 0; i < size; i++) {
            block[i] = (byte) (i * 31 + 7);
        }
        byte[] buffer = new byte[Math.max(size, 1)];

        File[] warm = layout(root.resolve("warm"), warmup);
        writeAll(warm, block);
        long warmBytes = readAll(warm, buffer, block);
        File[] data = layout(root.resolve("data"), files);

        long cpu0 = SpanLoad.processCpuNanos();
        long t0 = System.nanoTime();
        writeAll(data, block);
        long t1 = System.nanoTime();
        long bytes = readAll(data, buffer, block);
        long t2 = System.nanoTime();
        long cpu = SpanLoad.processCpuNanos() - cpu0;

        boolean ok = bytes == (long) files * size && warmBytes == (long) warmup * size;
        System.out.println("PHASE write " + (t1 - t0));
        System.out.println("PHASE read " + (t2 - t1));
        System.out.println("CHECK files=" + files + " size=" + size + " bytesRead=" + bytes + " warmup=" + warmup
                + " data=" + root.resolve("data") + (ok ? "" : " MISMATCH"));
        System.out.println("WORKLOAD_CPU_NANOS " + cpu);
        System.out.println("WORKLOAD_NANOS " + (t2 - t0));
        return ok ? 0 : 1;
    }

    /** The files' names, {@code PER_DIRECTORY} a directory; the directories are created (untimed). */
    private static File[] layout(Path dir, int count) throws IOException {
        File[] out = new File[count];
        for (int i = 0; i < count; i++) {
            Path d = dir.resolve(String.format("d%03d", i / PER_DIRECTORY));
            if (i % PER_DIRECTORY == 0) {
                Files.createDirectories(d);
            }
            out[i] = d.resolve(String.format("f%06d", i)).toFile();
        }
        return out;
    }

    private static void writeAll(File[] files, byte[] block) throws IOException {
        for (File f : files) {
            try (FileOutputStream out = new FileOutputStream(f)) {
                out.write(block);
            }
        }
    }

    /** Reads every file to its end; returns the bytes read. Checks each file's first and last byte. */
    private static long readAll(File[] files, byte[] buffer, byte[] block) throws IOException {
        long total = 0;
        for (File f : files) {
            long length = 0;
            try (FileInputStream in = new FileInputStream(f)) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    length += n;
                }
            }
            if (length != block.length || block.length > 0
                    && (buffer[0] != block[0] || buffer[block.length - 1] != block[block.length - 1])) {
                throw new IOException(f + ": read " + length + " bytes, not as written");
            }
            total += length;
        }
        return total;
    }
}
