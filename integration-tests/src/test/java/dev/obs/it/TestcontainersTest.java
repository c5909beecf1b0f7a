package dev.obs.it;

import static dev.obs.it.ObsRuns.ARRIVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.TestcontainersApp;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.DockerEngine;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Testcontainers 1.x, which drives docker-java relocated into its own jar, runs unchanged under the agent
 * against the dockerd of scripts/test-dockerd.sh: the same output as without the agent, and its Docker API
 * calls become the docker spans. One run without and one with the agent, shared by the scenarios.
 */
class TestcontainersTest {
    @RegisterExtension
    static final OtlpHttpReceiver receiver = new OtlpHttpReceiver();

    static JvmResult plain;
    static JvmResult run;
    static List<ReceivedSpan> spans;

    @BeforeAll
    static void runTheAppWithAndWithoutTheAgent() throws Exception {
        DockerEngine.requireRunning();
        plain = testcontainers(AgentJvm.withoutAgent(TestcontainersApp.class)).run();
        run = testcontainers(AgentJvm.withAgent(TestcontainersApp.class))
                .property("otel.exporter.otlp.endpoint", receiver.endpoint()).run();
        // create, start, logs (wait strategy and getLogs), stop's remove; besides them Testcontainers' ping
        // (its first, at API 1.44, fails with 400 on this engine and is retried lower), version and inspects
        Set<String> counted = Set.of("docker container create", "docker container start", "docker container logs",
                "docker container remove");
        if (run.exitCode() == 0) {
            receiver.awaitSpans(s -> counted.contains(s.name()), 5, ARRIVAL);
        }
        spans = receiver.spans(s -> s.name().startsWith("docker "));
    }

    /** The container id the app printed to stderr. */
    private static String id() {
        return run.stderrLines().stream().filter(l -> l.startsWith("container ")).findFirst()
                .orElseThrow(() -> new AssertionError(run.describe())).substring("container ".length());
    }

    @Test
    void genericContainerRunsAndPrintsTheSameWithTheAgent() {
        assertEquals(0, plain.exitCode(), plain.describe());
        assertEquals(List.of("started", "logs hi", "stopped"), plain.stdoutLines(), plain.describe());
        assertEquals(0, run.exitCode(), run.describe());
        assertEquals(plain.stdout(), run.stdout(), run.describe());
    }

    @Test
    void theContainersLifecycleCallsBecomeSpans() {
        Set<String> names = spans.stream().map(ReceivedSpan::name).collect(Collectors.toSet());
        assertTrue(names.containsAll(Set.of("docker container create", "docker container start",
                "docker container inspect", "docker container logs", "docker container remove")), receiver.describe());
    }

    @Test
    void everyDockerSpanIsAClientSpanOfTheDockerRuntime() {
        assertFalse(spans.isEmpty(), receiver.describe());
        for (ReceivedSpan s : spans) {
            assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, s.span().getKind(), s.toString());
            assertEquals("docker", s.attribute("container.runtime"), s.toString());
        }
    }

    @Test
    void createCarriesTheImageTheNewContainersIdAndTheStatus() {
        List<ReceivedSpan> creates = receiver.spansNamed("docker container create");
        assertFalse(creates.isEmpty(), receiver.describe());
        ReceivedSpan create = creates.get(0);
        assertTrue(create.attribute("container.image.name").contains("obs-busybox"), create.toString());
        assertEquals(id(), create.attribute("container.id"), create.toString());
        assertEquals("201", create.attribute("http.response.status_code"), create.toString());
    }

    @Test
    void eachCallOnTheContainerIsOneSpanWithItsIdThatSucceeded() {
        String id = id();
        String all = spans.stream().map(s -> s.name() + " " + s.attributes() + " " + s.span().getStatus()
                + s.span().getEventsList()).collect(Collectors.joining("\n"));
        for (String op : List.of("create", "start", "logs", "remove")) {
            List<ReceivedSpan> ofOp = receiver.spansNamed("docker container " + op);
            // one span per call: the wait strategy's followed stream and getLogs() are the two logs calls
            assertEquals(op.equals("logs") ? 2 : 1, ofOp.size(), all);
            for (ReceivedSpan s : ofOp) {
                assertEquals(id, s.attribute("container.id"), all);
                assertTrue(String.valueOf(s.attribute("http.response.status_code")).startsWith("2"), all);
                // the wait strategy closes its followed stream once the message is there: not an error
                assertEquals(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_UNSET,
                        s.span().getStatus().getCode(), all);
            }
        }
    }

    /** The app with Testcontainers' jars, at the test dockerd, nothing pulled, its home a fresh directory. */
    private static AgentJvm testcontainers(AgentJvm jvm) throws Exception {
        for (String cls : List.of("org.testcontainers.containers.GenericContainer", "com.github.dockerjava.api.DockerClient",
                "com.github.dockerjava.transport.DockerHttpClient", "com.github.dockerjava.zerodep.ZerodepDockerHttpClient",
                "com.fasterxml.jackson.annotation.JsonProperty", "org.apache.commons.compress.archivers.tar.TarArchiveEntry",
                "org.slf4j.LoggerFactory", "com.sun.jna.Native", "org.rnorth.ducttape.unreliables.Unreliables",
                "org.junit.rules.TestRule", "org.hamcrest.Matcher")) {
            jvm.classpath(jarOf(cls));
        }
        // Testcontainers keeps its settings in ~/.testcontainers.properties: a home of its own per run
        Path home = Files.createTempDirectory("obs-it-tc-home-");
        return jvm.env("DOCKER_HOST", DockerEngine.endpoint())
                .env("TESTCONTAINERS_RYUK_DISABLED", "true")
                .env("TESTCONTAINERS_CHECKS_DISABLE", "true")
                // the test dockerd has no bridge network (--bridge=none), which Testcontainers inspects for the
                // host's address when it finds itself inside a container, as on this machine: named instead
                .env("TESTCONTAINERS_HOST_OVERRIDE", "localhost")
                .property("user.home", home.toString())
                .args(DockerEngine.IMAGE).timeout(Duration.ofSeconds(120));
    }

    private static Path jarOf(String className) throws ClassNotFoundException, URISyntaxException {
        return Path.of(Class.forName(className).getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
