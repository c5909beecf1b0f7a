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
 * +64 B/op. (2) {@code --ops N} (default 1 000 000) declared operations in child JVMs, alternately without and
 * with the agent (exporter {@code file}, into a fresh store), {@code --rounds R} (default 3): the median ratio
 * of the loop's time (target 1.05) and, from each agent run's store, that {@code sync.operations} counted
 * exactly N. Prints PASS/FAIL per target; exit 1 when one is missed.
 *
 * <pre>java -Dobs.jar=agent/target/obs.jar -cp benchmarks.jar dev.obs.bench.SyncBenchmark [--ops N] [--rounds R] [JMH options]</pre>
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
        int rounds = 3;
        List<String> jmh = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--ops")) {
                ops = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--rounds")) {
                rounds = Integer.parseInt(args[++i]);
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

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        List<Double> ratios = new ArrayList<>();
        boolean exact = true;
        for (int round = 0; round < rounds; round++) {
            long without = runWorkload(List.of(java, "-cp", cp, SyncWorkload.class.getName(), "" + ops));
            Path store = Files.createTempDirectory("obs-sync-bench-store-");
            long with = runWorkload(List.of(java, "-javaagent:" + jar, "-Dobs.config.file=" + rules,
                    "-Dobs.exporter=file", "-Dobs.store.dir=" + store, "-Dobs.summary=false", "-cp", cp,
                    SyncWorkload.class.getName(), "" + ops));
            long counted = countedOperations(store);
            exact &= counted == ops;
            ratios.add((double) with / without);
            System.out.printf("  round %d: %d ops, without %.1f ms, with %.1f ms, ratio %.3f, counted %d%n",
                    round + 1, ops, without / 1e6, with / 1e6, (double) with / without, counted);
        }
        double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        pass &= report("median ratio, " + ops + " operations", sorted[sorted.length / 2], MAX_RATIO);
        System.out.println("  " + (exact ? "PASS" : "FAIL") + " every agent run counted exactly " + ops);
        pass &= exact;
        System.exit(pass ? 0 : 1);
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

    /** The loop's nanoseconds as the workload printed them. */
    private static long runWorkload(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("workload failed: " + out);
        }
        Matcher m = Pattern.compile("nanos=(\\d+)").matcher(out);
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
