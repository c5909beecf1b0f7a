package dev.obs.bench;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jgit.api.Git;

/**
 * Many short-lived threads, each doing a little observed work, in a child JVM ({@link ThreadsBenchmark}, and
 * the integration test of exact counts under thread churn):
 *
 * <pre>
 *   ThreadsWorkload virtual|platform TASKS fs|method|git SPREAD_SECONDS DIR
 * </pre>
 *
 * <ul>
 *   <li>{@code virtual}: TASKS tasks submitted to {@code Executors.newVirtualThreadPerTaskExecutor()} (JDK 21+,
 *       called reflectively: this class is compiled for 17), each doing its work and then sleeping 20 ms; with
 *       SPREAD_SECONDS &gt; 0 the submissions are spread evenly over that time (every 10 ms a batch);</li>
 *   <li>{@code platform}: TASKS platform threads started one after another, each started, doing its work
 *       and joined before the next starts (no sleep).</li>
 * </ul>
 * The work: {@code fs} reads {@code DIR/data/file.bin} (512 bytes) once with a {@code FileInputStream};
 * {@code method} calls {@link #traced} (configure {@code obs.methods.include=dev.obs.bench.ThreadsWorkload[traced]}),
 * which does the same read; {@code git} does the read and lists the branches of a JGit repository made in
 * {@code DIR/repo} before the tasks ({@code git branch list}).
 *
 * <p>The tasks start {@link #SETTLE_MILLIS} after the set-up. Prints {@code WORKLOAD_NANOS} (from the first
 * submission to the last task's end), {@code WORKLOAD_CPU_NANOS} (the process's CPU time in that span),
 * {@code THREAD_CPU_MS} (CPU of the live platform threads in that span, by name: where obs's share went),
 * {@code VM_THREAD_CPU_MS} (the same for the JVM's JIT compiler, GC and VM threads, from /proc),
 * {@code HEAP_AFTER_GC}
 * (heap used after the tasks and {@code System.gc()}, bytes), {@code VMHWM_KB} (peak resident set, from
 * {@code /proc/self/status}, at the end), {@code HEAP_COMMITTED_AT_END} (the heap G1 had committed when the last
 * task ended: whether it grew the heap, which decides most of the peak resident set) and
 * {@code ALLOCATED_BYTES} (what all threads allocated in the timed span), {@code TASKS_DONE} (the tasks that completed their work) and
 * {@code WINDOW_UPTIME_MS} (the timed span's start and end in JVM uptime, to place {@code -Xlog} lines
 * decorated with {@code uptime} against it).
 */
public final class ThreadsWorkload {
    public static final int FILE_BYTES = 512;
    /** Pause between the set-up and the first task, with and without the agent alike. */
    static final long SETTLE_MILLIS = 1_000;
    private static final AtomicLong DONE = new AtomicLong();
    private static File file;
    private static Git git;

    private ThreadsWorkload() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int tasks = Integer.parseInt(args[1]);
        String work = args[2];
        int spreadSeconds = Integer.parseInt(args[3]);
        Path dir = Path.of(args[4]);
        Path data = Files.createDirectories(dir.resolve("data"));
        file = data.resolve("file.bin").toFile();
        Files.write(file.toPath(), new byte[FILE_BYTES]);
        if (work.equals("git")) {
            git = Git.init().setDirectory(dir.resolve("repo").toFile()).setInitialBranch("main").call();
            Files.writeString(dir.resolve("repo/a.txt"), "a");
            git.add().addFilepattern("a.txt").call();
            git.commit().setMessage("one").setAuthor("obs", "obs@example.com").setCommitter("obs", "obs@example.com")
                    .setSign(false).call();
        }
        Runnable task = task(work, kind.equals("virtual"));
        // Start-up work still running on other threads (the JIT compiling premain's code, obs's weaver and
        // exporter threads starting; bench.sh startup measures them) would otherwise share the two cores
        // with the first tenths of a second of tasks: the timed part starts once it has settled.
        Thread.sleep(SETTLE_MILLIS);
        long cpu0 = processCpuNanos();
        long allocated0 = allocatedBytes();
        java.util.Map<String, Long> threadCpu0 = cpuByThread();
        java.util.Map<String, Long> vmCpu0 = cpuByTask();
        long uptime0 = ManagementFactory.getRuntimeMXBean().getUptime();
        long t0 = System.nanoTime();
        if (kind.equals("virtual")) {
            ExecutorService executor = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
                    .invoke(null);
            if (spreadSeconds <= 0) {
                for (int i = 0; i < tasks; i++) {
                    executor.execute(task);
                }
            } else {
                int batches = spreadSeconds * 100;
                int submitted = 0;
                for (int b = 1; b <= batches; b++) {
                    int upTo = (int) ((long) tasks * b / batches);
                    for (; submitted < upTo; submitted++) {
                        executor.execute(task);
                    }
                    long due = t0 + b * 10_000_000L;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
            }
            executor.shutdown();
            if (!executor.awaitTermination(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("tasks did not end");
            }
        } else if (kind.equals("platform")) {
            for (int i = 0; i < tasks; i++) {
                Thread t = new Thread(task);
                t.start();
                t.join();
            }
        } else {
            throw new IllegalArgumentException("virtual or platform: " + kind);
        }
        long elapsed = System.nanoTime() - t0;
        long uptime1 = ManagementFactory.getRuntimeMXBean().getUptime();
        long cpu = processCpuNanos() - cpu0;
        long allocated = allocatedBytes() - allocated0;
        long heapCommitted = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
        java.util.Map<String, Long> threadCpu = cpuByThread();
        java.util.Map<String, Long> vmCpu = cpuByTask();
        if (git != null) {
            git.close();
        }
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.println("WORKLOAD_NANOS " + elapsed);
        System.out.println("WORKLOAD_CPU_NANOS " + cpu);
        System.out.println(cpuLine("THREAD_CPU_MS", threadCpu0, threadCpu));
        System.out.println(cpuLine("VM_THREAD_CPU_MS", vmCpu0, vmCpu));
        System.out.println("HEAP_AFTER_GC " + heap);
        System.out.println("VMHWM_KB " + peakResidentKb());
        System.out.println("HEAP_COMMITTED_AT_END " + heapCommitted);
        System.out.println("ALLOCATED_BYTES " + allocated);
        System.out.println("TASKS_DONE " + DONE.get());
        System.out.println("WINDOW_UPTIME_MS " + uptime0 + " " + uptime1);
    }

    private static Runnable task(String work, boolean sleep) {
        Runnable body;
        switch (work) {
            case "fs":
                body = ThreadsWorkload::readOnce;
                break;
            case "method":
                body = ThreadsWorkload::traced;
                break;
            case "git":
                body = () -> {
                    readOnce();
                    try {
                        if (git.branchList().call().size() != 1) {
                            throw new IllegalStateException("one branch expected");
                        }
                    } catch (org.eclipse.jgit.api.errors.GitAPIException e) {
                        throw new IllegalStateException(e);
                    }
                };
                break;
            default:
                throw new IllegalArgumentException("fs, method or git: " + work);
        }
        return () -> {
            body.run();
            DONE.incrementAndGet();
            if (sleep) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    /** The traced method of {@code work=method}. */
    static void traced() {
        readOnce();
    }

    private static void readOnce() {
        byte[] buffer = new byte[FILE_BYTES];
        try (FileInputStream in = new FileInputStream(file)) {
            if (in.read(buffer) != FILE_BYTES) {
                throw new IllegalStateException("short read");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** CPU time of each live platform thread, by name (pool workers, the carriers of virtual threads, as one). */
    private static java.util.Map<String, Long> cpuByThread() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        java.util.Map<String, Long> cpu = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null) {
                long nanos = mx.getThreadCpuTime(info.getThreadId());
                String name = info.getThreadName().replaceAll("-\\d+$", "-N").replace(' ', '_');
                cpu.merge(name, Math.max(0, nanos), Long::sum);
            }
        }
        return cpu;
    }

    /** {@code label name=ms ...}: the CPU each name used between the two readings, names with 1 ms or more. */
    private static String cpuLine(String label, java.util.Map<String, Long> before, java.util.Map<String, Long> after) {
        StringBuilder line = new StringBuilder(label);
        after.forEach((name, nanos) -> {
            long ms = (nanos - before.getOrDefault(name, 0L)) / 1_000_000;
            if (ms > 0) {
                line.append(' ').append(name).append('=').append(ms);
            }
        });
        return line.toString();
    }

    /**
     * CPU time of the JVM's own threads (the JIT compilers, the GC workers), which the thread MXBean does not
     * list: {@code /proc/self/task/<tid>/schedstat} by {@code comm}, numbers folded ({@code GC Thread#N}).
     * Empty where /proc is not there.
     */
    private static java.util.Map<String, Long> cpuByTask() {
        java.util.Map<String, Long> cpu = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    if (name.startsWith("C1 ") || name.startsWith("C2 ") || name.startsWith("GC ")
                            || name.startsWith("G1 ") || name.startsWith("VM ")) {
                        long nanos = Long.parseLong(Files.readString(task.resolve("schedstat")).split(" ")[0]);
                        cpu.merge(name.replaceAll("#?\\d+$", "#N").replace(' ', '_'), nanos, Long::sum);
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended
                }
            }
        } catch (IOException e) {
            // no /proc
        }
        return cpu;
    }

    /** CPU time of every thread of the process (obs's, the JIT's and the GC's included). */
    /** Bytes allocated by all threads so far, virtual ones included (HotSpot's running total). */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long peakResidentKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
            }
        }
        return -1;
    }
}
