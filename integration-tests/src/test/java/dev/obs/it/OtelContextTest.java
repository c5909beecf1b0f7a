package dev.obs.it;

import static dev.obs.it.ObsRuns.ARRIVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.OtelRequestApp;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.JGitJars;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.ReceivedSpan;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * obs joins the trace the program already has: {@link OtelRequestApp} opens a {@code request} span with the
 * OpenTelemetry API, makes it current and runs a JGit add and commit in it. With the real OpenTelemetry Java
 * agent (from Maven Central) attached before or after obs, or with the application's own SDK and no agent,
 * both export to the same receiver: obs's {@code git add}/{@code git commit} must be in the request's trace,
 * children of the request span, and the program's output must be what it is without any agent. A request
 * whose parent the SDK extracted from a caller's traceparent and tracestate hands that tracestate on with
 * obs's propagation: a git subprocess's TRACESTATE, JGit's and docker-java's tracestate headers.
 */
class OtelContextTest {
    static final String CURRENT_AGENT = "2.33.1";
    static final String OLDER_AGENT = "2.22.0";

    @TempDir
    Path dir;

    @Test
    void obsSpansJoinTheOtelAgentsRequestTraceWhenObsIsAttachedFirst() throws Exception {
        agentRun(CURRENT_AGENT, true);
    }

    @Test
    void obsSpansJoinTheOtelAgentsRequestTraceWhenTheOtelAgentIsAttachedFirst() throws Exception {
        agentRun(CURRENT_AGENT, false);
    }

    @Test
    void obsSpansJoinTheRequestTraceOfAnOlderOtelAgent() throws Exception {
        agentRun(OLDER_AGENT, false);
    }

    /**
     * {@code maven.home} set before premain turns the Maven family on (as {@code bin/mvn} does): its
     * matchers in the weaver must not change what another family (JGit's) gets, with the agent first.
     */
    @Test
    void obsSpansJoinTheOtelAgentsTraceWhenTheOtelAgentIsFirstInAJvmWithTheMavenFamilyOn() throws Exception {
        agentRun(CURRENT_AGENT, false, "/usr/share/maven");
    }

    @Test
    void theOtelAgentsHttpSpansInsideAJGitTransportSpanAreItsChildren() throws Exception {
        try (OtlpHttpReceiver receiver = new OtlpHttpReceiver();
             PropagationTest.NotFoundServer server = new PropagationTest.NotFoundServer()) {
            AgentJvm app = JGitJars.withJGit(AgentJvm.withoutAgent(com.acme.PropagationApp.class), null,
                    dir.resolve("home")).args("http", "http://127.0.0.1:" + server.port() + "/repo.git",
                    dir.resolve("repo").toString());
            withBothAgents(app, otelAgent(CURRENT_AGENT), true, receiver);
            JvmResult run = app.run();
            assertEquals(0, run.exitCode(), run.describe());
            ReceivedSpan transport = receiver.awaitSpans(s -> s.name().equals("git transport fetch"), 1, ARRIVAL).get(0);
            List<ReceivedSpan> http = receiver.awaitSpans(s -> s.name().equals("GET")
                    && s.traceId().equals(transport.traceId()), 1, ARRIVAL);
            for (ReceivedSpan s : http) {
                assertEquals(transport.spanId(), s.parentSpanId(), "the agent's HTTP span is the transport's child: "
                        + s + " " + receiver.spans(x -> x.traceId().equals(transport.traceId()) && !x.name().startsWith("fs"))
                        .stream().map(x -> x.name() + " " + x.spanId() + "<-" + x.parentSpanId()).toList());
            }
        }
    }

    @Test
    void theOtelAgentTracesTheProgramsHttpCallsButNotObsOwnExports() throws Exception {
        try (OtlpHttpReceiver receiver = new OtlpHttpReceiver();
             PropagationTest.NotFoundServer server = new PropagationTest.NotFoundServer()) {
            AgentJvm app = JGitJars.withJGit(AgentJvm.withoutAgent(com.acme.PropagationApp.class), null,
                    dir.resolve("home")).args("http", "http://127.0.0.1:" + server.port() + "/repo.git",
                    dir.resolve("repo").toString());
            withBothAgents(app, otelAgent(CURRENT_AGENT), false, receiver);
            JvmResult run = app.run();
            assertEquals(0, run.exitCode(), run.describe());
            // positive control: the agent's HttpURLConnection instrumentation is on and exports
            receiver.awaitSpans(s -> s.name().equals("GET"), 1, ARRIVAL);
            receiver.awaitSpans(s -> s.name().equals("git transport fetch"), 1, ARRIVAL);
            assertTrue(receiver.spans(s -> s.name().equals("POST")).isEmpty(),
                    "obs's OTLP exports are not traced by the agent: " + receiver.describe());
        }
    }

    @Test
    void obsSpansJoinTheRequestTraceOfTheApplicationsOwnSdk() throws Exception {
        try (OtlpHttpReceiver receiver = new OtlpHttpReceiver()) {
            AgentJvm app = sdkApp(receiver);
            JvmResult plain = app.withoutAgent().run();
            assertEquals(0, plain.exitCode(), plain.describe());
            receiver.awaitSpans(s -> s.name().equals("status request"), 1, ARRIVAL);
            receiver.clear();

            JvmResult traced = app.run();
            assertEquals(0, traced.exitCode(), traced.describe());
            assertEquals(plain.stdout(), traced.stdout(), traced.describe());
            System.err.println("DEBUG-CHILD " + traced.describe());
            assertJoined(receiver, traced);
        }
    }

    @Test
    void withTheOtelFamilySwitchedOffObsSpansStartTracesOfTheirOwn() throws Exception {
        try (OtlpHttpReceiver receiver = new OtlpHttpReceiver()) {
            JvmResult traced = sdkApp(receiver).property("obs.instrumentation.otel.enabled", "false").run();
            assertEquals(0, traced.exitCode(), traced.describe());
            // positive control, same run: both the request and obs's spans arrive
            ReceivedSpan request = receiver.awaitSpans(s -> s.name().equals("request"), 1, ARRIVAL).get(0);
            List<ReceivedSpan> git = receiver.awaitSpans(s -> s.name().equals("git add")
                    || s.name().equals("git commit"), 4, ARRIVAL);
            for (ReceivedSpan s : git) {
                assertTrue(s.isRoot() && !s.traceId().equals(request.traceId()), "not joined: " + s);
            }
        }
    }

    @Test
    void anUnsampledRequestGivesUnsampledObsSpans() throws Exception {
        try (OtlpHttpReceiver receiver = new OtlpHttpReceiver()) {
            JvmResult traced = sdkApp(receiver).run();
            assertEquals(0, traced.exitCode(), traced.describe());
            // positive control, same run: the sampled request after it has its git status span
            ReceivedSpan request = receiver.awaitSpans(s -> s.name().equals("status request"), 1, ARRIVAL).get(0);
            ReceivedSpan status = receiver.awaitSpans(s -> s.name().equals("git status"), 1, ARRIVAL).get(0);
            assertEquals(request.traceId(), status.traceId(), receiver.describe());
            assertEquals(request.spanId(), status.parentSpanId(), receiver.describe());
            String unsampled = traceOf(traced, "unsampled request");
            assertTrue(receiver.spans(s -> s.traceId().equals(unsampled)).isEmpty(),
                    "nothing of the unsampled request's trace is exported: " + receiver.describe());
            assertEquals(1, receiver.spans(s -> s.name().equals("git add")).size(), "only the sampled request's add"
                    + " was exported" + receiver.describe());
            // ... yet both adds were counted: metrics do not depend on sampling
            receiver.awaitCondition(() -> receiver.latestHistogramCount("git.operation.duration",
                    java.util.Map.of("git.operation", "add")) == 2, ARRIVAL,
                    () -> receiver.describeSeries("git.operation.duration"));
        }
    }

    @Test
    void aGitSubprocessInARequestWithAnExtractedParentGetsTheRequestsTraceparentAndTracestate() throws Exception {
        try (OtlpHttpReceiver receiver = new OtlpHttpReceiver()) {
            AgentJvm app = JGitJars.withJGit(ObsRuns.exportingTo(OtelRequestApp.class, receiver.endpoint()), null,
                    dir.resolve("home")).args("extracted", receiver.tracesUrl());
            for (Path lib : openTelemetrySdkJars()) {
                app.classpath(lib);
            }
            JvmResult run = app.run();
            assertEquals(0, run.exitCode(), run.describe());
            String trace = traceOf(run, "request");
            assertEquals(CALLER_TRACE_ID, trace, "the request continues the caller's trace: " + run.describe());
            ReceivedSpan envdump = receiver.awaitSpans(s -> s.name().equals("git envdump"), 1, ARRIVAL).get(0);
            assertEquals(trace, envdump.traceId(), receiver.describe());
            // positive control for the absent TRACESTATE: PropagationTest's run with no OpenTelemetry
            assertEquals("in request: exit 0 TRACEPARENT=00-" + trace + "-" + envdump.spanId() + "-01"
                    + " TRACESTATE=vendor=abc", run.stdoutLines().stream().filter(l -> l.startsWith("in request: "))
                    .findFirst().orElse(null), run.describe());
        }
    }

    @Test
    void jgitHttpRequestsInARequestWithAnExtractedParentCarryItsTracestate() throws Exception {
        try (OtlpHttpReceiver receiver = new OtlpHttpReceiver();
             PropagationTest.NotFoundServer server = new PropagationTest.NotFoundServer()) {
            AgentJvm app = JGitJars.withJGit(ObsRuns.exportingTo(OtelRequestApp.class, receiver.endpoint()), null,
                    dir.resolve("home")).args("extracted-fetch", receiver.tracesUrl(),
                    "http://127.0.0.1:" + server.port() + "/repo.git", dir.resolve("repo").toString());
            for (Path lib : openTelemetrySdkJars()) {
                app.classpath(lib);
            }
            JvmResult run = app.run();
            assertEquals(0, run.exitCode(), run.describe());
            assertTrue(run.stdout().contains("fetch failed"), run.describe());
            ReceivedSpan transport = receiver.awaitSpans(s -> s.name().equals("git transport fetch"), 1, ARRIVAL).get(0);
            assertEquals(CALLER_TRACE_ID, transport.traceId(), receiver.describe());
            List<String> requests = server.requests();
            assertTrue(!requests.isEmpty(), "JGit talked to the server: " + run.describe());
            for (String request : requests) {
                // the traceparent beside it is the positive control: the header block is the one obs wrote to
                assertEquals("00-" + transport.traceId() + "-" + transport.spanId() + "-01",
                        header(request, "traceparent"), request);
                assertEquals("vendor=abc", header(request, "tracestate"), request);
            }
        }
    }

    @Test
    void dockerJavaRequestsInARequestWithAnExtractedParentCarryItsTracestate() throws Exception {
        String engine = dev.obs.it.harness.DockerEngine.requireRunning();
        Path socket = dir.resolve("proxy.sock");
        try (OtlpHttpReceiver receiver = new OtlpHttpReceiver();
             PropagationTest.RecordingUnixProxy proxy = new PropagationTest.RecordingUnixProxy(socket,
                     Path.of(engine.substring("unix://".length())))) {
            AgentJvm app = dev.obs.it.harness.DockerEngine.withDockerJava(JGitJars.withJGit(
                    ObsRuns.exportingTo(OtelRequestApp.class, receiver.endpoint()), null, dir.resolve("home")))
                    .args("extracted-docker", receiver.tracesUrl(), "unix://" + socket);
            for (Path lib : openTelemetrySdkJars()) {
                app.classpath(lib);
            }
            JvmResult run = app.run();
            assertEquals(0, run.exitCode(), run.describe());
            assertTrue(run.stdout().contains("pinged"), run.describe());
            ReceivedSpan ping = receiver.awaitSpans(s -> s.name().equals("docker ping"), 1, ARRIVAL).get(0);
            assertEquals(CALLER_TRACE_ID, ping.traceId(), receiver.describe());
            String request = proxy.requests().stream().filter(r -> r.matches("(?s)GET (/v[0-9.]+)?/_ping.*"))
                    .findFirst().orElseThrow(() -> new AssertionError(proxy.requests().toString()));
            // the traceparent beside it is the positive control: the header block is the one obs wrote to
            assertEquals("00-" + ping.traceId() + "-" + ping.spanId() + "-01", header(request, "traceparent"), request);
            assertEquals("vendor=abc", header(request, "tracestate"), request);
        }
    }

    private static String header(String request, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?im)^" + name + ": *(\\S+)\\r?$").matcher(request);
        return m.find() ? m.group(1) : null;
    }

    /** OtelRequestApp's caller trace id (of its CALLER_TRACEPARENT), without loading the app's class. */
    private static final String CALLER_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    private void agentRun(String otelVersion, boolean obsFirst) throws Exception {
        agentRun(otelVersion, obsFirst, null);
    }

    /** {@code mavenHome} non-null: the traced JVM has it as {@code maven.home}, as Maven's launcher sets it. */
    private void agentRun(String otelVersion, boolean obsFirst, String mavenHome) throws Exception {
        Path otelAgent = otelAgent(otelVersion);
        try (OtlpHttpReceiver receiver = new OtlpHttpReceiver()) {
            AgentJvm app = JGitJars.withJGit(AgentJvm.withoutAgent(OtelRequestApp.class), null, dir.resolve("home"))
                    .args("agent", dir.resolve("repo").toString());
            for (Path lib : openTelemetryApiJars()) {
                app.classpath(lib);
            }
            JvmResult plain = app.run();
            assertEquals(0, plain.exitCode(), plain.describe());

            AgentJvm both = JGitJars.withJGit(AgentJvm.withoutAgent(OtelRequestApp.class), null, dir.resolve("home2"))
                    .args("agent", dir.resolve("repo2").toString());
            for (Path lib : openTelemetryApiJars()) {
                both.classpath(lib);
            }
            withBothAgents(both, otelAgent, obsFirst, receiver);
            if (mavenHome != null) {
                both.property("maven.home", mavenHome);
            }
            JvmResult traced = both.run();
            assertEquals(0, traced.exitCode(), traced.describe());
            assertEquals(plain.stdout(), traced.stdout(), traced.describe());
            System.err.println("DEBUG-CHILD " + traced.describe());
            assertJoined(receiver, traced);
        }
    }

    private static void withBothAgents(AgentJvm jvm, Path otelAgent, boolean obsFirst, OtlpHttpReceiver receiver) {
        Path obsJar = AgentJvm.agentJarFromBuild();
        List<String> agents = obsFirst ? List.of(obsJar.toString(), otelAgent.toString())
                : List.of(otelAgent.toString(), obsJar.toString());
        for (String jar : agents) {
            jvm.jvmArg("-javaagent:" + jar);
        }
        jvm.property("obs.weave.cache.dir", AgentJvm.testClasses().resolveSibling("weave-cache").toString())
                .property("otel.exporter.otlp.endpoint", receiver.endpoint())
                .property("otel.exporter.otlp.protocol", "http/protobuf")
                .property("otel.metrics.exporter", "none")
                .property("otel.logs.exporter", "none")
                .property("otel.bsp.schedule.delay", "200ms")
                .property("otel.traces.sampler", "always_on")
                .property("otel.javaagent.logging", "none")
                .property("otel.metric.export.interval", "1s");
    }

    /**
     * The request span (the program's) and obs's add and commit share its trace; obs's top spans have it as
     * parent; obs's spans inside them nest under them, in the same trace.
     */
    private static void assertJoined(OtlpHttpReceiver receiver, JvmResult run) {
        ReceivedSpan request = receiver.awaitSpans(s -> s.name().equals("request"), 1, ARRIVAL).get(0);
        assertEquals(traceOf(run, "request"), request.traceId(), run.describe());
        List<ReceivedSpan> git = receiver.awaitSpans(s -> s.traceId().equals(request.traceId())
                && (s.name().equals("git add") || s.name().equals("git commit")), 2, ARRIVAL);
        assertEquals(Set.of("git add", "git commit"), git.stream().map(ReceivedSpan::name).collect(Collectors.toSet()),
                receiver.describe());
        for (ReceivedSpan s : git) {
            assertEquals(request.spanId(), s.parentSpanId(), "obs's top span's parent is the request: " + s);
        }
        Set<String> inTrace = receiver.spans(s -> s.traceId().equals(request.traceId())).stream()
                .map(ReceivedSpan::spanId).collect(Collectors.toSet());
        for (ReceivedSpan s : receiver.spans(s -> s.traceId().equals(request.traceId()))) {
            assertTrue(s.spanId().equals(request.spanId()) || inTrace.contains(s.parentSpanId()), "every span's parent is in the trace: " + s
                    + receiver.describe());
        }
    }

    /** The trace id the program printed for its request {@code name}. */
    private static String traceOf(JvmResult run, String name) {
        String prefix = "request '" + name + "' trace ";
        for (String line : run.stderrLines()) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length(), prefix.length() + 32);
            }
        }
        throw new AssertionError("no trace printed for " + name + run.describe());
    }

    private AgentJvm sdkApp(OtlpHttpReceiver receiver) throws Exception {
        AgentJvm app = JGitJars.withJGit(ObsRuns.exportingTo(OtelRequestApp.class, receiver.endpoint()), null,
                dir.resolve("home")).args("sdk", dir.resolve("repo").toString(), receiver.tracesUrl());
        for (Path lib : openTelemetrySdkJars()) {
            app.classpath(lib);
        }
        return app;
    }

    /** The OpenTelemetry API of the test's own class path (1.63.0), for the application. */
    private static List<Path> openTelemetryApiJars() {
        return testClassPath(e -> e.contains("opentelemetry-api-") || e.contains("opentelemetry-context-")
                || e.contains("opentelemetry-common-"));
    }

    /** The application's own SDK and OTLP exporter, with the sender's OkHttp. */
    private static List<Path> openTelemetrySdkJars() {
        return testClassPath(e -> (e.contains("opentelemetry-") && !e.contains("opentelemetry-proto"))
                || e.contains("okhttp") || e.contains("okio") || e.contains("kotlin-stdlib"));
    }

    private static List<Path> testClassPath(java.util.function.Predicate<String> filter) {
        List<Path> out = List.of(System.getProperty("java.class.path").split(File.pathSeparator)).stream()
                .filter(e -> filter.test(Path.of(e).getFileName().toString())).map(Path::of).toList();
        assertTrue(!out.isEmpty(), "no such jar on the test class path " + System.getProperty("java.class.path"));
        return out;
    }

    static Path otelAgent(String version) {
        String configured = System.getProperty("obs.otel.agents.dir");
        Path agentsDir = configured != null ? Path.of(configured) : AgentJvm.testClasses().resolveSibling("otel-agents");
        Path jar = agentsDir.resolve("opentelemetry-javaagent-" + version + ".jar");
        assertTrue(Files.isRegularFile(jar), jar + " missing: run the build's process-test-resources phase");
        return jar;
    }
}
