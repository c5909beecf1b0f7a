package dev.obs.it;

import static dev.obs.it.ObsRuns.ARRIVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.GitCliApp;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.Otlp;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.RawRequest;
import dev.obs.it.harness.ReceivedSpan;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The real git command line started through ProcessBuilder and Runtime.exec, seen on the OTLP wire. */
class ProcessInstrumentationTest {
    @RegisterExtension
    static final OtlpHttpReceiver receiver = new OtlpHttpReceiver();

    @Test
    void gitRunsBecomeMaskedSpansUnderTheCallerAndOtherExecutablesAreCounted(@TempDir Path tmp) throws Exception {
        receiver.clear();
        Path plainRepo = Files.createDirectories(tmp.resolve("plain"));
        JvmResult plain = AgentJvm.withoutAgent(GitCliApp.class).args(plainRepo.toString()).run();
        Path repo = Files.createDirectories(tmp.resolve("traced"));
        JvmResult run = AgentJvm.withAgent(GitCliApp.class)
                .property("obs.methods.include", "com.acme.GitCliApp[run]")
                .property("otel.metric.export.interval", "1s")
                .property("otel.exporter.otlp.endpoint", receiver.endpoint())
                .args(repo.toString()).run();
        assertEquals(plain.exitCode(), run.exitCode(), run.describe());
        assertEquals(plain.stdout(), run.stdout(), "the program's output is unchanged" + run.describe());
        assertTrue(run.stdout().contains("git checkout exit 1"), run.describe());

        List<ReceivedSpan> spans = receiver.awaitSpans(s -> s.name().equals("git") || s.name().startsWith("git "), 5, ARRIVAL);
        ReceivedSpan caller = receiver.awaitSpans(s -> s.name().equals("GitCliApp.run"), 1, ARRIVAL).get(0);
        Map<String, ReceivedSpan> byName = new java.util.HashMap<>();
        for (ReceivedSpan s : spans) {
            byName.put(s.name(), s);
            assertEquals(caller.traceId(), s.traceId(), s.toString());
            assertEquals(caller.spanId(), s.parentSpanId(), "git runs are children of the calling method: " + s);
            assertFalse(Otlp.stringList(attribute(s, "process.command_args")).isEmpty(), s.toString());
            assertEquals("git", s.attribute("process.executable.name"), s.toString());
        }
        assertEquals(java.util.Set.of("git init", "git commit", "git checkout", "git ls-remote", "git"),
                byName.keySet(), receiver.describe());
        assertExit(byName.get("git init"), 0, false);
        assertExit(byName.get("git commit"), 0, false);
        assertExit(byName.get("git checkout"), 1, true);
        assertExit(byName.get("git ls-remote"), 128, true);

        List<String> args = Otlp.stringList(attribute(byName.get("git ls-remote"), "process.command_args"));
        assertEquals("https://****@127.0.0.1:1/x.git", args.get(args.size() - 1), args.toString());
        assertEquals("http.extraHeader=****", args.get(2), args.toString());
        assertTrue(receiver.spans(s -> s.name().startsWith("sh")).isEmpty(), "sh is counted, not traced");

        receiver.awaitCondition(() -> receiver.latestValue("obs.process.started",
                Map.of("process.executable.name", "sh")) == 1, ARRIVAL, receiver::describe);
        receiver.awaitCondition(() -> receiver.latestValue("obs.process.started",
                Map.of("process.executable.name", "git")) == 5, ARRIVAL, receiver::describe);

        for (RawRequest request : receiver.rawRequests()) {
            String body = new String(request.decodedBody(), StandardCharsets.ISO_8859_1);
            for (String secret : List.of("ghp_abcdefghijklmnopqrstuvwxyz0123456789", "sekret-header-value", "alice")) {
                assertFalse(body.contains(secret), secret + " left the process");
            }
        }
    }

    @Test
    void withTrace2GitRegionsBecomeChildSpansWithinTheRunAndTheTraceFilesAreRemoved(@TempDir Path tmp)
            throws Exception {
        receiver.clear();
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        Path childTmp = Files.createDirectories(tmp.resolve("child-tmp"));
        JvmResult run = AgentJvm.withAgent(GitCliApp.class)
                .property("obs.git.trace2", "true")
                .property("java.io.tmpdir", childTmp.toString())
                .property("otel.exporter.otlp.endpoint", receiver.endpoint())
                .args(repo.toString()).run();
        assertEquals(0, run.exitCode(), run.describe());
        ReceivedSpan commit = receiver.awaitSpans(s -> s.name().equals("git commit"), 1, ARRIVAL).get(0);
        List<ReceivedSpan> regions = receiver.awaitSpans(s -> s.parentSpanId().equals(commit.spanId()), 1, ARRIVAL);
        for (ReceivedSpan region : regions) {
            assertEquals(commit.traceId(), region.traceId());
            assertFalse(region.attribute("git.trace2.category").isEmpty(), region.toString());
            assertTrue(region.span().getStartTimeUnixNano() >= commit.span().getStartTimeUnixNano(), region.toString());
            assertTrue(region.span().getEndTimeUnixNano() <= commit.span().getEndTimeUnixNano(), region.toString());
        }
        try (var left = Files.list(childTmp)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith("obs-trace2-")).toList(),
                    "trace2 files are deleted after each run");
        }
    }

    private static void assertExit(ReceivedSpan span, long code, boolean error) {
        assertEquals(String.valueOf(code), span.attribute("process.exit.code"), span.toString());
        assertEquals(error ? Status.StatusCode.STATUS_CODE_ERROR : Status.StatusCode.STATUS_CODE_UNSET,
                span.span().getStatus().getCode(), span.toString());
    }

    private static io.opentelemetry.proto.common.v1.AnyValue attribute(ReceivedSpan span, String key) {
        for (KeyValue kv : span.span().getAttributesList()) {
            if (kv.getKey().equals(key)) {
                return kv.getValue();
            }
        }
        return null;
    }
}
