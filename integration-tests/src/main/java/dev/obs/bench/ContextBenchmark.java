package dev.obs.bench;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;
import java.util.Arrays;
import java.util.Collection;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
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
 * What the concurrent family adds to handing a task over ({@code scripts/bench.sh context}), with no span
 * current and with one, each in three forks: no agent, the agent with
 * {@code obs.instrumentation.concurrent.enabled=false}, and the agent with the family on; ns/op and B/op
 * ({@code -prof gc}) against no agent in the same run.
 *
 * <ul>
 *   <li>{@code futureTask*}: {@code new FutureTask<>(callable)}, run and read on the same thread: what every
 *       {@code ExecutorService.submit} does around the queue (the capture in the constructor, the span made
 *       current around the call and put back), without the queue and the thread wake-up, whose microseconds
 *       would bury the difference.</li>
 *   <li>{@code supplyAsync*}: {@code CompletableFuture.supplyAsync(supplier, Runnable::run).join()} (a
 *       direct executor): the stage function's capture and run.</li>
 *   <li>{@code poolSubmit*}: {@code submit(callable).get()} on a one-thread pool, the whole round trip
 *       (informational: the hand-off to the worker dominates).</li>
 *   <li>{@code thread*}: a new thread started and joined, virtual on JDK 21+ ({@code Thread.startVirtualThread}),
 *       platform before: the hooks in {@code Thread.start/run/exit} and, for a virtual thread, in
 *       {@code ForkJoinPool.execute} and {@code ForkJoinTask.doExec} of its scheduler (informational: the
 *       thread's start and the scheduler dominate).</li>
 * </ul>
 *
 * <p>"With a span" opens one span on the benchmark thread for the whole trial (through {@link Recorder}, the
 * same call in every fork: with no agent it records nothing, so the no-agent fork is the same code without
 * obs). Targets: with no span the family adds nothing beyond the scores' errors (5 ns allowed) and under 1 B/op;
 * with one at most 50 ns beyond the errors and one small object (at most 32 B/op).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ContextBenchmark {
    private final Callable<Integer> task = () -> 42;
    private final java.util.function.Supplier<Integer> supplier = () -> 42;
    private ExecutorService pool;
    private ObsSpan span;

    /** Whether the trial runs with a span open: the benchmarks named {@code ...InSpan}. */
    @State(Scope.Thread)
    public static class OpenSpan {
        ObsSpan span;

        @Setup(Level.Trial)
        public void open() {
            span = Recorder.startSpan("bench parent");
        }

        @TearDown(Level.Trial)
        public void close() {
            Recorder.endSpan(span, null);
        }
    }

    @Setup(Level.Trial)
    public void setup() {
        pool = Executors.newFixedThreadPool(1);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.shutdown();
    }

    /** {@code Thread.startVirtualThread(Runnable)} on JDK 21+, null before (this class is compiled for 17). */
    private static final java.lang.invoke.MethodHandle START_VIRTUAL = startVirtual();
    private final Runnable nothing = () -> { };

    private static java.lang.invoke.MethodHandle startVirtual() {
        try {
            return java.lang.invoke.MethodHandles.publicLookup().findStatic(Thread.class, "startVirtualThread",
                    java.lang.invoke.MethodType.methodType(Thread.class, Runnable.class));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private Thread startThread() throws Throwable {
        if (START_VIRTUAL != null) {
            return (Thread) START_VIRTUAL.invokeExact(nothing);
        }
        Thread t = new Thread(nothing);
        t.start();
        return t;
    }

    private int futureTask() throws InterruptedException, ExecutionException {
        FutureTask<Integer> f = new FutureTask<>(task);
        f.run();
        return f.get();
    }

    @Benchmark
    public int futureTaskNoSpan() throws Exception {
        return futureTask();
    }

    @Benchmark
    public int futureTaskInSpan(OpenSpan open) throws Exception {
        return futureTask();
    }

    @Benchmark
    public int supplyAsyncNoSpan() {
        return CompletableFuture.supplyAsync(supplier, Runnable::run).join();
    }

    @Benchmark
    public int supplyAsyncInSpan(OpenSpan open) {
        return CompletableFuture.supplyAsync(supplier, Runnable::run).join();
    }

    @Benchmark
    public int poolSubmitNoSpan() throws Exception {
        return pool.submit(task).get();
    }

    @Benchmark
    public int poolSubmitInSpan(OpenSpan open) throws Exception {
        return pool.submit(task).get();
    }

    @Benchmark
    public Thread threadNoSpan() throws Throwable {
        Thread t = startThread();
        t.join();
        return t;
    }

    @Benchmark
    public Thread threadInSpan(OpenSpan open) throws Throwable {
        Thread t = startThread();
        t.join();
        return t;
    }

    /**
     * {@code -Dobs.jar=agent/target/obs.jar}; arguments go to JMH (e.g. {@code -f 1 -wi 3 -i 5}). Exit status 1
     * when a target is missed.
     */
    public static void main(String[] args) throws Exception {
        String jar = System.getProperty("obs.jar", "agent/target/obs.jar");
        String[][] configs = {
                {"no agent"},
                {"obs, family off", "-javaagent:" + jar, "-Dobs.instrumentation.concurrent.enabled=false",
                        "-Dobs.exporter=none", "-Dobs.summary=false"},
                {"obs, family on", "-javaagent:" + jar, "-Dobs.exporter=none", "-Dobs.summary=false"},
        };
        String[] names = {"futureTaskNoSpan", "futureTaskInSpan", "supplyAsyncNoSpan", "supplyAsyncInSpan",
                "poolSubmitNoSpan", "poolSubmitInSpan", "threadNoSpan", "threadInSpan"};
        double[][] ns = new double[configs.length][names.length];
        double[][] err = new double[configs.length][names.length];
        double[][] bytes = new double[configs.length][names.length];
        // one benchmark at a time through the three forks, so that each comparison is measured close together
        for (int i = 0; i < names.length; i++) {
            for (int c = 0; c < configs.length; c++) {
                OptionsBuilder b = new OptionsBuilder();
                b.parent(new org.openjdk.jmh.runner.options.CommandLineOptions(args));
                b.include(ContextBenchmark.class.getName() + "\\." + names[i] + "$");
                b.addProfiler(org.openjdk.jmh.profile.GCProfiler.class);
                String[] jvm = Arrays.copyOfRange(configs[c], 1, configs[c].length);
                b.jvmArgsAppend(jvm.length == 0 ? new String[] {"-Dobs.none=1"} : jvm);
                b.shouldFailOnError(true);
                Collection<RunResult> results = new Runner(b.build()).run();
                for (RunResult r : results) {
                    ns[c][i] = r.getPrimaryResult().getScore();
                    err[c][i] = r.getPrimaryResult().getScoreError();
                    Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
                    bytes[c][i] = alloc == null ? Double.NaN : alloc.getScore();
                }
            }
        }
        boolean ok = true;
        System.out.println();
        System.out.println("== context: ns/op and B/op (the machine may be shared: compare within this run)");
        System.out.printf("%-20s %-16s %10s %8s %10s %12s %10s %s%n", "benchmark", "config", "ns/op", "±err", "B/op",
                "vs no agent", "B vs none", "target");
        for (int i = 0; i < names.length; i++) {
            boolean inSpan = names[i].endsWith("InSpan");
            boolean judged = !names[i].startsWith("poolSubmit") && !names[i].startsWith("thread");
            for (int c = 0; c < configs.length; c++) {
                double delta = ns[c][i] - ns[0][i];
                double extraBytes = bytes[c][i] - bytes[0][i];
                String target = "";
                if (ns[c][i] == 0) {
                    ok = false;
                    target = "FAIL no result";
                } else if (c == 0) {
                    target = "";
                } else if (!judged) {
                    target = "(informational)";
                } else if (c == 1 || !inSpan) {
                    // family off, or no span current: nothing measurable
                    boolean pass = delta - err[0][i] - err[c][i] <= 5 && extraBytes < 1;
                    ok &= pass;
                    target = (pass ? "PASS" : "FAIL") + " <=5ns+err,<1B";
                } else {
                    boolean pass = delta - err[0][i] - err[c][i] <= 50 && extraBytes <= 32;
                    ok &= pass;
                    target = (pass ? "PASS" : "FAIL") + " <=50ns+err,<=32B";
                }
                System.out.printf("%-20s %-16s %10.1f %8.1f %10.2f %+11.1fns %+9.1fB %s%n", names[i], configs[c][0],
                        ns[c][i], err[c][i], bytes[c][i], delta, extraBytes, target);
            }
        }
        System.exit(ok ? 0 : 1);
    }
}
