package dev.obs.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What obs costs a JGit application: {@link JGitWorkload} (init, 500 add+commit, log, status, local clone,
 * commit+fetch) runs in child JVMs without and with {@code -javaagent:obs.jar}, alternately (the order flips
 * every round so drift hits both variants equally), after one untimed warm-up pair. The repositories are
 * created under {@code --dir} (default {@code /dev/shm}, see {@link #defaultWorkloadDir}). The agent child gets a
 * weave cache of its own ({@code obs.weave.cache.dir} in a fresh temp dir): the warm-up run weaves and fills
 * it (its ratio is printed, informational), the timed rounds run as every restart after the first does. The agent exports over
 * OTLP/HTTP to a receiver in this JVM ({@link CountingReceiver}, 127.0.0.1) that answers 200 and decodes
 * the trace requests, so the real export path runs and the spans per run can be counted.
 *
 * <pre>
 *   java -Dobs.jar=agent/target/obs.jar -cp integration-tests/target/benchmarks.jar \
 *        dev.obs.bench.JGitOverheadBenchmark [--rounds 11] [--warmup 1] [--target 1.03] [--commits 500] \
 *        [--dir /dev/shm] [--repeat 4] [--from 2] [-- extra JVM args for the agent child]
 * </pre>
 *
 * Each child runs the workload {@code --repeat} times (default 4, fresh directories). Judged (the cost of observing
 * once obs has started): for runs 2..N, with obs's one-time start-up work (the SDK's loading, the first export)
 * behind them, each JVM's median wall time ({@code REPEAT_NANOS}) and median process CPU time of all threads
 * ({@code REPEAT_CPU_NANOS}, the agent's export threads included), then the median over the rounds of the per-round
 * ratios (agent / no agent), both against {@code --target}. Reported: that CPU time of the judged runs by thread
 * group (main, JIT compilers, GC/VM, obs's own threads, others; informational: it shows what an obs figure is made
 * of), the first run's workload time ({@code WORKLOAD_NANOS}: JGit calls only, JVM start-up excluded) and CPU time,
 * the child JVMs' total wall time (start to exit, start-up and the agent's exit-time flush included), the phases,
 * and the spans the receiver got per agent run, by name; the start-up cost is judged on its own by {@link
 * JGitStartupBenchmark}. {@code --from K} judges runs K..N instead of 2..N: the JIT is not done after the first run
 * (its compiler threads take about as much CPU as the main thread in runs 2..4 of the default workload, under half
 * of it from run 5 on), so later runs show what stays once the no-agent JVM's compilers are mostly done. With {@code
 * --repeat 1} the first run's workload ratio is judged. OBS_ARGS (environment, space separated) adds JVM flags to
 * the agent child.
 * Exit status 0 PASS, 1 FAIL, 2 a child failed.
 */
public final class JGitOverheadBenchmark {
    private CountingReceiver receiver;
    /** The first judged run of each JVM ({@code --from}, 2 to {@code --repeat}). */
    private int from = 2;

    /** One child JVM's figures. */
    record Run(long workloadNanos, long cpuNanos, long wallNanos, Map<String, Long> phases, long spans, long traceRequests,
               long otherRequests, Map<String, Long> spanNames, String check, double repeatNanos,
               double repeatCpuNanos, Map<String, Double> repeatThreadCpu) {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    static int run(String[] args) throws Exception {
        BenchOptions o = BenchOptions.parse(args, "--rounds", "--warmup", "--target", "--commits", "--dir", "--repeat",
                "--from");
        if (o == null) {
            return 2;
        }
        int rounds = o.integer("--rounds", 11);
        int warmup = o.integer("--warmup", 1);
        double target = o.decimal("--target", 1.03);
        int commits = o.integer("--commits", JGitWorkload.DEFAULT_COMMITS);
        Path dir = Path.of(o.text("--dir", defaultWorkloadDir().toString()));
        int repeat = o.integer("--repeat", 4);
        int from = o.integer("--from", 2);
        List<String> extra = o.extra;
        if (rounds < 1 || repeat < 1) {
            System.err.println("--rounds and --repeat must be >= 1");
            return 2;
        }
        if (repeat > 1 && (from < 2 || from > repeat)) {
            System.err.println("--from must be 2 to --repeat (" + repeat + "): " + from);
            return 2;
        }
        String agentJar = Bench.agentJar();
        if (agentJar == null) {
            return 2;
        }
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            System.err.println("--dir " + dir + ": not a writable directory");
            return 2;
        }
        JGitOverheadBenchmark benchmark = new JGitOverheadBenchmark();
        benchmark.from = from;
        return benchmark.measure(agentJar, rounds, warmup, target, commits, repeat, dir, extra);
    }

    /**
     * tmpfs ({@code /dev/shm}) when there is one, else the temp dir. On ext4 the time to create a file
     * depends on how many inodes were deleted in the last moments ({@code find_inode_bit} scans past
     * recently deleted ones), so each run's workload would be slowed by the previous run's clean-up, by
     * amounts that vary more from run to run than what obs costs.
     */
    private static Path defaultWorkloadDir() {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    private int measure(String agentJar, int rounds, int warmup, double target, int commits, int repeat, Path dir,
                        List<String> extra) throws Exception {
        double loadBefore = Bench.loadAverage();
        receiver = CountingReceiver.start();
        String endpoint = receiver.endpoint();
        // Children run here: XDG_CONFIG_HOME (JGit's own cache of file system timestamp resolution) and
        // anything the agent might write stay out of the user's home.
        Path work = Files.createTempDirectory("obs-jgit-overhead");
        try {
            String java = Bench.javaLauncher();
            String classpath = Bench.benchmarksClasspath();
            List<String> tail = List.of("-Djava.io.tmpdir=" + dir, "-cp", classpath, JGitWorkload.class.getName(),
                    Integer.toString(commits), Integer.toString(repeat));

            List<String> plain = new ArrayList<>();
            plain.add(java);
            plain.addAll(tail);

            List<String> agent = new ArrayList<>();
            agent.add(java);
            agent.addAll(Bench.otlpAgentArgs(agentJar, endpoint, "obs-jgit-bench"));
            agent.add("-Dobs.summary=false");
            // A fresh weave cache: the warm-up run weaves (and fills it), the rounds find their classes there,
            // as every run after the first does in production. OBS_ARGS may say -Dobs.weave.cache.dir=off.
            agent.add("-Dobs.weave.cache.dir=" + work.resolve("weave-cache"));
            int extraStart = agent.size();
            agent.addAll(Bench.obsArgs());
            agent.addAll(extra);
            List<String> extraArgs = new ArrayList<>(agent.subList(extraStart, agent.size()));
            agent.addAll(tail);
            System.out.println("receiver: " + endpoint);
            System.out.println("no agent: " + String.join(" ", plain));
            System.out.println("obs:      " + String.join(" ", agent));

            for (int w = 0; w < warmup; w++) {
                Run p = child("warm-up no agent", plain, work, true);
                Run a = child("warm-up obs", agent, work, true);
                if (p == null || a == null) {
                    return 2;
                }
                System.out.printf(Locale.ROOT, "warm-up %d: no agent %.0f ms, obs %.0f ms (workload), ratio %.3f%s,"
                        + " obs spans %d%n", w + 1, p.workloadNanos / 1e6, a.workloadNanos / 1e6,
                        a.workloadNanos / (double) p.workloadNanos, w == 0 ? " (empty weave cache)" : "", a.spans);
            }
            List<Run> plainRuns = new ArrayList<>();
            List<Run> agentRuns = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                boolean agentFirst = r % 2 == 1;
                Run first = child("round " + (r + 1) + (agentFirst ? " obs" : " no agent"), agentFirst ? agent : plain,
                        work, false);
                Run second = first == null ? null : child("round " + (r + 1) + (agentFirst ? " no agent" : " obs"),
                        agentFirst ? plain : agent, work, false);
                if (first == null || second == null) {
                    return 2;
                }
                Run p = agentFirst ? second : first;
                Run a = agentFirst ? first : second;
                plainRuns.add(p);
                agentRuns.add(a);
                System.out.printf(Locale.ROOT, "round %2d (%s first): workload no agent %7.0f ms, obs %7.0f ms, ratio %.3f;"
                        + " CPU %7.0f / %7.0f ms; JVM wall %7.0f / %7.0f ms; spans %d%s%n", r + 1,
                        agentFirst ? "obs" : "no agent", p.workloadNanos / 1e6, a.workloadNanos / 1e6,
                        a.workloadNanos / (double) p.workloadNanos, p.cpuNanos / 1e6, a.cpuNanos / 1e6,
                        p.wallNanos / 1e6, a.wallNanos / 1e6, a.spans, repeat == 1 ? ""
                                : String.format(Locale.ROOT, "; repeats %7.0f / %7.0f ms, ratio %.3f, CPU ratio %.3f",
                                p.repeatNanos / 1e6, a.repeatNanos / 1e6, a.repeatNanos / p.repeatNanos,
                                a.repeatCpuNanos / p.repeatCpuNanos));
            }
            return report(agentJar, rounds, warmup, target, commits, repeat, dir, extraArgs, loadBefore, plainRuns,
                    agentRuns);
        } finally {
            receiver.close();
            JGitWorkload.delete(work);
        }
    }

    /** Runs one child to its end; null (after printing its output) when it fails. */
    private Run child(String label, List<String> cmd, Path work, boolean echoStderr) throws Exception {
        receiver.reset();
        ProcessBuilder pb = JGitWorkload.childProcess(cmd, work);
        WorkloadChild c = WorkloadChild.run(pb, 600, receiver.inFlight());
        if (echoStderr || !c.ok()) {
            c.printStderr();
        }
        if (!c.ok()) {
            System.out.println(label + ": child failed (" + c.exitDescription() + "): " + String.join(" ", cmd));
            c.printStdout();
            return null;
        }
        return new Run(c.workloadNanos, c.cpuNanos, c.wallNanos, c.phases, receiver.spans(),
                receiver.traceRequests(), receiver.otherRequests(), receiver.spanNames(), c.check,
                medianOf(judged(c.repeats)), medianOf(judged(c.repeatCpus)), repeatThreadCpu(c.out));
    }

    /** The judged runs' values ({@code --from} on) of a JVM's runs 2..N. */
    private <T> List<T> judged(List<T> runs) {
        return runs.subList(Math.min(from - 2, runs.size()), runs.size());
    }

    /**
     * The median over the runs after the first of each thread group's CPU time ({@code REPEAT_THREAD_CPU
     * <group> <nanos>}, see {@link JGitWorkload#threadGroupCpu}).
     */
    private Map<String, Double> repeatThreadCpu(List<String> out) {
        Map<String, List<Long>> byGroup = new LinkedHashMap<>();
        for (String line : out) {
            if (line.startsWith("REPEAT_THREAD_CPU ")) {
                String[] f = line.split(" ");
                byGroup.computeIfAbsent(f[1], k -> new ArrayList<>()).add(Long.parseLong(f[2]));
            }
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        byGroup.forEach((g, values) -> medians.put(g, medianOf(judged(values))));
        return medians;
    }

    /** The median, NaN for none. */
    private static double medianOf(List<Long> values) {
        List<Double> d = new ArrayList<>();
        for (long n : values) {
            d.add((double) n);
        }
        return d.isEmpty() ? Double.NaN : WorkloadChild.median(d);
    }

    private int report(String agentJar, int rounds, int warmup, double target, int commits, int repeat, Path dir,
                       List<String> extraArgs, double loadBefore, List<Run> plain, List<Run> agent) {
        List<Double> workloadRatios = new ArrayList<>();
        List<Double> wallRatios = new ArrayList<>();
        List<Double> cpuRatios = new ArrayList<>();
        for (int i = 0; i < plain.size(); i++) {
            workloadRatios.add(agent.get(i).workloadNanos / (double) plain.get(i).workloadNanos);
            cpuRatios.add(agent.get(i).cpuNanos / (double) plain.get(i).cpuNanos);
            wallRatios.add(agent.get(i).wallNanos / (double) plain.get(i).wallNanos);
        }
        double ratio = WorkloadChild.median(workloadRatios);
        StringBuilder b = new StringBuilder();
        b.append("\n== JGitOverheadBenchmark (JGit workload in child JVMs, alternating, no agent vs obs)\n");
        b.append(String.format(Locale.ROOT, "settings: rounds=%d warm-up pairs=%d commits=%d runs per JVM=%d dir=%s"
                + " exporter=otlp (local receiver) agent=%s extra=%s%n", rounds, warmup, commits, repeat, dir, agentJar,
                extraArgs));
        b.append(String.format(Locale.ROOT, "workload: %s%n", plain.get(0).check));
        b.append(String.format(Locale.ROOT, "%-36s %12s %12s %9s %12s%n", "median", "no agent", "obs", "ratio",
                "+ obs"));
        b.append(line("workload ms (WORKLOAD_NANOS)", median(plain, Run::workloadNanos),
                median(agent, Run::workloadNanos)));
        for (String phase : plain.get(0).phases.keySet()) {
            b.append(line("  " + phase + " ms", median(plain, r -> r.phases.getOrDefault(phase, 0L)),
                    median(agent, r -> r.phases.getOrDefault(phase, 0L))));
        }
        b.append(line("workload CPU ms (all threads)", median(plain, Run::cpuNanos), median(agent, Run::cpuNanos)));
        b.append(line("child JVM wall ms (incl. start-up/exit)", median(plain, Run::wallNanos),
                median(agent, Run::wallNanos)));
        b.append(String.format(Locale.ROOT, "%-36s %s%n", "per-round workload ratios",
                WorkloadChild.fmt(workloadRatios)));
        b.append(String.format(Locale.ROOT, "%-36s %12.3f  (min %.3f, max %.3f)%n",
                "median per-round workload ratio", ratio, Collections.min(workloadRatios),
                Collections.max(workloadRatios)));
        b.append(String.format(Locale.ROOT, "%-36s %12.3f  (informational)%n", "median per-round workload CPU ratio",
                WorkloadChild.median(cpuRatios)));
        b.append(String.format(Locale.ROOT, "%-36s %12.3f  (informational)%n", "median per-round JVM wall ratio",
                WorkloadChild.median(wallRatios)));
        List<Double> repeatRatios = new ArrayList<>();
        List<Double> repeatCpuRatios = new ArrayList<>();
        if (repeat > 1) {
            List<Double> plainRepeats = new ArrayList<>();
            List<Double> agentRepeats = new ArrayList<>();
            List<Double> plainRepeatCpus = new ArrayList<>();
            List<Double> agentRepeatCpus = new ArrayList<>();
            for (int i = 0; i < plain.size(); i++) {
                repeatRatios.add(agent.get(i).repeatNanos / plain.get(i).repeatNanos);
                repeatCpuRatios.add(agent.get(i).repeatCpuNanos / plain.get(i).repeatCpuNanos);
                plainRepeats.add(plain.get(i).repeatNanos);
                agentRepeats.add(agent.get(i).repeatNanos);
                plainRepeatCpus.add(plain.get(i).repeatCpuNanos);
                agentRepeatCpus.add(agent.get(i).repeatCpuNanos);
            }
            b.append(String.format(Locale.ROOT, "runs %d..%d in the same JVM (obs started; median per JVM):%n",
                    from, repeat));
            b.append(line("  repeat workload ms", WorkloadChild.median(plainRepeats),
                    WorkloadChild.median(agentRepeats)));
            b.append(line("  repeat CPU ms (all threads)", WorkloadChild.median(plainRepeatCpus),
                    WorkloadChild.median(agentRepeatCpus)));
            for (String group : plain.get(0).repeatThreadCpu.keySet()) {
                b.append(line("    CPU of " + group + " threads ms",
                        median(plain, r -> r.repeatThreadCpu.getOrDefault(group, 0.0)),
                        median(agent, r -> r.repeatThreadCpu.getOrDefault(group, 0.0))));
            }
            b.append(String.format(Locale.ROOT, "%-36s %s%n", "  per-round repeat ratios", WorkloadChild.fmt(repeatRatios)));
            b.append(String.format(Locale.ROOT, "%-36s %s%n", "  per-round repeat CPU ratios",
                    WorkloadChild.fmt(repeatCpuRatios)));
        }
        List<Double> spanCounts = new ArrayList<>();
        for (Run r : agent) {
            spanCounts.add((double) r.spans);
        }
        Run last = agent.get(agent.size() - 1);
        b.append(String.format(Locale.ROOT, "%-36s %12.0f  (min %.0f, max %.0f; last run: %d trace / %d other"
                + " requests)%n", "spans received per obs run (median)", WorkloadChild.median(spanCounts),
                Collections.min(spanCounts), Collections.max(spanCounts), last.traceRequests, last.otherRequests));
        if (!last.spanNames.isEmpty()) {
            StringBuilder names = new StringBuilder();
            last.spanNames.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
                    .forEach(e -> names.append(names.length() == 0 ? "" : ", ").append('"').append(e.getKey())
                            .append("\" ").append(e.getValue()));
            b.append("  span names (last run): ").append(names).append('\n');
        } else {
            b.append("  no spans received: no JGit instrumentation in this obs.jar, the git family switched off, or an"
                    + " exporter other than otlp in the extra args\n");
        }
        if (last.traceRequests + last.otherRequests == 0) {
            b.append("  WARNING: the obs child sent nothing to the receiver: did the agent start?\n");
        }
        if (receiver.badRequests() > 0) {
            b.append("  WARNING: ").append(receiver.badRequests()).append(" undecodable trace requests\n");
        }
        b.append(Bench.loadBeforeAndAfter(loadBefore));
        boolean ok;
        if (repeat > 1) {
            // The target is the cost of observing once obs has started; the first run (start-up included) is
            // reported, and the start-up cost is judged on its own by JGitStartupBenchmark.
            double wall = WorkloadChild.median(repeatRatios);
            double cpu = WorkloadChild.median(repeatCpuRatios);
            boolean wallOk = wall <= target;
            boolean cpuOk = cpu <= target;
            b.append(String.format(Locale.ROOT, "  [%s] runs %d..%d: obs adds <= %.0f %% wall time (median per-round"
                    + " ratio %.3f <= %.2f)%n", wallOk ? "PASS" : "FAIL", from, repeat, (target - 1) * 100, wall,
                    target));
            b.append(String.format(Locale.ROOT, "  [%s] runs %d..%d: obs adds <= %.0f %% CPU time of all threads"
                    + " (median per-round ratio %.3f <= %.2f)%n", cpuOk ? "PASS" : "FAIL", from, repeat,
                    (target - 1) * 100, cpu, target));
            b.append(String.format(Locale.ROOT, "  [info] first run of each JVM (start-up included): median per-round"
                    + " ratio %.3f%n", ratio));
            ok = wallOk && cpuOk;
        } else {
            ok = ratio <= target;
            b.append(String.format(Locale.ROOT, "  [%s] first run: obs adds <= %.0f %% workload time (median per-round"
                    + " ratio %.3f <= %.2f; --repeat 1, so no steady-state figure)%n", ok ? "PASS" : "FAIL",
                    (target - 1) * 100, ratio, target));
        }
        System.out.print(b);
        return ok ? 0 : 1;
    }

    private static String line(String name, double plainNanos, double agentNanos) {
        return String.format(Locale.ROOT, "%-36s %12.1f %12.1f %8.3fx %12.1f%n", name, plainNanos / 1e6,
                agentNanos / 1e6, agentNanos / plainNanos, (agentNanos - plainNanos) / 1e6);
    }


    private static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> f) {
        List<Double> values = new ArrayList<>();
        for (Run r : runs) {
            values.add(f.applyAsDouble(r));
        }
        return WorkloadChild.median(values);
    }
}
