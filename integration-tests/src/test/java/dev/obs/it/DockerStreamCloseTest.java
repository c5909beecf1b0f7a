package dev.obs.it;

import static dev.obs.it.ObsRuns.ARRIVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.acme.DockerStreamCloseApp;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.DockerEngine;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link DockerStreamCloseApp} against the real dockerd, with the agent: a log stream the program closes on
 * purpose ends its span without error status (and says it was closed by the caller), while in the same run
 * a stream that fails for real (logs of a container the engine does not know) still ends with error status.
 */
class DockerStreamCloseTest {
    @RegisterExtension
    static final OtlpHttpReceiver receiver = new OtlpHttpReceiver();
    private static Run run;

    private record Run(JvmResult result, String containerId, List<ReceivedSpan> logs) {
        ReceivedSpan logsOf(String container) {
            List<ReceivedSpan> of = logs.stream().filter(s -> container.equals(s.attribute("container.id"))).toList();
            assertEquals(1, of.size(), "logs spans of " + container + ": " + logs + result.describe());
            return of.get(0);
        }
    }

    private static synchronized Run run() throws Exception {
        if (run == null) {
            String endpoint = DockerEngine.requireRunning();
            String name = "obs-it-stream-close-" + Long.toHexString(System.nanoTime());
            JvmResult result = DockerEngine.withDockerJava(AgentJvm.withAgent(DockerStreamCloseApp.class))
                    .property("otel.exporter.otlp.endpoint", receiver.endpoint())
                    .args(endpoint, DockerEngine.IMAGE, name).timeout(Duration.ofSeconds(90)).run();
            assertEquals(0, result.exitCode(), result.describe());
            assertEquals(List.of("ready true", "closed the following stream",
                    "stream failed com.github.dockerjava.api.exception.NotFoundException", "removed"),
                    result.stdoutLines().subList(1, 5), result.describe());
            String id = result.stdoutLines().get(0).substring("created ".length());
            List<ReceivedSpan> logs = receiver.awaitSpans(s -> s.name().equals("docker container logs"), 2, ARRIVAL);
            run = new Run(result, id, logs);
        }
        return run;
    }

    @Test
    void aStreamTheProgramClosesOnPurposeEndsWithoutErrorAndSaysSo() throws Exception {
        ReceivedSpan closed = run().logsOf(run().containerId());
        assertEquals(Status.StatusCode.STATUS_CODE_UNSET, closed.span().getStatus().getCode(), closed.toString());
        assertEquals(0, closed.span().getEventsCount(), "no exception event: " + closed);
        assertEquals("true", closed.attribute("docker.stream.closed_by_caller"), closed.toString());
    }

    @Test
    void aStreamThatFailsForRealStillEndsWithErrorStatus() throws Exception {
        ReceivedSpan failed = run().logsOf("obs-no-such-container");
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, failed.span().getStatus().getCode(), failed.toString());
        assertEquals("404", failed.attribute("http.response.status_code"), failed.toString());
        assertNull(failed.attribute("docker.stream.closed_by_caller"), failed.toString());
    }
}
