package dev.obs.bench;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * What the fs family adds to a file read, with the agent attached ({@code scripts/bench.sh fs}):
 * {@code FileInputStream.read(byte[4096])} on a page-cached file (re-positioned with the channel every
 * 256 reads, not per call) and a 1-byte {@code RandomAccessFile.read()}. {@link #main} runs each in three
 * forks: no agent, the agent with {@code obs.instrumentation.fs.enabled=false}, and the agent with the fs
 * family on, and prints ns/op, B/op ({@code -prof gc}) and the differences against no agent, measured in
 * the same run. Targets: fs on adds at most 25 ns/op and 0 B/op; fs off equals the baseline.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FsBenchmark {
    private File file;
    private FileInputStream in;
    private RandomAccessFile raf;
    private final byte[] buffer = new byte[4096];
    private int reads;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        file = File.createTempFile("obs-fs-bench", ".bin");
        Files.write(file.toPath(), new byte[4096 * 256]);
        in = new FileInputStream(file);
        raf = new RandomAccessFile(file, "r");
        // page cache warm
        while (in.read(buffer) > 0) {
            // read once
        }
        in.getChannel().position(0);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        in.close();
        raf.close();
        file.delete();
    }

    @Benchmark
    public int fileInputStreamRead4k() throws IOException {
        if (++reads == 256) {
            reads = 0;
            in.getChannel().position(0);
        }
        return in.read(buffer);
    }

    @Benchmark
    public int randomAccessFileRead1() throws IOException {
        int b = raf.read();
        if (b < 0) {
            raf.seek(0);
        }
        return b;
    }

    /**
     * {@code -Dobs.jar=agent/target/obs.jar}; arguments are passed to JMH (e.g. {@code -f 1 -wi 3 -i 5}).
     * Exit status 1 when a target is missed.
     */
    public static void main(String[] args) throws Exception {
        String jar = System.getProperty("obs.jar", "agent/target/obs.jar");
        String[][] configs = {
                {"no agent"},
                {"obs, fs off", "-javaagent:" + jar, "-Dobs.instrumentation.fs.enabled=false", "-Dobs.exporter=none",
                        "-Dobs.summary=false"},
                {"obs, fs on", "-javaagent:" + jar, "-Dobs.exporter=none", "-Dobs.summary=false"},
        };
        double[][] ns = new double[configs.length][2];
        double[][] bytes = new double[configs.length][2];
        String[] names = {"fileInputStreamRead4k", "randomAccessFileRead1"};
        for (int c = 0; c < configs.length; c++) {
            OptionsBuilder b = new OptionsBuilder();
            b.parent(new org.openjdk.jmh.runner.options.CommandLineOptions(args));
            b.include(FsBenchmark.class.getName() + "\\.(" + names[0] + "|" + names[1] + ")$");
            b.addProfiler(org.openjdk.jmh.profile.GCProfiler.class);
            String[] jvm = java.util.Arrays.copyOfRange(configs[c], 1, configs[c].length);
            b.jvmArgsAppend(jvm.length == 0 ? new String[] {"-Dobs.none=1"} : jvm);
            Collection<RunResult> results = new Runner(b.build()).run();
            for (RunResult r : results) {
                String label = r.getParams().getBenchmark();
                int i = label.endsWith(names[0]) ? 0 : 1;
                ns[c][i] = r.getPrimaryResult().getScore();
                Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
                bytes[c][i] = alloc == null ? Double.NaN : alloc.getScore();
            }
        }
        boolean ok = true;
        System.out.println();
        System.out.println("== fs: ns/op and B/op (the machine may be shared: compare within this run)");
        System.out.printf("%-24s %-14s %10s %10s %12s %10s%n", "benchmark", "config", "ns/op", "B/op", "vs no agent",
                "target");
        for (int i = 0; i < 2; i++) {
            for (int c = 0; c < configs.length; c++) {
                double delta = ns[c][i] - ns[0][i];
                String target = "";
                if (c == 2) {
                    boolean pass = delta <= 25 && bytes[c][i] < 1;
                    ok &= pass;
                    target = (pass ? "PASS" : "FAIL") + " <=25ns,0B";
                }
                System.out.printf("%-24s %-14s %10.1f %10.2f %+11.1fns %10s%n", names[i], configs[c][0], ns[c][i],
                        bytes[c][i], delta, target);
            }
        }
        System.exit(ok ? 0 : 1);
    }
}
