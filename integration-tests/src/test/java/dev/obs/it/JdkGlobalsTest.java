package dev.obs.it;

import com.acme.GlobalsApp;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpGrpcReceiver;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.RawRequest;
import dev.obs.it.harness.RunningJvm;
import dev.obs.it.harness.TestJdk;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.obs.it.ObsRuns.ARRIVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JDK's global settings stay the program's: a program that sets one late (after obs's exporter has
 * started and exported) gets what it set, as it does without obs. Each invocation runs {@link GlobalsApp}
 * twice on the same JDK: once without the agent (the control: what the program gets when nobody fixed the
 * global first; a check that could not tell would fail here), then with obs.jar, exporting to a real
 * receiver or the local store; the program sets the global only once that export has arrived, so a dead
 * agent or an exporter that had not started fails the test instead of passing it.
 */
class JdkGlobalsTest {
    @RegisterExtension
    static final OtlpHttpReceiver http = new OtlpHttpReceiver();

    private static OtlpGrpcReceiver grpc;

    @TempDir
    Path dir;

    enum Export {
        OTLP_HTTP, OTLP_GRPC, LOCAL_STORE
    }

    @BeforeAll
    static void startGrpcReceiver() {
        grpc = new OtlpGrpcReceiver();
    }

    @AfterAll
    static void stopGrpcReceiver() {
        grpc.close();
    }

    static Stream<Arguments> jdksAndExports() {
        List<Arguments> all = new ArrayList<>();
        for (TestJdk jdk : TestJdk.values()) {
            for (Export export : Export.values()) {
                all.add(Arguments.of(jdk, export));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndExports")
    void logManagerNamedInMainIsTheProgramsLogManager(TestJdk jdk, Export export) {
        programGets("log-manager", "com.acme.GlobalsApp$ProgramLogManager", jdk, export);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndExports")
    void platformMBeanServerIsBuiltByTheBuilderNamedInMain(TestJdk jdk, Export export) {
        programGets("mbean-server-builder", "program's builder built an empty server", jdk, export);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndExports")
    void urlStreamHandlerFactoryInstalledInMainServesHttp(TestJdk jdk, Export export) {
        notUsedByObs(programGets("url-stream-handler-factory",
                "http by ProgramConnection, obs-test by ProgramConnection", jdk, export));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndExports")
    void authenticatorSetInMainAnswersTheProgramsRequests(TestJdk jdk, Export export) {
        programGets("authenticator", "program's authenticator, request 200 authenticated", jdk, export);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndExports")
    void proxySelectorSetInMainRoutesTheProgramsRequests(TestJdk jdk, Export export) {
        JvmResult run = programGets("proxy-selector", "program's selector, request 200 direct asked the program's",
                jdk, export);
        if (export != Export.OTLP_GRPC) {
            // OkHttp's sockets (gRPC) ask ProxySelector.getDefault(), the program's; obs's HTTP sender asks none
            notUsedByObs(run);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndExports")
    void cookieHandlerSetInMainServesTheProgramsRequests(TestJdk jdk, Export export) {
        notUsedByObs(programGets("cookie-handler", "program's handler, request 200 with cookie", jdk, export));
        if (export == Export.OTLP_HTTP) {
            assertFalse(http.rawRequests().isEmpty(), "obs exported over HTTP: " + http.describe());
        }
        for (RawRequest request : http.rawRequests()) {
            assertNull(request.header("cookie"), "the program's cookie went to the collector: " + request);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndExports")
    void sslContextSetInMainIsTheDefaultSocketFactorysContext(TestJdk jdk, Export export) {
        programGets("ssl-context", "SSLSocketFactory ProgramSocketFactory, HttpsURLConnection ProgramSocketFactory",
                jdk, export);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndExports")
    void securityProviderInsertedFirstInMainIsTheFirstProvider(TestJdk jdk, Export export) {
        programGets("security", "first provider ProgramProvider", jdk, export);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndExports")
    void timeZoneSetInMainIsTheDefaultTimeZone(TestJdk jdk, Export export) {
        programGets("time-zone", "Pacific/Chatham", jdk, export);
    }

    /** The program's handler was asked for nothing after it was set but the program's own requests. */
    private static void notUsedByObs(JvmResult run) {
        assertTrue(run.stdoutLines().contains(GlobalsApp.ALSO_ASKED + "[]"),
                "obs's exports used the program's setting: " + run.describe());
    }

    private JvmResult programGets(String global, String expected, TestJdk jdk, Export export) {
        String line = "obs-globals: " + global + "=" + expected;
        JvmResult alone = AgentJvm.withoutAgent(GlobalsApp.class).javaHome(jdk.home()).args(global, "-").run();
        assertEquals(0, alone.exitCode(), alone.describe());
        assertTrue(alone.stdoutLines().contains(line), "without obs the program gets: " + alone.describe());

        http.clear();
        grpc.clear();
        Path store = dir.resolve("store");
        Path go = dir.resolve("go");
        AgentJvm withObs = AgentJvm.withAgent(GlobalsApp.class).javaHome(jdk.home())
                .property("otel.metric.export.interval", "500ms")
                .args(global, go.toString());
        switch (export) {
            case OTLP_HTTP -> withObs.property("otel.exporter.otlp.endpoint", http.endpoint());
            case OTLP_GRPC -> withObs.property("otel.exporter.otlp.endpoint", grpc.endpoint())
                    .property("otel.exporter.otlp.protocol", "grpc");
            case LOCAL_STORE -> withObs.property("obs.store.dir", store.toString());
        }
        RunningJvm child = withObs.start();
        child.awaitStdout(GlobalsApp.READY, ARRIVAL);
        awaitFirstMetricExport(export, store, child);
        try {
            Files.createFile(go);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JvmResult run = child.awaitExit();
        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(run.stdoutLines().contains(line), "with obs the program gets: " + run.describe());
        return run;
    }

    private static void awaitFirstMetricExport(Export export, Path store, RunningJvm child) {
        switch (export) {
            case OTLP_HTTP -> http.awaitCondition(() -> !http.metricRequests().isEmpty(), ARRIVAL,
                    () -> "a metric export over OTLP/HTTP before the late set\n" + child.stderrSoFar());
            case OTLP_GRPC -> grpc.awaitCondition(() -> !grpc.metricRequests().isEmpty(), ARRIVAL,
                    () -> "a metric export over gRPC before the late set\n" + child.stderrSoFar());
            case LOCAL_STORE -> http.awaitCondition(() -> storedMetrics(store), ARRIVAL,
                    () -> "a metric export to the local store " + store + " before the late set\n"
                            + child.stderrSoFar());
        }
    }

    private static boolean storedMetrics(Path store) {
        if (!Files.isDirectory(store)) {
            return false;
        }
        try (Stream<Path> files = Files.list(store)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("metrics-") && f.toFile().length() > 0);
        } catch (IOException e) {
            return false;
        }
    }
}
