package dev.obs.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What obs's start costs a short JGit program: {@link JGitStartupProgram} (init and 5 add+commit, then exit)
 * runs in child JVMs without and with {@code -javaagent:obs.jar} exporting over OTLP/HTTP to a
 * {@link CountingReceiver} on 127.0.0.1, alternately (the order flips every round), after one warm-up pair.
 * The agent child has a weave cache of its own: the warm-up run weaves and fills it (its figures are printed
 * as the cold-cache case), the timed rounds find their classes there, as every run after the first does.
 *
 * <pre>
 *   java -Dobs.jar=agent/target/obs.jar -cp integration-tests/target/benchmarks.jar \
 *        dev.obs.bench.JGitStartupBenchmark [--rounds 11] [--warmup 1] [--commits 5] [--cpu-budget-ms 150] \
 *        [--wall-budget-ms 100] [-- extra JVM args for the agent child]
 * </pre>
 *
 * <p>Measured per child JVM, from its start to the end of obs's exit-time flush (spans and metrics sent and
 * answered; without the agent: the end of {@code main}):
 * <ul>
 *   <li>CPU: the process's CPU time, every thread (main, obs's, the JIT's and the GC's, threads that have
 *       ended included), read by the program's own shutdown hook once obs's has finished
 *       ({@code STARTUP_CPU_NANOS});</li>
 *   <li>wall: from spawning the child to its exit, as seen by this process.</li>
 * </ul>
 * What obs adds is the difference, agent minus no agent, in each round; judged is the median over the
 * rounds of those differences, against the budgets (≤ 150 ms CPU, ≤ 100 ms wall). It includes premain, the
 * weave cache, the weaving of JGit's classes as they load, the slower first JGit calls, obs's threads, the
 * OTel SDK exporter's loading and the first OTLP export, and the JIT and GC work all of that causes. The
 * CPU of each group of threads alive at the end is printed too (median per variant), so a regression can be
 * placed. OBS_ARGS (environment, space separated) adds JVM flags to the agent child. Exit status 0 PASS,
 * 1 FAIL, 2 a child failed.
 */
public final class JGitStartupBenchmark {
    private CountingReceiver receiver;

    /** One child JVM's figures. */
    record Run(long cpuNanos, long wallNanos, long jgitNanos, long firstExportNanos, long spans,
               Map<String, Long> threadCpu, long toMainNanos, long exitNanos, Map<String, Long> spanNames) {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    static int run(String[] args) throws Exception {
        BenchOptions o = BenchOptions.parse(args, "--rounds", "--warmup", "--commits", "--cpu-budget-ms",
                "--wall-budget-ms");
        if (o == null) {
            return 2;
        }
        int rounds = o.integer("--rounds", 11);
        int warmup = o.integer("--warmup", 1);
        int commits = o.integer("--commits", 5);
        double cpuBudgetMs = o.decimal("--cpu-budget-ms", 150);
        double wallBudgetMs = o.decimal("--wall-budget-ms", 100);
        List<String> extra = o.extra;
        if (rounds < 1 || warmup < 1) {
            System.err.println("--rounds and --warmup must be >= 1 (the warm-up fills the weave cache)");
            return 2;
        }
        String agentJar = Bench.agentJar();
        if (agentJar == null) {
            return 2;
        }
        return new JGitStartupBenchmark().measure(agentJar, rounds, warmup, commits, cpuBudgetMs, wallBudgetMs,
                extra);
    }

    private int measure(String agentJar, int rounds, int warmup, int commits, double cpuBudgetMs,
                        double wallBudgetMs, List<String> extra) throws Exception {
        double loadBefore = Bench.loadAverage();
        receiver = CountingReceiver.start();
        Path work = Files.createTempDirectory("obs-jgit-start");
        try {
            String java = Bench.javaLauncher();
            String classpath = Bench.benchmarksClasspath();
            List<String> plain = new ArrayList<>(List.of(java, "-cp", classpath, JGitStartupProgram.class.getName(),
                    Integer.toString(commits), "plain"));
            List<String> agent = new ArrayList<>();
            agent.add(java);
            agent.addAll(Bench.otlpAgentArgs(agentJar, receiver.endpoint(), "obs-jgit-start"));
            agent.add("-Dobs.summary=false");
            agent.add("-Dobs.weave.cache.dir=" + work.resolve("weave-cache"));
            int extraStart = agent.size();
            agent.addAll(Bench.obsArgs());
            agent.addAll(extra);
            List<String> extraArgs = new ArrayList<>(agent.subList(extraStart, agent.size()));
            agent.addAll(List.of("-cp", classpath, JGitStartupProgram.class.getName(), Integer.toString(commits),
                    "agent"));
            System.out.println("receiver: " + receiver.endpoint());
            System.out.println("no agent: " + String.join(" ", plain));
            System.out.println("obs:      " + String.join(" ", agent));

            Run coldAgent = null;
            for (int w = 0; w < warmup; w++) {
                Run p = child("warm-up no agent", plain, work);
                Run a = child("warm-up obs", agent, work);
                if (p == null || a == null) {
                    return 2;
                }
                if (w == 0) {
                    coldAgent = a;
                }
                System.out.printf(Locale.ROOT, "warm-up %d%s: CPU %.0f / %.0f ms, wall %.0f / %.0f ms, spans %d%n",
                        w + 1, w == 0 ? " (empty weave cache)" : "", p.cpuNanos / 1e6, a.cpuNanos / 1e6,
                        p.wallNanos / 1e6, a.wallNanos / 1e6, a.spans);
            }
            List<Run> plainRuns = new ArrayList<>();
            List<Run> agentRuns = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                boolean agentFirst = r % 2 == 1;
                Run first = child("round " + (r + 1), agentFirst ? agent : plain, work);
                Run second = first == null ? null : child("round " + (r + 1), agentFirst ? plain : agent, work);
                if (first == null || second == null) {
                    return 2;
                }
                Run p = agentFirst ? second : first;
                Run a = agentFirst ? first : second;
                plainRuns.add(p);
                agentRuns.add(a);
                System.out.printf(Locale.ROOT, "round %2d (%s first): CPU %6.0f / %6.0f ms (+%4.0f), wall %6.0f / %6.0f"
                        + " ms (+%4.0f), JGit part %5.0f / %5.0f ms, first export answered at %5.0f ms, spans %d%n",
                        r + 1, agentFirst ? "obs" : "no agent", p.cpuNanos / 1e6, a.cpuNanos / 1e6,
                        (a.cpuNanos - p.cpuNanos) / 1e6, p.wallNanos / 1e6, a.wallNanos / 1e6,
                        (a.wallNanos - p.wallNanos) / 1e6, p.jgitNanos / 1e6, a.jgitNanos / 1e6,
                        a.firstExportNanos / 1e6, a.spans);
            }
            return report(agentJar, rounds, commits, cpuBudgetMs, wallBudgetMs, extraArgs, loadBefore, plainRuns,
                    agentRuns, coldAgent);
        } finally {
            receiver.close();
            JGitWorkload.delete(work);
        }
    }

    private Run child(String label, List<String> cmd, Path work) throws Exception {
        receiver.reset();
        ProcessBuilder pb = JGitWorkload.childProcess(cmd, work);
        long spawned = System.nanoTime();
        WorkloadChild c = WorkloadChild.run(pb, 120, receiver.inFlight());
        long cpu = -1;
        long mainStart = -1;
        long mainEnd = -1;
        long flushed = -1;
        Map<String, Long> threads = new TreeMap<>();
        boolean noShutdownThread = false;
        for (String line : c.out) {
            if (line.startsWith("STARTUP_CPU_NANOS ")) {
                cpu = Long.parseLong(line.substring(18).trim());
            } else if (line.startsWith("THREAD_CPU ")) {
                String[] f = line.substring(11).split("\t");
                threads.put(f[0], Long.parseLong(f[1]));
            } else if (line.startsWith("MAIN_START_NANOS ")) {
                mainStart = Long.parseLong(line.substring(17).trim());
            } else if (line.startsWith("MAIN_END_NANOS ")) {
                mainEnd = Long.parseLong(line.substring(15).trim());
            } else if (line.startsWith("FLUSHED_NANOS ")) {
                flushed = Long.parseLong(line.substring(14).trim());
            } else if (line.startsWith("NO_THREAD ")) {
                noShutdownThread = true;
            }
        }
        if (!c.ok() || cpu <= 0 || noShutdownThread) {
            c.printStderr();
            System.out.println(label + ": child failed (" + c.exitDescription() + (cpu <= 0 ? ", no STARTUP_CPU_NANOS"
                    : "") + (noShutdownThread ? ", obs-shutdown not found: did the agent start?" : "") + "): "
                    + String.join(" ", cmd));
            c.printStdout();
            return null;
        }
        long first = receiver.firstAnsweredNanos();
        long used = 0;
        for (long v : threads.values()) {
            used += v;
        }
        threads.put("(ended threads)", Math.max(0, cpu - used));
        return new Run(cpu, c.wallNanos, c.workloadNanos, first == 0 ? -1 : first - spawned, receiver.spans(),
                threads, mainStart - spawned, flushed - mainEnd, receiver.spanNames());
    }

    private int report(String agentJar, int rounds, int commits, double cpuBudgetMs, double wallBudgetMs,
                       List<String> extraArgs, double loadBefore, List<Run> plain, List<Run> agent, Run coldAgent) {
        List<Double> cpuDiffs = new ArrayList<>();
        List<Double> wallDiffs = new ArrayList<>();
        for (int i = 0; i < plain.size(); i++) {
            cpuDiffs.add((agent.get(i).cpuNanos - plain.get(i).cpuNanos) / 1e6);
            wallDiffs.add((agent.get(i).wallNanos - plain.get(i).wallNanos) / 1e6);
        }
        double cpuAdded = WorkloadChild.median(cpuDiffs);
        double wallAdded = WorkloadChild.median(wallDiffs);
        StringBuilder b = new StringBuilder();
        b.append("\n== JGitStartupBenchmark (init + ").append(commits).append(" commits, then exit; child JVMs,"
                + " alternating, no agent vs obs exporting over OTLP/HTTP to a local receiver)\n");
        b.append(String.format(Locale.ROOT, "settings: rounds=%d agent=%s extra=%s; weave cache warm (filled by the"
                + " warm-up run)%n", rounds, agentJar, extraArgs));
        b.append(String.format(Locale.ROOT, "%-44s %10s %10s %10s%n", "median ms", "no agent", "obs", "+ obs"));
        b.append(row("process CPU, JVM start to flush done", plain, agent, Run::cpuNanos));
        b.append(row("child JVM wall, spawn to exit", plain, agent, Run::wallNanos));
        b.append(row("  spawn to main (JVM start, premain)", plain, agent, Run::toMainNanos));
        b.append(row("  main (init + commits, wall)", plain, agent, Run::jgitNanos));
        b.append(row("  end of main to flush done (exit hooks)", plain, agent, Run::exitNanos));
        b.append(String.format(Locale.ROOT, "%-44s %10s %10.1f%n", "  obs: first export answered after spawn", "",
                median(agent, Run::firstExportNanos) / 1e6));
        b.append(String.format(Locale.ROOT, "%-44s %s%n", "per-round CPU added ms", fmt(cpuDiffs)));
        b.append(String.format(Locale.ROOT, "%-44s %s%n", "per-round wall added ms", fmt(wallDiffs)));
        // against the rounds' median: the warm-up's own no-agent run is the first JVM of the run, slowed by cold caches
        b.append(String.format(Locale.ROOT, "cold weave cache (the first obs run, one sample, against the median no-agent"
                + " run): CPU %+.0f ms, wall %+.0f ms%n", (coldAgent.cpuNanos - median(plain, Run::cpuNanos)) / 1e6,
                (coldAgent.wallNanos - median(plain, Run::wallNanos)) / 1e6));
        b.append("CPU by thread (median ms; threads alive at the end, the rest under '(ended threads)'):\n");
        TreeSet<String> names = new TreeSet<>();
        for (Run r : plain) {
            names.addAll(r.threadCpu.keySet());
        }
        for (Run r : agent) {
            names.addAll(r.threadCpu.keySet());
        }
        for (String name : names) {
            double p = median(plain, r -> r.threadCpu.getOrDefault(name, 0L)) / 1e6;
            double a = median(agent, r -> r.threadCpu.getOrDefault(name, 0L)) / 1e6;
            if (p >= 0.5 || a >= 0.5) {
                b.append(String.format(Locale.ROOT, "  %-42s %10.1f %10.1f %+10.1f%n", name, p, a, a - p));
            }
        }
        List<Double> spans = new ArrayList<>();
        for (Run r : agent) {
            spans.add((double) r.spans);
        }
        b.append(String.format(Locale.ROOT, "spans received per obs run: median %.0f (min %.0f, max %.0f)%n",
                WorkloadChild.median(spans), Collections.min(spans), Collections.max(spans)));
        b.append("  span names (last run): ").append(agent.get(agent.size() - 1).spanNames).append('\n');
        if (Collections.min(spans) == 0) {
            b.append("  WARNING: an obs run exported no span: is the git family on and the exporter otlp?\n");
        }
        b.append(Bench.loadBeforeAndAfter(loadBefore));
        boolean cpuOk = cpuAdded <= cpuBudgetMs;
        boolean wallOk = wallAdded <= wallBudgetMs;
        b.append(String.format(Locale.ROOT, "  [%s] obs adds <= %.0f ms CPU (median per-round difference %.1f ms)%n",
                cpuOk ? "PASS" : "FAIL", cpuBudgetMs, cpuAdded));
        b.append(String.format(Locale.ROOT, "  [%s] obs adds <= %.0f ms wall (median per-round difference %.1f ms)%n",
                wallOk ? "PASS" : "FAIL", wallBudgetMs, wallAdded));
        System.out.print(b);
        return cpuOk && wallOk ? 0 : 1;
    }

    private static String row(String name, List<Run> plain, List<Run> agent, java.util.function.ToLongFunction<Run> f) {
        double p = median(plain, f) / 1e6;
        double a = median(agent, f) / 1e6;
        return String.format(Locale.ROOT, "%-44s %10.1f %10.1f %+10.1f%n", name, p, a, a - p);
    }

    private static double median(List<Run> runs, java.util.function.ToLongFunction<Run> f) {
        List<Double> values = new ArrayList<>();
        for (Run r : runs) {
            values.add((double) f.applyAsLong(r));
        }
        return WorkloadChild.median(values);
    }

    private static String fmt(List<Double> values) {
        StringBuilder s = new StringBuilder();
        for (double v : values) {
            s.append(String.format(Locale.ROOT, "%.0f ", v));
        }
        return s.toString().trim();
    }
}
