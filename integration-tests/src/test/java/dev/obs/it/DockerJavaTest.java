package dev.obs.it;

import static dev.obs.it.ObsRuns.ARRIVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.DockerJavaApp;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.DockerEngine;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docker-java (zerodep transport) against the real dockerd of scripts/test-dockerd.sh, in a child JVM with
 * the agent: spans for every operation, the started container's CPU and memory sampled through the engine,
 * the JVM's own resources, and a failed operation whose exception reaches the program unchanged. One run
 * without and one with the agent, shared by the scenarios.
 */
class DockerJavaTest {
    @RegisterExtension
    static final OtlpHttpReceiver receiver = new OtlpHttpReceiver();

    static JvmResult plain;
    static JvmResult run;
    static String name;
    static List<ReceivedSpan> spans;
    static final Map<String, ReceivedSpan> byName = new HashMap<>();
    /** The create of an image that does not exist. */
    static ReceivedSpan failed;

    @BeforeAll
    static void runTheAppWithAndWithoutTheAgent() throws Exception {
        String endpoint = DockerEngine.requireRunning();
        String suffix = Long.toHexString(System.nanoTime());
        plain = DockerEngine.withDockerJava(AgentJvm.withoutAgent(DockerJavaApp.class))
                .args(endpoint, DockerEngine.IMAGE, "obs-it-plain-" + suffix).timeout(Duration.ofSeconds(90))
                .run();
        name = "obs-it-traced-" + suffix;
        run = DockerEngine.withDockerJava(AgentJvm.withAgent(DockerJavaApp.class))
                .property("otel.exporter.otlp.endpoint", receiver.endpoint())
                .property("obs.container.stats.interval", "200ms")
                .args(endpoint, DockerEngine.IMAGE, name).timeout(Duration.ofSeconds(90))
                .run();
        spans = run.exitCode() == 0 ? receiver.awaitSpans(s -> s.name().startsWith("docker "), 7, ARRIVAL) : List.of();
        for (ReceivedSpan s : spans) {
            if (s.name().equals("docker container create") && !name.equals(s.attribute("container.name"))) {
                failed = s;
            } else {
                byName.put(s.name(), s);
            }
        }
    }

    /** The id the program printed for the container it created. */
    private static String id() {
        return run.stdoutLines().get(0).substring("created ".length());
    }

    @Test
    void theProgramGetsTheSameResultsAndDockerJavasOwnExceptionUnchanged() {
        assertEquals(0, plain.exitCode(), plain.describe());
        assertEquals(0, run.exitCode(), run.describe());
        List<String> lines = run.stdoutLines();
        assertEquals(List.of("exit 0", "logs burned", "inspect exited", "removed"), lines.subList(1, 5), run.describe());
        // docker-java's own exception, unchanged: same class and message as without the agent
        assertEquals(plain.stdoutLines().get(5), lines.get(5), run.describe());
        assertTrue(lines.get(5).startsWith("failed com.github.dockerjava.api.exception.NotFoundException"),
                run.describe());
    }

    @Test
    void everyOperationIsAClientSpan() {
        assertTrue(spans.size() >= 7, receiver.describe());
        for (ReceivedSpan s : spans) {
            assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, s.span().getKind(), s.toString());
        }
    }

    @Test
    void eachCallOnTheContainerIsASpanNamedAfterItsCommand() {
        assertEquals(Set.of("docker container create", "docker container start", "docker container wait",
                "docker container logs", "docker container inspect", "docker container remove"), byName.keySet(),
                receiver.describe());
    }

    @Test
    void createCarriesTheNewContainersIdTheImageAndTheStatus() {
        ReceivedSpan create = byName.get("docker container create");
        assertNotNull(create, receiver.describe());
        assertEquals(id(), create.attribute("container.id"), create.toString());
        assertEquals(DockerEngine.IMAGE, create.attribute("container.image.name"), create.toString());
        assertEquals("201", create.attribute("http.response.status_code"), create.toString());
    }

    @Test
    void operationsOnTheContainerCarryItsIdAndSucceed() {
        for (String op : List.of("start", "wait", "logs", "inspect", "remove")) {
            ReceivedSpan s = byName.get("docker container " + op);
            assertNotNull(s, op + ": " + receiver.describe());
            assertEquals(id(), s.attribute("container.id"), s.toString());
            assertEquals(Status.StatusCode.STATUS_CODE_UNSET, s.span().getStatus().getCode(), s.toString());
            assertTrue(s.attribute("http.response.status_code").startsWith("2"), s.toString());
        }
    }

    /** Streams end with the stream, not when exec() returns: wait lasts as long as the container ran. */
    @Test
    void streamingCallsEndWhenTheirStreamDoes() {
        assertNotNull(byName.get("docker container wait"), receiver.describe());
        Span wait = byName.get("docker container wait").span();
        assertTrue(wait.getEndTimeUnixNano() - wait.getStartTimeUnixNano() > 500_000_000L, wait.toString());
        Span logs = byName.get("docker container logs").span();
        assertTrue(logs.getEndTimeUnixNano() <= byName.get("docker container inspect").span().getStartTimeUnixNano(),
                "the logs span ended when its stream completed, before the program went on");
    }

    @Test
    void aCreateOfAMissingImageIsAnErrorWithStatus404AndAnExceptionEvent() {
        assertNotNull(failed, receiver.describe());
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, failed.span().getStatus().getCode(), failed.toString());
        assertEquals("404", failed.attribute("http.response.status_code"), failed.toString());
        assertEquals("obs-no-such-image:absent", failed.attribute("container.image.name"), failed.toString());
        assertEquals("exception", failed.span().getEvents(0).getName(), failed.toString());
    }

    @Test
    void theStartedContainerIsSampledThroughTheEngine() {
        Map<String, String> container = awaitContainerSampled();
        assertTrue(receiver.latestValue("container.memory.usage", container) > 0,
                receiver.describeSeries("container.memory.usage"));
        assertTrue(receiver.seriesAttributes("container.cpu.time").stream().anyMatch(a -> id().equals(a.get("container.id"))
                && name.equals(a.get("container.name")) && DockerEngine.IMAGE.equals(a.get("container.image.name"))),
                receiver.describeSeries("container.cpu.time"));
        // the burn was about a second of one CPU; a sample in the two idle seconds after it sees all of it
        double cpu = receiver.latestValue("container.cpu.time", container);
        assertTrue(cpu > 0.2 && cpu < 5, receiver.describeSeries("container.cpu.time"));
    }

    /** The JVM's own cgroup: the same metrics without a container.id of their own. */
    @Test
    void theJvmsOwnCgroupHasTheSameMetricsWithoutAContainerId() {
        awaitContainerSampled();
        assertTrue(receiver.seriesAttributes("container.memory.usage").stream().anyMatch(a -> !a.containsKey("container.id")),
                receiver.describeSeries("container.memory.usage"));
        assertTrue(receiver.latestValue("container.cpu.time", Map.of("cpu.mode", "user"))
                > receiver.latestValue("container.cpu.time", Map.of("cpu.mode", "user", "container.id", id())),
                receiver.describeSeries("container.cpu.time"));
    }

    @Test
    void theJvmProcessAndObsSamplerAreMeasured() {
        awaitContainerSampled();
        assertTrue(receiver.latestValue("jvm.memory.used", Map.of("jvm.memory.type", "heap")) > 0,
                receiver.describeSeries("jvm.memory.used"));
        assertTrue(receiver.latestValue("jvm.thread.count", Map.of()) > 1, receiver.describeSeries("jvm.thread.count"));
        assertTrue(receiver.latestValue("jvm.file_descriptor.count", Map.of()) > 2,
                receiver.describeSeries("jvm.file_descriptor.count"));
        assertTrue(receiver.latestValue("jvm.cpu.time", Map.of()) > 0, receiver.describeSeries("jvm.cpu.time"));
        assertTrue(receiver.latestValue("obs.container.samples", Map.of()) >= 1,
                receiver.describeSeries("obs.container.samples"));
    }

    /** Waits for the started container's CPU time; the attributes of its series. */
    private static Map<String, String> awaitContainerSampled() {
        Map<String, String> container = Map.of("container.id", id());
        receiver.awaitCondition(() -> receiver.latestValue("container.cpu.time", container) > 0, ARRIVAL,
                () -> receiver.describeSeries("container.cpu.time"));
        return container;
    }
}
