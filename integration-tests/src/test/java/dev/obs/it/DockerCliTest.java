package dev.obs.it;

import static dev.obs.it.ObsRuns.ARRIVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.DockerCliApp;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.DockerEngine;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.RawRequest;
import dev.obs.it.harness.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real docker command line against the dockerd of scripts/test-dockerd.sh, through ProcessBuilder. One
 * run of {@link DockerCliApp}, shared by the scenarios: a {@code docker run} that succeeds and one that fails.
 */
class DockerCliTest {
    @RegisterExtension
    static final OtlpHttpReceiver receiver = new OtlpHttpReceiver();

    static JvmResult run;
    static List<ReceivedSpan> spans;

    @BeforeAll
    static void runTheApp() throws Exception {
        String endpoint = DockerEngine.requireRunning();
        run = AgentJvm.withAgent(DockerCliApp.class)
                .property("otel.exporter.otlp.endpoint", receiver.endpoint())
                .args(endpoint, DockerEngine.IMAGE).timeout(java.time.Duration.ofSeconds(90)).run();
        spans = run.exitCode() == 0 ? receiver.awaitSpans(s -> s.name().equals("docker run"), 2, ARRIVAL) : List.of();
    }

    private static ReceivedSpan succeeded() {
        return spans.stream().filter(s -> "0".equals(s.attribute("process.exit.code"))).findFirst()
                .orElseThrow(() -> new AssertionError(receiver.describe()));
    }

    @Test
    void theProgramSeesBothRunsEndAsWithoutTheAgent() {
        assertEquals(0, run.exitCode(), run.describe());
        List<String> lines = run.stdoutLines();
        assertEquals("run exit 0 hi", lines.get(0), run.describe());
        assertTrue(lines.get(1).startsWith("run exit ") && !lines.get(1).equals("run exit 0"), run.describe());
    }

    @Test
    void aSuccessfulRunIsASpanWithItsCommandLine() {
        ReceivedSpan ok = succeeded();
        assertEquals(Status.StatusCode.STATUS_CODE_UNSET, ok.span().getStatus().getCode(), ok.toString());
        assertEquals("docker", ok.attribute("process.executable.name"), ok.toString());
        assertEquals(List.of("docker", "run", "--rm", "--network", "none", DockerEngine.IMAGE, "echo", "hi"),
                ok.attributeList("process.command_args").subList(0, 8));
    }

    @Test
    void aFailedRunIsAnErrorWithItsExitCodeAndMaskedEnvironment() {
        ReceivedSpan ok = succeeded();
        ReceivedSpan failed = spans.stream().filter(s -> s != ok).findFirst().orElseThrow();
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, failed.span().getStatus().getCode(), failed.toString());
        assertFalse("0".equals(failed.attribute("process.exit.code")), failed.toString());
        List<String> args = failed.attributeList("process.command_args");
        assertTrue(args.contains("TOKEN=****") && args.contains("--env=PLAIN=****"), args.toString());
    }

    @Test
    void noEnvironmentValueLeavesTheProcess() {
        assertFalse(receiver.rawRequests().isEmpty(), receiver.describe());
        for (RawRequest request : receiver.rawRequests()) {
            String body = new String(request.decodedBody(), StandardCharsets.ISO_8859_1);
            for (String secret : List.of("s3cr3t-env-value", "also-hidden")) {
                assertFalse(body.contains(secret), secret + " left the process");
            }
        }
    }
}
