package dev.obs.it;

import static dev.obs.it.ObsRuns.ARRIVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.GitCliApp;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.RawRequest;
import dev.obs.it.harness.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real git command line started through ProcessBuilder and Runtime.exec, seen on the OTLP wire. One run
 * of {@link GitCliApp} with and one without the agent, shared by the scenarios; trace2 in a run of its own.
 */
class ProcessInstrumentationTest {
    @RegisterExtension
    static final OtlpHttpReceiver receiver = new OtlpHttpReceiver();

    @TempDir
    static Path tmp;
    static JvmResult plain;
    static JvmResult run;
    static ReceivedSpan caller;
    static List<ReceivedSpan> spans;
    static final Map<String, ReceivedSpan> byName = new HashMap<>();

    /** {@link GitCliApp} without and with the agent; the traced run's git spans and its calling method. */
    @BeforeAll
    static void runTheAppWithAndWithoutTheAgent() throws Exception {
        Path plainRepo = Files.createDirectories(tmp.resolve("plain"));
        plain = AgentJvm.withoutAgent(GitCliApp.class).args(plainRepo.toString()).run();
        Path repo = Files.createDirectories(tmp.resolve("traced"));
        run = AgentJvm.withAgent(GitCliApp.class)
                .property("obs.methods.include", "com.acme.GitCliApp[run]")
                .property("otel.metric.export.interval", "1s")
                .property("otel.exporter.otlp.endpoint", receiver.endpoint())
                .args(repo.toString()).run();
        spans = receiver.awaitSpans(s -> s.name().equals("git") || s.name().startsWith("git "), 5, ARRIVAL);
        caller = receiver.awaitSpans(s -> s.name().equals("GitCliApp.run"), 1, ARRIVAL).get(0);
        for (ReceivedSpan s : spans) {
            byName.put(s.name(), s);
        }
    }

    @Test
    void theProgramsOutputAndExitCodeAreUnchanged() {
        assertEquals(plain.exitCode(), run.exitCode(), run.describe());
        assertEquals(plain.stdout(), run.stdout(), "the program's output is unchanged" + run.describe());
        assertTrue(run.stdout().contains("git checkout exit 1"), run.describe());
    }

    @Test
    void gitRunsAreChildrenOfTheCallingMethodWithTheirExecutableAndArguments() {
        for (ReceivedSpan s : spans) {
            assertEquals(caller.traceId(), s.traceId(), s.toString());
            assertEquals(caller.spanId(), s.parentSpanId(), "git runs are children of the calling method: " + s);
            assertFalse(s.attributeList("process.command_args").isEmpty(), s.toString());
            assertEquals("git", s.attribute("process.executable.name"), s.toString());
        }
    }

    @Test
    void eachGitRunIsASpanNamedAfterItsSubcommand() {
        assertEquals(Set.of("git init", "git commit", "git checkout", "git ls-remote", "git"),
                byName.keySet(), receiver.describe());
    }

    @Test
    void exitCodesAreRecordedAndANonZeroExitIsAnError() {
        assertExit(byName.get("git init"), 0, false);
        assertExit(byName.get("git commit"), 0, false);
        assertExit(byName.get("git checkout"), 1, true);
        assertExit(byName.get("git ls-remote"), 128, true);
    }

    @Test
    void credentialsInTheCommandLineAreMasked() {
        assertNotNull(byName.get("git ls-remote"), receiver.describe());
        List<String> args = byName.get("git ls-remote").attributeList("process.command_args");
        assertEquals("https://****@127.0.0.1:1/x.git", args.get(args.size() - 1), args.toString());
        assertEquals("http.extraHeader=****", args.get(2), args.toString());
    }

    @Test
    void otherExecutablesAreCountedButNotTraced() {
        assertTrue(receiver.spans(s -> s.name().startsWith("sh")).isEmpty(), "sh is counted, not traced");
        receiver.awaitCondition(() -> receiver.latestValue("obs.process.started",
                Map.of("process.executable.name", "sh")) == 1, ARRIVAL, receiver::describe);
    }

    @Test
    void everyGitRunIsCounted() {
        receiver.awaitCondition(() -> receiver.latestValue("obs.process.started",
                Map.of("process.executable.name", "git")) == 5, ARRIVAL, receiver::describe);
    }

    @Test
    void noSecretOfTheCommandLinesLeavesTheProcess() {
        assertFalse(receiver.rawRequests().isEmpty(), receiver.describe());
        for (RawRequest request : receiver.rawRequests()) {
            String body = new String(request.decodedBody(), StandardCharsets.ISO_8859_1);
            for (String secret : List.of("ghp_abcdefghijklmnopqrstuvwxyz0123456789", "sekret-header-value", "alice")) {
                assertFalse(body.contains(secret), secret + " left the process");
            }
        }
    }

    @Test
    void withTrace2GitRegionsBecomeChildSpansWithinTheRunAndTheTraceFilesAreRemoved(@TempDir Path dir)
            throws Exception {
        try (OtlpHttpReceiver trace2Receiver = new OtlpHttpReceiver()) {
            Path repo = Files.createDirectories(dir.resolve("repo"));
            Path childTmp = Files.createDirectories(dir.resolve("child-tmp"));
            JvmResult run = AgentJvm.withAgent(GitCliApp.class)
                    .property("obs.git.trace2", "true")
                    .property("java.io.tmpdir", childTmp.toString())
                    .property("otel.exporter.otlp.endpoint", trace2Receiver.endpoint())
                    .args(repo.toString()).run();
            assertEquals(0, run.exitCode(), run.describe());
            ReceivedSpan commit = trace2Receiver.awaitSpans(s -> s.name().equals("git commit"), 1, ARRIVAL).get(0);
            List<ReceivedSpan> regions = trace2Receiver.awaitSpans(s -> s.parentSpanId().equals(commit.spanId()), 1,
                    ARRIVAL);
            for (ReceivedSpan region : regions) {
                assertEquals(commit.traceId(), region.traceId());
                assertFalse(region.attribute("git.trace2.category").isEmpty(), region.toString());
                assertTrue(region.span().getStartTimeUnixNano() >= commit.span().getStartTimeUnixNano(),
                        region.toString());
                assertTrue(region.span().getEndTimeUnixNano() <= commit.span().getEndTimeUnixNano(), region.toString());
            }
            try (var left = Files.list(childTmp)) {
                assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith("obs-trace2-")).toList(),
                        "trace2 files are deleted after each run");
            }
        }
    }

    private static void assertExit(ReceivedSpan span, long code, boolean error) {
        assertNotNull(span, receiver.describe());
        assertEquals(String.valueOf(code), span.attribute("process.exit.code"), span.toString());
        assertEquals(error ? Status.StatusCode.STATUS_CODE_ERROR : Status.StatusCode.STATUS_CODE_UNSET,
                span.span().getStatus().getCode(), span.toString());
    }
}
