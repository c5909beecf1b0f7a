package dev.obs.it;

import static dev.obs.it.ObsRuns.ARRIVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.FsApp;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.ReceivedSpan;
import dev.obs.it.harness.SharedRuns;
import dev.obs.it.harness.TestJdk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real files in temporary directories, read and written by {@link FsApp} in a child JVM with the agent, on
 * the build's JDK and on Java 25 ({@link TestJdk}): exact counts and bytes at the OTLP receiver, exceptions
 * unchanged and counted, and one slow span for a FIFO read whose writer comes late. One run without and
 * one with the agent per JDK, shared by the scenarios.
 */
class FsInstrumentationTest {
    static final int BLOCKS = 37;
    static final int MT_READS = 2000;

    /** What {@link FsApp} did without the agent and with it, and what the latter exported. */
    record FsRun(int feature, Path data, Path fifo, Path plainData, JvmResult plain, JvmResult run,
                 OtlpHttpReceiver receiver) implements AutoCloseable {
        void awaitValue(String metric, Map<String, String> attributes, long expected) {
            FsInstrumentationTest.awaitValue(receiver, metric, attributes, expected);
        }

        @Override
        public void close() {
            receiver.close();
        }
    }

    @RegisterExtension
    static final SharedRuns<TestJdk, FsRun> runs = new SharedRuns<>(FsInstrumentationTest::fsRun);

    @TempDir
    static Path base;

    /**
     * Exceptions and results reach the program unchanged: its output is the same without the agent, up to
     * the temporary paths, and the FIFO lines that only the agent run has.
     */
    @ParameterizedTest
    @EnumSource(TestJdk.class)
    void theProgramsResultsAndExceptionsAreUnchanged(TestJdk jdk) {
        FsRun r = runs.get(jdk);
        JvmResult run = r.run();
        assertEquals(0, r.plain().exitCode(), r.plain().describe());
        assertEquals(0, run.exitCode(), run.describe());
        assertEquals(r.plain().stdout().replace(r.plainData().toString(), "DATA"),
                run.stdout().replace(r.data().toString(), "DATA").replace("fifo read 10\n", ""), run.describe());
        assertTrue(run.stdout().contains("missing: java.io.FileNotFoundException"), run.describe());
        assertTrue(run.stdout().contains("closed: java.io.IOException: Stream Closed"), run.describe());
    }

    @ParameterizedTest
    @EnumSource(TestJdk.class)
    void everyOperationOfEachKindIsCountedExactly(TestJdk jdk) {
        FsRun r = runs.get(jdk);
        Map<String, Long> expected = new HashMap<>();
        expected.put("read", BLOCKS + 1L + 6 + 1 + 1);     // blocks + EOF, 6 RAF bytes/EOF, positional, closed
        expected.put("write", BLOCKS + 5L + 3);            // blocks, 5 RAF bytes, 3 channel writes
        expected.put("force", r.feature() >= 25 ? 2L : 1L); // channel force, FileDescriptor.sync (Java on 25 only)
        expected.put("open", 6L);
        expected.put("create", 1L);
        expected.put("delete", 4L);
        expected.put("copy", 1L);
        expected.put("move", 2L);
        expected.put("mkdir", 2L);
        expected.put("list", 2L);
        for (Map.Entry<String, Long> e : expected.entrySet()) {
            r.awaitValue("fs.operations", Map.of("fs.operation", e.getKey(), "file.group", "data"), e.getValue());
        }
    }

    @ParameterizedTest
    @EnumSource(TestJdk.class)
    void bytesReadAndWrittenAreExact(TestJdk jdk) {
        FsRun r = runs.get(jdk);
        long blockBytes = (long) BLOCKS * FsApp.BLOCK;
        r.awaitValue("fs.io.bytes", Map.of("fs.io.direction", "read", "file.group", "data"), blockBytes + 5 + 3000);
        r.awaitValue("fs.io.bytes", Map.of("fs.io.direction", "write", "file.group", "data"), blockBytes + 5 + 3000);
    }

    @ParameterizedTest
    @EnumSource(TestJdk.class)
    void failedCallsAreCountedAsErrorsByExceptionType(TestJdk jdk) {
        FsRun r = runs.get(jdk);
        r.awaitValue("fs.errors", Map.of("fs.operation", "open", "error.type", "java.io.FileNotFoundException"), 1);
        r.awaitValue("fs.errors", Map.of("fs.operation", "read", "error.type", "java.io.IOException"), 1);
        r.awaitValue("fs.errors", Map.of("fs.operation", "delete", "error.type", "java.nio.file.NoSuchFileException"),
                1);
    }

    /** 8 threads of small reads: every one counted, none lost (the counters cannot drop). */
    @ParameterizedTest
    @EnumSource(TestJdk.class)
    void everyReadOfEightThreadsIsCounted(TestJdk jdk) {
        FsRun r = runs.get(jdk);
        r.awaitValue("fs.operations", Map.of("fs.operation", "read", "file.group", "mt"), 8L * (MT_READS + 1));
        r.awaitValue("fs.io.bytes", Map.of("fs.io.direction", "read", "file.group", "mt"), 8L * MT_READS * 16);
    }

    /** The sampled histogram holds no more calls than were made, and some were timed. */
    @ParameterizedTest
    @EnumSource(TestJdk.class)
    void theDurationHistogramIsASampleOfTheCalls(TestJdk jdk) {
        FsRun r = runs.get(jdk);
        // the metrics of the threads' reads have arrived: their count is exact
        r.awaitValue("fs.operations", Map.of("fs.operation", "read", "file.group", "mt"), 8L * (MT_READS + 1));
        long sampled = r.receiver().latestHistogramCount("fs.operation.duration",
                Map.of("fs.operation", "read", "file.group", "mt"));
        assertTrue(sampled > 0 && sampled < 8L * (MT_READS + 1), "sampled " + sampled);
    }

    /** Exactly one slow span for the FIFO, a child of the method that read it. */
    @ParameterizedTest
    @EnumSource(TestJdk.class)
    void aFifoReadWithALateWriterIsOneSlowSpanUnderItsMethod(TestJdk jdk) throws Exception {
        FsRun r = runs.get(jdk);
        OtlpHttpReceiver receiver = r.receiver();
        String fifo = r.fifo().toString();
        ReceivedSpan method = receiver.awaitSpans(s -> s.name().equals("FsApp.slowRead"), 1, ARRIVAL).get(0);
        List<ReceivedSpan> slowSpans = receiver.awaitSpans(s -> fifo.equals(s.attribute("file.path")), 1, ARRIVAL);
        Thread.sleep(1500);
        slowSpans = receiver.spans(s -> fifo.equals(s.attribute("file.path")));
        assertEquals(1, slowSpans.size(), receiver.describe());
        ReceivedSpan span = slowSpans.get(0);
        assertEquals("fs read", span.name());
        assertEquals("slow", span.attribute("file.group"));
        assertEquals("10", span.attribute("fs.bytes"));
        assertEquals(method.spanId(), span.parentSpanId(), span.toString());
        long durationNanos = span.span().getEndTimeUnixNano() - span.span().getStartTimeUnixNano();
        assertTrue(durationNanos >= 600_000_000L && durationNanos < 5_000_000_000L, span.toString());
    }

    /** FsApp on {@code jdk} without the agent, then with it, exporting to a receiver of its own. */
    private static FsRun fsRun(TestJdk jdk) throws Exception {
        Path tmp = Files.createDirectories(base.resolve(jdk.name()));
        Path javaHome = jdk.home();
        Path data = Files.createDirectories(tmp.resolve("data"));
        Path mt = Files.createDirectories(tmp.resolve("mt"));
        Path slow = Files.createDirectories(tmp.resolve("slow"));
        Path fifo = slow.resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");

        String[] args = {"--data=" + data, "--blocks=" + BLOCKS, "--mt=" + mt,
                "--mtReads=" + MT_READS, "--fifo=" + fifo, "--fifoDelayMs=700"};
        Path plainData = Files.createDirectories(tmp.resolve("plain/data"));
        Path plainMt = Files.createDirectories(tmp.resolve("plain/mt"));
        JvmResult plain = AgentJvm.withoutAgent(FsApp.class).javaHome(javaHome)
                .args("--data=" + plainData, "--blocks=" + BLOCKS, "--mt=" + plainMt,
                        "--mtReads=10")
                .run();

        OtlpHttpReceiver receiver = new OtlpHttpReceiver();
        JvmResult run = AgentJvm.withAgent(FsApp.class).javaHome(javaHome)
                .property("obs.fs.groups", "data=" + data + "/**,mt=" + mt + "/**,slow=" + slow + "/**")
                .property("obs.fs.slow.threshold", "200ms")
                .property("obs.methods.include", "com.acme.FsApp[slowRead]")
                .property("otel.metric.export.interval", "1s")
                .property("otel.exporter.otlp.endpoint", receiver.endpoint())
                .args(args).run();
        return new FsRun(jdk.feature(), data, fifo, plainData, plain, run, receiver);
    }

    private static void awaitValue(OtlpHttpReceiver receiver, String metric, Map<String, String> attributes,
                                   long expected) {
        receiver.awaitCondition(() -> receiver.latestValue(metric, attributes) == expected, ARRIVAL,
                () -> metric + attributes + " expected " + expected + " got " + receiver.latestValue(metric, attributes)
                        + "\n" + receiver.describeSeries(metric));
    }
}
