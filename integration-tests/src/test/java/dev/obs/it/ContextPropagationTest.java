package dev.obs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.ContextApp;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.ReceivedSpan;
import dev.obs.it.harness.SharedRuns;
import dev.obs.it.harness.TestJdk;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link ContextApp} under the agent, on the build's JDK and on Java 25, exporting OTLP/HTTP to a real
 * receiver: a task handed to another thread while a span is open (span {@code Handoff.<case>}) starts its
 * own span ({@code HandoffTask.<case>}) as that span's child in the same trace, one test per way of handing
 * it over. The controls in the same run: the same ways with no span open give roots, on the same pools (a
 * worker does not keep the previous task's span), the submitting spans end normally, and the program prints
 * with the agent what it prints without (the tasks' results and their exceptions, the same instances).
 */
class ContextPropagationTest {
    private static final int CASES_EVERY_JDK = 9;
    private static final int CASES_VIRTUAL = 2;
    /** failingSubmit and failingAsync: parent and child each. */
    private static final int FAILING_SPANS = 4;
    private static final int ROOTS_WITHOUT_SPAN = 6;

    @RegisterExtension
    static final OtlpHttpReceiver receiver = new OtlpHttpReceiver();
    @RegisterExtension
    static final SharedRuns<TestJdk, Run> RUNS = new SharedRuns<>(ContextPropagationTest::contextRun);

    private record Run(JvmResult result, List<ReceivedSpan> spans, int expected) {
        void assertComplete() {
            assertEquals(0, result.exitCode(), result.describe());
            assertEquals(expected, spans.size(), spans + result.describe());
        }

        ReceivedSpan only(String name) {
            List<ReceivedSpan> named = spans.stream().filter(s -> s.name().equals(name)).toList();
            assertEquals(1, named.size(), name + " spans: " + named + "\nall: " + spans + result.describe());
            return named.get(0);
        }
    }

    /** The run of {@code jdk}, complete: every expected span arrived. */
    private static Run run(TestJdk jdk) {
        Run run = RUNS.get(jdk);
        run.assertComplete();
        return run;
    }

    /** One run per JDK, shared by the tests (a failed run is not repeated: each test then fails on it). */
    private static Run contextRun(TestJdk j) {
        String service = "context-" + j.name().toLowerCase();
        JvmResult result = agent(j).property("otel.service.name", service).run();
        int expected = 2 * (CASES_EVERY_JDK + (j.feature() >= 21 ? CASES_VIRTUAL : 0)) + FAILING_SPANS
                + ROOTS_WITHOUT_SPAN;
        java.util.function.Predicate<ReceivedSpan> ofRun = s -> service.equals(s.resourceAttribute("service.name"))
                && s.name().startsWith("Handoff");
        try {
            receiver.awaitSpans(ofRun, expected, ObsRuns.ARRIVAL);
        } catch (AssertionError timedOut) {
            // assertComplete says what is missing
        }
        return new Run(result, receiver.spans(ofRun), expected);
    }

    private static AgentJvm agent(TestJdk jdk) {
        return AgentJvm.withAgent(ContextApp.class).javaHome(jdk.home())
                .jvmArg("-XX:+UnlockDiagnosticVMOptions").jvmArg("-XX:+BytecodeVerificationLocal")
                .property("obs.methods.include", "com.acme.Handoff[*];com.acme.HandoffTask[*]")
                .property("otel.exporter.otlp.endpoint", receiver.endpoint());
    }

    /** The task's span is the child of the span open where it was handed over, in the same trace. */
    private static void assertChildOfSubmitter(TestJdk jdk, String handoff) {
        Run run = run(jdk);
        ReceivedSpan submitter = run.only("Handoff." + handoff);
        ReceivedSpan task = run.only("HandoffTask." + handoff);
        assertTrue(submitter.isRoot(), submitter.toString());
        assertEquals(submitter.traceId(), task.traceId(), task + " not in the trace of " + submitter);
        assertEquals(submitter.spanId(), task.parentSpanId(), task + " not a child of " + submitter);
    }

    @ParameterizedTest
    @EnumSource(TestJdk.class)
    void threadPoolExecuteRunsTheTaskUnderTheSubmittingSpan(TestJdk jdk) {
        assertChildOfSubmitter(jdk, "poolExecute");
    }

    @ParameterizedTest
    @EnumSource(TestJdk.class)
    void threadPoolSubmitRunsTheTaskUnderTheSubmittingSpan(TestJdk jdk) {
        assertChildOfSubmitter(jdk, "poolSubmit");
    }

    @ParameterizedTest
    @EnumSource(TestJdk.class)
    void scheduledExecutorRunsTheTaskUnderTheSchedulingSpan(TestJdk jdk) {
        assertChildOfSubmitter(jdk, "scheduled");
    }

    @ParameterizedTest
    @EnumSource(TestJdk.class)
    void completableFutureSupplyAsyncRunsUnderTheCallingSpan(TestJdk jdk) {
        assertChildOfSubmitter(jdk, "supplyAsync");
    }

    @ParameterizedTest
    @EnumSource(TestJdk.class)
    void thenApplyAsyncOnAFutureCompletedElsewhereRunsUnderTheSpanThatAddedTheStage(TestJdk jdk) {
        assertChildOfSubmitter(jdk, "thenApplyAsync");
    }

    @ParameterizedTest
    @EnumSource(TestJdk.class)
    void forkJoinPoolSubmitRunsUnderTheSubmittingSpan(TestJdk jdk) {
        assertChildOfSubmitter(jdk, "forkJoinSubmit");
    }

    @ParameterizedTest
    @EnumSource(TestJdk.class)
    void forkJoinTaskForkRunsUnderTheForkingSpan(TestJdk jdk) {
        assertChildOfSubmitter(jdk, "forkJoinFork");
    }

    @ParameterizedTest
    @EnumSource(TestJdk.class)
    void forkJoinPoolInvokeRunsUnderTheInvokingSpan(TestJdk jdk) {
        assertChildOfSubmitter(jdk, "forkJoinInvoke");
    }

    @ParameterizedTest
    @EnumSource(TestJdk.class)
    void newThreadStartRunsUnderTheStartingSpan(TestJdk jdk) {
        assertChildOfSubmitter(jdk, "threadStart");
    }

    @Test
    void virtualThreadStartRunsUnderTheStartingSpanOnJava25() {
        assertChildOfSubmitter(TestJdk.JAVA25, "virtualThread");
    }

    @Test
    void virtualThreadPerTaskExecutorRunsUnderTheSubmittingSpanOnJava25() {
        assertChildOfSubmitter(TestJdk.JAVA25, "virtualExecutor");
    }

    @ParameterizedTest
    @EnumSource(TestJdk.class)
    void tasksHandedOverWithNoSpanOpenAreRootsEvenOnWorkersThatRanACarriedTask(TestJdk jdk) {
        List<ReceivedSpan> withoutSpan = run(jdk).spans().stream()
                .filter(s -> s.name().equals("HandoffTask.withoutSpan")).toList();
        assertEquals(ROOTS_WITHOUT_SPAN, withoutSpan.size(), withoutSpan.toString());
        for (ReceivedSpan span : withoutSpan) {
            assertTrue(span.isRoot(), "a task handed over with no span open got a parent: " + span);
        }
        assertEquals(ROOTS_WITHOUT_SPAN, withoutSpan.stream().map(ReceivedSpan::traceId).distinct().count());
    }

    @ParameterizedTest
    @EnumSource(TestJdk.class)
    void submittingSpansEndNormallyAndFailingTasksKeepTheirErrorInTheirOwnSpan(TestJdk jdk) {
        Run run = run(jdk);
        Map<String, List<ReceivedSpan>> byName = run.spans().stream()
                .collect(Collectors.groupingBy(ReceivedSpan::name));
        for (ReceivedSpan span : run.spans()) {
            assertTrue(span.span().getEndTimeUnixNano() >= span.span().getStartTimeUnixNano(), span.toString());
            boolean failingTask = span.name().equals("HandoffTask.failingSubmit")
                    || span.name().equals("HandoffTask.failingAsync");
            assertEquals(failingTask ? Status.StatusCode.STATUS_CODE_ERROR : Status.StatusCode.STATUS_CODE_UNSET,
                    span.span().getStatus().getCode(), span.toString());
        }
        assertChildOfSubmitter(jdk, "failingSubmit");
        assertChildOfSubmitter(jdk, "failingAsync");
        assertEquals(1, byName.get("Handoff.failingSubmit").size());
    }

    @Test
    void theProgramPrintsTheSameResultsAndGetsTheSameExceptionInstancesWithTheAgent() {
        JvmResult plain = agent(TestJdk.BUILD).withoutAgent().run();
        JvmResult instrumented = run(TestJdk.BUILD).result();
        assertEquals(0, plain.exitCode(), plain.describe());
        assertTrue(plain.stdout().contains("same exception from submit: true"), plain.describe());
        assertTrue(plain.stdout().contains("same exception from supplyAsync: true"), plain.describe());
        assertTrue(plain.stdout().contains("ran:thenApplyAsync(input)"), plain.describe());
        assertEquals(plain.stdout(), instrumented.stdout(), instrumented.describe());
    }

    @Test
    void withTheFamilySwitchedOffTheTaskIsARootAndTheSameRunShowsTheMethodSpans() {
        String service = "context-off";
        JvmResult result = agent(TestJdk.BUILD).property("otel.service.name", service)
                .property("obs.instrumentation.concurrent.enabled", "false").run();
        assertEquals(0, result.exitCode(), result.describe());
        int expected = 2 * CASES_EVERY_JDK + FAILING_SPANS + ROOTS_WITHOUT_SPAN;
        List<ReceivedSpan> spans = receiver.awaitSpans(s -> service.equals(s.resourceAttribute("service.name"))
                && s.name().startsWith("Handoff"), expected, ObsRuns.ARRIVAL);
        assertEquals(expected, spans.size(), spans + result.describe());
        ReceivedSpan task = spans.stream().filter(s -> s.name().equals("HandoffTask.poolSubmit")).findFirst()
                .orElseThrow();
        assertTrue(task.isRoot(), "without the family the pool's task has no parent: " + task);
    }
}
