package dev.obs.it;

import static dev.obs.it.ObsRuns.ARRIVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obs.bench.ThreadsWorkload;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.JGitJars;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.TestJdk;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many short-lived threads, each reading a 512-byte file once ({@link ThreadsWorkload}, the program of
 * {@code bench.sh threads}), in a child JVM with the agent exporting to a real OTLP/HTTP receiver: the
 * exported {@code fs.operations} and {@code fs.io.bytes} of the file's group, and the duration metrics of the
 * traced method or of JGit's {@code branch list}, count every thread's calls exactly, though nearly all of
 * those threads ended long before the exporter looked. Platform threads (one after another) on the build's
 * JDK, virtual threads ({@code newVirtualThreadPerTaskExecutor}) on Java 25.
 */
class ThreadChurnTest {
    static final int PLATFORM_THREADS = 3_000;
    static final int VIRTUAL_THREADS = 20_000;
    static final int GIT_PLATFORM_THREADS = 1_000;
    static final int GIT_VIRTUAL_THREADS = 5_000;

    @RegisterExtension
    static final OtlpHttpReceiver receiver = new OtlpHttpReceiver();

    @Test
    void platformThreadsOneAfterAnotherAreEachCountedInFsAndMethodMetrics(@TempDir Path tmp) throws Exception {
        run(TestJdk.BUILD, "platform", PLATFORM_THREADS, "method", tmp);
        assertMethodCount(PLATFORM_THREADS);
    }

    @Test
    void virtualThreadsAreEachCountedInFsAndMethodMetrics(@TempDir Path tmp) throws Exception {
        run(TestJdk.JAVA25, "virtual", VIRTUAL_THREADS, "method", tmp);
        assertMethodCount(VIRTUAL_THREADS);
    }

    @Test
    void platformThreadsEachRunningAJGitCommandAreEachCountedInFsAndGitMetrics(@TempDir Path tmp) throws Exception {
        run(TestJdk.BUILD, "platform", GIT_PLATFORM_THREADS, "git", tmp);
        assertGitCount(GIT_PLATFORM_THREADS);
    }

    @Test
    void virtualThreadsEachRunningAJGitCommandAreEachCountedInFsAndGitMetrics(@TempDir Path tmp) throws Exception {
        run(TestJdk.JAVA25, "virtual", GIT_VIRTUAL_THREADS, "git", tmp);
        assertGitCount(GIT_VIRTUAL_THREADS);
    }

    /**
     * Each thread opens the file (its first file call) and reads it once: about 1 call in 64 is timed for the
     * latency histogram whichever call of its thread it is, so the opens' sampled count is a small share of
     * them; some are sampled (the histogram is not empty).
     */
    @Test
    void aThreadsFirstFileCallIsSampledLikeAnyOther(@TempDir Path tmp) throws Exception {
        run(TestJdk.BUILD, "platform", PLATFORM_THREADS, "fs", tmp);
        Map<String, String> opens = Map.of("fs.operation", "open", "file.group", "bench");
        receiver.awaitCondition(() -> receiver.latestHistogramCount("fs.operation.duration", opens) > 0, ARRIVAL,
                () -> "some opens sampled\n" + receiver.describeSeries("fs.operation.duration"));
        long sampled = receiver.latestHistogramCount("fs.operation.duration", opens);
        assertTrue(sampled < PLATFORM_THREADS / 8, sampled + " of " + PLATFORM_THREADS + " opens sampled\n"
                + receiver.describeSeries("fs.operation.duration"));
    }

    /** Runs the workload with the agent and waits for the exact fs counts of its file. */
    private static void run(TestJdk jdk, String kind, int threads, String work, Path tmp) throws Exception {
        receiver.clear();
        Path dir = tmp.resolve("work");
        AgentJvm jvm = AgentJvm.withAgent(ThreadsWorkload.class).javaHome(jdk.home())
                .classpath(Path.of(ThreadsWorkload.class.getProtectionDomain().getCodeSource().getLocation().toURI()))
                .property("obs.fs.groups", "bench=" + dir.resolve("data") + "/**")
                .property("obs.methods.include", ThreadsWorkload.class.getName() + "[traced]")
                .property("otel.metric.export.interval", "1s")
                .property("otel.exporter.otlp.endpoint", receiver.endpoint())
                .args(kind, Integer.toString(threads), work, "0", dir.toString());
        // the workload's class refers to JGit whatever its work
        JGitJars.withJGit(jvm, null, tmp.resolve("home"));
        JvmResult result = jvm.run();
        assertEquals(0, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("TASKS_DONE " + threads), result.describe());
        awaitValue("fs.operations", Map.of("fs.operation", "read", "file.group", "bench"), threads);
        awaitValue("fs.io.bytes", Map.of("fs.io.direction", "read", "file.group", "bench"),
                (long) threads * ThreadsWorkload.FILE_BYTES);
        // the file is opened once by every thread, and once when it is written before them
        awaitValue("fs.operations", Map.of("fs.operation", "open", "file.group", "bench"), threads + 1L);
    }

    private static void assertMethodCount(int threads) {
        awaitHistogramCount("obs.method.duration",
                Map.of("code.namespace", ThreadsWorkload.class.getName(), "code.function", "traced"), threads);
    }

    private static void assertGitCount(int threads) {
        awaitHistogramCount("git.operation.duration", Map.of("git.operation", "branch list"), threads);
    }

    private static void awaitValue(String metric, Map<String, String> attributes, long expected) {
        receiver.awaitCondition(() -> receiver.latestValue(metric, attributes) == expected, ARRIVAL,
                () -> metric + attributes + " expected " + expected + " got " + receiver.latestValue(metric, attributes)
                        + "\n" + receiver.describeSeries(metric));
    }

    private static void awaitHistogramCount(String metric, Map<String, String> attributes, long expected) {
        receiver.awaitCondition(() -> receiver.latestHistogramCount(metric, attributes) == expected, ARRIVAL,
                () -> metric + attributes + " count expected " + expected + " got "
                        + receiver.latestHistogramCount(metric, attributes) + "\n" + receiver.describeSeries(metric));
    }
}
