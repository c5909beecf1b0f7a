package dev.obs.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * {@code scripts/bench.sh sync}: (1) JMH, agent attached with one sync rule: a declared operation with three
 * template captures against the same body undeclared, ns/op and B/op ({@code -prof gc}); targets +250 ns and
 * +64 B/op. (2) JMH, the same method with the agent attached and no sync rule against no agent at all: nothing
 * is woven, so the ratio is 1 within noise (target 1.05). (3) {@code --ops N} (default 1 000 000) declared
 * operations in child JVMs, each round without the agent, with it and its rule (exporter {@code file}, into a
 * fresh store), and with it but no rule, in a rotating order; each JVM warms up ({@code --warmup W}, default
 * N / 5) and times N in 10 slices, the median slice standing for the run; {@code --rounds R} (default 5): the
 * median ratio over the rounds (target 1.05 with the rule, 1.05 without one), and, from each agent run's store,
 * that {@code sync.operations} counted exactly every operation run. Prints PASS/FAIL per target; exit 1 when one
 * is missed.
 *
 * <pre>java -Dobs.jar=agent/target/obs.jar -cp benchmarks.jar dev.obs.bench.SyncBenchmark [--ops N] [--rounds R] [--warmup W] [JMH options]</pre>
 */
public final class SyncBenchmark {
    private static final double MAX_NANOS = 250;
    private static final double MAX_BYTES = 64;
    private static final double MAX_RATIO = 1.05;

    private SyncBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String jar = System.getProperty("obs.jar");
        if (jar == null) {
            System.err.println("SyncBenchmark: -Dobs.jar=<obs.jar> is required");
            System.exit(2);
        }
        int ops = 1_000_000;
        int rounds = 5;
        int warmup = -1;
        List<String> jmh = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--ops")) {
                ops = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--rounds")) {
                rounds = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--warmup")) {
                warmup = Integer.parseInt(args[++i]);
            } else {
                jmh.add(args[i]);
            }
        }
        Path rules = Files.createTempFile("obs-sync-bench-", ".yaml");
        Files.writeString(rules, SyncTarget.RULES);
        boolean pass = true;

        ChainedOptionsBuilder opts = new OptionsBuilder()
                .parent(new CommandLineOptions(jmh.toArray(new String[0])))
                .include(SyncAgentBenchmark.class.getName() + "\\.(declared|undeclared)$")
                .addProfiler("gc")
                .jvmArgsPrepend("-javaagent:" + jar)
                .jvmArgsAppend("-Xms512m", "-Xmx512m", "-Dobs.config.file=" + rules, "-Dobs.exporter=none",
                        "-Dobs.summary=false");
        double[] declared = null;
        double[] undeclared = null;
        for (RunResult r : new Runner(opts.build()).run()) {
            double[] row = {r.getPrimaryResult().getScore(), bytesPerOp(r)};
            if (r.getParams().getBenchmark().endsWith(".declared")) {
                declared = row;
            } else {
                undeclared = row;
            }
        }
        System.out.println();
        System.out.println("sync: declared operation, three template captures (agent attached, exporter none)");
        if (declared == null || undeclared == null) {
            System.out.println("sync: JMH gave no result");
            System.exit(2);
        }
        System.out.printf("  undeclared %10.1f ns/op %8.1f B/op%n", undeclared[0], undeclared[1]);
        System.out.printf("  declared   %10.1f ns/op %8.1f B/op%n", declared[0], declared[1]);
        double addedNanos = declared[0] - undeclared[0];
        double addedBytes = declared[1] - undeclared[1];
        pass &= report("added ns/op", addedNanos, MAX_NANOS);
        pass &= report("added B/op", addedBytes, MAX_BYTES);

        // (2) no sync rule: nothing of the program is woven, whatever else the agent does
        double[] noRule = jmhDeclared(jmh, List.of("-javaagent:" + jar, "-Dobs.exporter=none", "-Dobs.summary=false"));
        double[] noAgent = jmhDeclared(jmh, List.of());
        System.out.println();
        System.out.println("sync: the same method, agent attached with no sync rule vs no agent");
        System.out.printf("  no agent             %10.1f ± %.1f ns/op%n", noAgent[0], noAgent[1]);
        System.out.printf("  agent, no sync rule  %10.1f ± %.1f ns/op%n", noRule[0], noRule[1]);
        // "zero measurable cost": the difference is within the two runs' errors, or at most 5 % beyond them
        double beyondError = Math.max(0, noRule[0] - noAgent[0] - Math.hypot(noRule[1], noAgent[1]));
        pass &= report("ratio beyond the error, no sync rule / no agent", 1 + beyondError / noAgent[0], MAX_RATIO);

        // (3) a million operations in child JVMs
        int warm = warmup >= 0 ? warmup : ops / 5;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        String[] workload = {SyncWorkload.class.getName(), "" + ops, "" + warm};
        List<Double> ratios = new ArrayList<>();
        List<Double> noRuleRatios = new ArrayList<>();
        boolean exact = true;
        System.out.println();
        System.out.println("sync: " + ops + " declared operations per JVM after " + warm + " to warm up; median of 10 slices");
        for (int round = 0; round < rounds; round++) {
            Path store = Files.createTempDirectory("obs-sync-bench-store-");
            List<List<String>> commands = List.of(
                    command(java, cp, List.of(), workload),
                    command(java, cp, List.of("-javaagent:" + jar, "-Dobs.config.file=" + rules, "-Dobs.exporter=file",
                            "-Dobs.store.dir=" + store, "-Dobs.summary=false"), workload),
                    command(java, cp, List.of("-javaagent:" + jar, "-Dobs.exporter=none", "-Dobs.summary=false"),
                            workload));
            long[] median = new long[3];
            // a rotating order: whichever runs first or last in a round has no systematic advantage
            for (int k = 0; k < 3; k++) {
                int which = (round + k) % 3;
                median[which] = runWorkload(commands.get(which));
            }
            long counted = countedOperations(store);
            exact &= counted == ops + warm;
            ratios.add((double) median[1] / median[0]);
            noRuleRatios.add((double) median[2] / median[0]);
            System.out.printf("  round %d: without %.1f ms, with the rule %.1f ms (ratio %.3f, counted %d),"
                            + " without a rule %.1f ms (ratio %.3f)%n", round + 1, median[0] / 1e6, median[1] / 1e6,
                    (double) median[1] / median[0], counted, median[2] / 1e6, (double) median[2] / median[0]);
        }
        pass &= report("median ratio with the rule, " + ops + " operations", median(ratios), MAX_RATIO);
        pass &= report("median ratio with no sync rule, " + ops + " operations", median(noRuleRatios), MAX_RATIO);
        System.out.println("  " + (exact ? "PASS" : "FAIL") + " every agent run counted exactly the " + (ops + warm)
                + " operations it ran");
        pass &= exact;
        System.exit(pass ? 0 : 1);
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static List<String> command(String java, String cp, List<String> jvmArgs, String[] main) {
        List<String> c = new ArrayList<>();
        c.add(java);
        c.addAll(jvmArgs);
        c.add("-cp");
        c.add(cp);
        c.addAll(Arrays.asList(main));
        return c;
    }

    /** JMH of {@code declared()} alone in JVMs started with {@code jvmArgs}: its ns/op. */
    /** The declared method's score and its 99.9 % error, ns/op. */
    private static double[] jmhDeclared(List<String> jmh, List<String> jvmArgs) throws Exception {
        ChainedOptionsBuilder opts = new OptionsBuilder()
                .parent(new CommandLineOptions(jmh.toArray(new String[0])))
                .include(SyncAgentBenchmark.class.getName() + "\\.declared$")
                .jvmArgsAppend("-Xms512m", "-Xmx512m");
        if (!jvmArgs.isEmpty()) {
            opts.jvmArgsPrepend(jvmArgs.toArray(new String[0]));
        }
        for (RunResult r : new Runner(opts.build()).run()) {
            double error = r.getPrimaryResult().getScoreError();
            return new double[] {r.getPrimaryResult().getScore(), Double.isNaN(error) ? 0 : error};
        }
        throw new IllegalStateException("JMH gave no result");
    }

    private static boolean report(String what, double value, double max) {
        boolean ok = value <= max;
        System.out.printf("  %s %s %.3f (target <= %.2f)%n", ok ? "PASS" : "FAIL", what, value, max);
        return ok;
    }

    private static double bytesPerOp(RunResult r) {
        for (java.util.Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
            if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                return e.getValue().getScore();
            }
        }
        return Double.NaN;
    }

    /** The loop's nanoseconds as the workload printed them: its median slice times the slices. */
    private static long runWorkload(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("workload failed: " + out);
        }
        Matcher m = Pattern.compile("median=(\\d+)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("workload printed no time: " + out);
        }
        return Long.parseLong(m.group(1));
    }

    /** sync.operations in the last metrics line of the store (cumulative), summed over its series. */
    static long countedOperations(Path store) throws IOException {
        String last = null;
        try (var files = Files.list(store)) {
            for (Path f : files.filter(x -> x.getFileName().toString().startsWith("metrics-")).sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (line.contains("\"sync.operations\"")) {
                        last = line;
                    }
                }
            }
        }
        if (last == null) {
            return -1;
        }
        int at = last.indexOf("\"sync.operations\"");
        int end = last.indexOf("\"name\"", at + 20);
        String metric = last.substring(at, end < 0 ? last.length() : end);
        long sum = 0;
        Matcher m = Pattern.compile("\"asInt\":\"?(\\d+)").matcher(metric);
        while (m.find()) {
            sum += Long.parseLong(m.group(1));
        }
        return sum;
    }
}
