package dev.obs.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;

/**
 * The short JGit program of {@link JGitStartupBenchmark}: in a fresh temp dir, {@code Git.init} and N
 * add+commit of a small file (default 5, as {@link JGitWorkload} commits), then {@code main} returns and the
 * JVM exits; obs's shutdown hook exports what was recorded. Prints {@code WORKLOAD_NANOS} (the JGit part's
 * wall time, on the main thread) and, from a shutdown hook of its own that first waits for obs's
 * ({@code obs-shutdown}, when the second argument is {@code agent}) to finish its last export,
 * {@code STARTUP_CPU_NANOS}: the CPU time of the whole process (every thread, the JIT and GC included, threads
 * that have ended too; {@code /proc/self/stat}, 10 ms clock ticks) from JVM start to that moment, and {@code THREAD_CPU <name> <nanos>} for each group of
 * threads still alive then ({@code /proc/self/task/<tid>/schedstat}, numbered names such as
 * {@code GC Thread#0} summed as {@code GC Thread#*}). {@code MAIN_START_NANOS}, {@code MAIN_END_NANOS} and
 * {@code FLUSHED_NANOS} are {@link System#nanoTime()} at those points (CLOCK_MONOTONIC on Linux, the same
 * clock in every process), so the parent can place them on its own time line.
 *
 * <pre>
 *   java [-javaagent:obs.jar ...] -cp benchmarks.jar dev.obs.bench.JGitStartupProgram [commits] [agent]
 * </pre>
 */
public final class JGitStartupProgram {
    private JGitStartupProgram() {
    }

    public static void main(String[] args) throws Exception {
        int commits = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        boolean agent = args.length > 1 && args[1].equals("agent");
        Runtime.getRuntime().addShutdownHook(new Thread("startup-probe") {
            @Override
            public void run() {
                report(agent);
            }
        });
        long t0 = System.nanoTime();
        System.out.println("MAIN_START_NANOS " + t0);
        JGitWorkload.hermetic();
        Path root = Files.createTempDirectory("obs-jgit-start");
        try (Git git = Git.init().setDirectory(root.toFile()).setInitialBranch("main").call()) {
            for (int i = 0; i < commits; i++) {
                JGitWorkload.commit(git, i);
            }
        } finally {
            JGitWorkload.delete(root);
        }
        long t1 = System.nanoTime();
        System.out.println("WORKLOAD_NANOS " + (t1 - t0));
        System.out.println("MAIN_END_NANOS " + t1);
    }

    /** Waits for obs's shutdown hook (when attached), then prints the process's CPU time and its threads'. */
    static void report(boolean agent) {
        if (agent) {
            awaitThread("obs-shutdown");
        }
        long cpu = processCpuNanos();
        long flushed = System.nanoTime();
        StringBuilder out = new StringBuilder();
        out.append("STARTUP_CPU_NANOS ").append(cpu).append('\n');
        out.append("FLUSHED_NANOS ").append(flushed).append('\n');
        for (Map.Entry<String, Long> e : threadCpu().entrySet()) {
            out.append("THREAD_CPU ").append(e.getKey()).append('\t').append(e.getValue()).append('\n');
        }
        System.out.print(out);
        System.out.flush();
    }

    /**
     * utime + stime of {@code /proc/self/stat} (clock ticks of 10 ms, what the OS MXBean reports on Linux), read
     * without the MXBean: its first call loads classes and a native library, and would cost this JVM more
     * when obs has not loaded them already.
     */
    private static long processCpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
        } catch (IOException | RuntimeException e) {
            return SpanLoad.processCpuNanos();
        }
    }

    /**
     * Joins the thread named {@code name}. Shutdown hooks are started one after another, so it may not be
     * running yet when this hook starts: it is looked for during 1 s.
     */
    private static void awaitThread(String name) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() < deadline) {
            ThreadGroup root = Thread.currentThread().getThreadGroup();
            while (root.getParent() != null) {
                root = root.getParent();
            }
            Thread[] threads = new Thread[root.activeCount() + 8];
            int n = root.enumerate(threads);
            for (int i = 0; i < n; i++) {
                Thread t = threads[i];
                if (t.getName().equals(name)) {
                    try {
                        t.join(10_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return;
                }
            }
            Thread.onSpinWait();
        }
        System.out.println("NO_THREAD " + name);
    }

    /** CPU nanoseconds of the live threads by name (digits after '#' folded into '*'). */
    private static Map<String, Long> threadCpu() {
        Map<String, Long> byName = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).trim()
                            .replaceAll("#\\d+", "#*").replaceAll("\\s+", "_");
                    String schedstat = Files.readString(task.resolve("schedstat"), StandardCharsets.UTF_8).trim();
                    long nanos = Long.parseLong(schedstat.split(" ")[0]);
                    byName.merge(name, nanos, Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            // no /proc: no breakdown
        }
        return byName;
    }
}
