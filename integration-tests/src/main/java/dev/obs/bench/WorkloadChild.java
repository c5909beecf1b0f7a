package dev.obs.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run, to its end, of a workload main in a child JVM ({@link JGitWorkload}, {@link FsWorkload}): its
 * output, exit and wall time, and the figures it prints: {@code WORKLOAD_NANOS}, {@code WORKLOAD_CPU_NANOS},
 * {@code PHASE <name> <nanos>}, {@code CHECK <text>}, {@code REPEAT_NANOS <nanos>} and
 * {@code REPEAT_CPU_NANOS <nanos>}. Shared by the
 * benchmarks that alternate such children with and without the agent.
 */
final class WorkloadChild {
    final List<String> out = new ArrayList<>();
    final List<String> err = new ArrayList<>();
    final boolean exited;
    final int exitCode;
    final long wallNanos;
    long workloadNanos = -1;
    long cpuNanos = -1;
    final Map<String, Long> phases = new LinkedHashMap<>();
    String check = "";
    /** {@code REPEAT_NANOS}: the workload times of the runs after the first, in order. */
    final List<Long> repeats = new ArrayList<>();
    /** {@code REPEAT_CPU_NANOS}: the process CPU times (all threads) of the runs after the first, in order. */
    final List<Long> repeatCpus = new ArrayList<>();

    private WorkloadChild(ProcessBuilder pb, long timeoutSeconds, AtomicInteger receiverInFlight) throws Exception {
        long t0 = System.nanoTime();
        Process p = pb.start();
        Thread errPump = new Thread(() -> collect(p.getErrorStream(), err), "child-stderr");
        errPump.start();
        collect(p.getInputStream(), out);
        exited = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        wallNanos = System.nanoTime() - t0;
        if (!exited) {
            p.destroyForcibly();
        }
        exitCode = exited ? p.exitValue() : -1;
        errPump.join(5_000);
        // The agent's last export is answered before it exits; let a straggler finish anyway.
        for (int i = 0; i < 100 && receiverInFlight.get() > 0; i++) {
            Thread.sleep(10);
        }
        for (String line : out) {
            if (line.startsWith("WORKLOAD_NANOS ")) {
                workloadNanos = Long.parseLong(line.substring(15).trim());
            } else if (line.startsWith("WORKLOAD_CPU_NANOS ")) {
                cpuNanos = Long.parseLong(line.substring(19).trim());
            } else if (line.startsWith("PHASE ")) {
                String[] f = line.split(" ");
                phases.put(f[1], Long.parseLong(f[2]));
            } else if (line.startsWith("CHECK ")) {
                check = line.substring(6);
            } else if (line.startsWith("REPEAT_NANOS ")) {
                repeats.add(Long.parseLong(line.substring(13).trim()));
            } else if (line.startsWith("REPEAT_CPU_NANOS ")) {
                repeatCpus.add(Long.parseLong(line.substring(17).trim()));
            }
        }
    }

    /**
     * Starts {@code pb}, waits at most {@code timeoutSeconds} (then kills it), and waits for requests still in
     * flight at the benchmark's receiver.
     */
    static WorkloadChild run(ProcessBuilder pb, long timeoutSeconds, AtomicInteger receiverInFlight)
            throws Exception {
        return new WorkloadChild(pb, timeoutSeconds, receiverInFlight);
    }

    /** Exited 0 in time and printed its workload time. */
    boolean ok() {
        return exited && exitCode == 0 && workloadNanos > 0;
    }

    /** "exit 3" or "timeout", for a failed run's message. */
    String exitDescription() {
        return exited ? "exit " + exitCode : "timeout";
    }

    void printStderr() {
        for (String line : err) {
            System.out.println("child(err): " + line);
        }
    }

    void printStdout() {
        for (String line : out) {
            System.out.println("child: " + line);
        }
    }

    static double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** The values with three decimals, space separated. */
    static String fmt(List<Double> values) {
        StringBuilder s = new StringBuilder();
        for (double v : values) {
            s.append(String.format(Locale.ROOT, "%.3f ", v));
        }
        return s.toString().trim();
    }

    private static void collect(InputStream in, List<String> lines) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            // child gone
        }
    }
}
