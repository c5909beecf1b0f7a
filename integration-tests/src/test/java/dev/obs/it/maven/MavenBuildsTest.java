package dev.obs.it.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One real Maven against the {@link MavenFixture}, five builds shared by the test methods (Maven builds are
 * slow): the project built from an empty local repository without obs and with obs, built again with obs on
 * the warm local repository, and built with profile {@code missing} (a dependency no repository has) without
 * and with obs. Subclasses name the Maven.
 *
 * <p>Every build runs with {@code -ntp} (no transfer progress): the resolver downloads in parallel, so the
 * order of its "Downloaded from" lines, and the rates in them, differ from run to run with or without obs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MavenBuildsTest {
    MavenFixture fixture;
    final OtlpHttpReceiver coldReceiver = new OtlpHttpReceiver();
    final OtlpHttpReceiver warmReceiver = new OtlpHttpReceiver();
    final OtlpHttpReceiver missingReceiver = new OtlpHttpReceiver();

    MavenResult plainCold;
    MavenResult obsCold;
    List<RemoteRepositoryServer.Served> servedToObsCold;
    MavenResult obsWarm;
    List<RemoteRepositoryServer.Served> servedToObsWarm;
    MavenResult plainMissing;
    MavenResult obsMissing;
    List<RemoteRepositoryServer.Served> servedToObsMissing;

    abstract MavenDistribution maven();

    @BeforeAll
    void buildAll() throws Exception {
        fixture = new MavenFixture(Files.createTempDirectory("obs-maven-it-"));
        Path plainLocal = fixture.newLocalRepository("plain");
        Path obsLocal = fixture.newLocalRepository("obs");

        plainCold = fixture.build(maven()).localRepository(plainLocal).args("-ntp", "package").run();
        fixture.server.clearLog();
        obsCold = fixture.build(maven()).localRepository(obsLocal).withAgent(agent(coldReceiver))
                .args("-ntp", "package").run();
        servedToObsCold = fixture.server.log();
        fixture.server.clearLog();
        obsWarm = fixture.build(maven()).localRepository(obsLocal).withAgent(agent(warmReceiver))
                .args("-ntp", "package").run();
        servedToObsWarm = fixture.server.log();

        plainMissing = fixture.build(maven()).localRepository(plainLocal).args("-ntp", "-Pmissing", "package").run();
        fixture.server.clearLog();
        obsMissing = fixture.build(maven()).localRepository(obsLocal).withAgent(agent(missingReceiver))
                .args("-ntp", "-Pmissing", "package").run();
        servedToObsMissing = fixture.server.log();
    }

    static Map<String, String> agent(OtlpHttpReceiver receiver) {
        return Map.of("otel.exporter.otlp.endpoint", receiver.endpoint(),
                "otel.metric.export.interval", "1s",
                "obs.fs.slow.threshold", "1d");
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
        coldReceiver.close();
        warmReceiver.close();
        missingReceiver.close();
    }

    // ---------------------------------------------------------------- what the build prints and returns

    @Test
    void buildFromAnEmptyLocalRepositoryPrintsAndExitsTheSameWithObs() {
        assertEquals(0, plainCold.exitCode(), plainCold.describe());
        assertEquals(plainCold.exitCode(), obsCold.exitCode(), obsCold.describe());
        assertEquals(plainCold.comparableStdout(), obsCold.comparableStdout(), obsCold.describe());
        assertEquals(plainCold.stderrWithoutObs(), obsCold.stderrWithoutObs(), obsCold.describe());
    }

    @Test
    void buildWithAMissingDependencyFailsTheSameWithObs() {
        assertNotEquals(0, plainMissing.exitCode(), plainMissing.describe());
        assertTrue(plainMissing.stdout().contains(MavenFixture.GROUP + ":missing"), plainMissing.describe());
        assertTrue(plainMissing.stdout().contains(MavenFixture.GROUP + ":broken"), plainMissing.describe());
        assertEquals(plainMissing.exitCode(), obsMissing.exitCode(), obsMissing.describe());
        assertEquals(plainMissing.comparableStdout(), obsMissing.comparableStdout(), obsMissing.describe());
        assertEquals(plainMissing.stderrWithoutObs(), obsMissing.stderrWithoutObs(), obsMissing.describe());
    }

    // ---------------------------------------------------------------- what obs counts

    @Test
    void artifactsDownloadedPerRepositoryAreTheArtifactFilesTheServerServed() {
        assertEquals(0, obsCold.exitCode(), obsCold.describe());
        // every jar and POM both repositories answered, and only those
        assertArtifactsPerRepository(coldReceiver, servedToObsCold, 200, "downloaded", 1);
    }

    @Test
    void bytesDownloadedPerRepositoryAreTheBytesTheServerServed() {
        awaitFinalMetrics(coldReceiver);
        Map<String, Long> served = bytesServed(servedToObsCold);
        assertEquals(2, served.size(), served.toString());
        served.forEach((repository, bytes) -> assertEquals(bytes, (long) coldReceiver.latestValue(
                DependencyMetrics.TRANSFER_BYTES, Map.of("repository", repository, "direction", "download")),
                repository + "\n" + coldReceiver.describeSeries(DependencyMetrics.TRANSFER_BYTES)));
    }

    @Test
    void eachRequestTheServerAnsweredIsOneTransferSpanWithItsOutcomeAndBytes() {
        awaitFinalMetrics(coldReceiver);
        List<String> expected = servedToObsCold.stream().map(s -> s.repository() + " " + s.method() + " " + s.path()
                + " " + (s.status() == 200 ? "ok" : s.status() == 404 ? "not_found" : "failed") + " " + s.bytes())
                .sorted().toList();
        List<String> recorded = coldReceiver.spans(s -> s.name().startsWith("maven GET")
                || s.name().startsWith("maven HEAD") || s.name().startsWith("maven PUT")).stream()
                .map(s -> s.attribute("maven.repository") + " " + s.attribute("http.request.method") + " "
                        + s.attribute("maven.resource") + " " + s.attribute("maven.transfer.outcome") + " "
                        + s.attribute("maven.transfer.bytes"))
                .sorted().toList();
        assertEquals(expected, recorded);
    }

    @Test
    void transferSpansAreChildrenOfTheResolutionThatCausedThem() {
        awaitFinalMetrics(coldReceiver);
        List<ReceivedSpan> spans = coldReceiver.spans();
        Map<String, ReceivedSpan> byId = spans.stream().collect(Collectors.toMap(ReceivedSpan::spanId, s -> s));
        List<ReceivedSpan> transfers = spans.stream().filter(s -> s.name().equals("maven GET")).toList();
        assertFalse(transfers.isEmpty(), coldReceiver.describe());
        for (ReceivedSpan transfer : transfers) {
            ReceivedSpan parent = byId.get(transfer.parentSpanId());
            assertTrue(parent != null && (parent.name().equals("maven resolve artifacts")
                    || parent.name().equals("maven resolve metadata")), transfer + " has parent " + parent);
        }
        // the resolver runs the transfers of a resolution with several artifacts on threads of its own (basic
        // connector, aether.connector.basic.threads): a transfer there without the resolution's span would be a
        // root of its own, failing the loop above; app's dependencies (alpha, beta, gamma, delta) are one such
        assertTrue(transfers.stream().collect(Collectors.groupingBy(ReceivedSpan::parentSpanId, Collectors.counting()))
                .values().stream().anyMatch(n -> n >= 8), "no resolution with several artifacts' transfers");
    }

    @Test
    void mojoSpanCarriesPluginGoalExecutionAndProjectUnderItsProjectUnderTheBuild() {
        awaitFinalMetrics(coldReceiver);
        List<ReceivedSpan> spans = coldReceiver.spans();
        Map<String, ReceivedSpan> byId = spans.stream().collect(Collectors.toMap(ReceivedSpan::spanId, s -> s));
        ReceivedSpan compile = spans.stream().filter(s -> s.name().equals("maven compiler:compile")
                && "com.acme.build:app:1.0".equals(s.attribute("maven.project"))).findFirst().orElseThrow(
                () -> new AssertionError("no compiler:compile span of app\n" + coldReceiver.describe()));
        assertEquals(Map.of("maven.plugin", "org.apache.maven.plugins:maven-compiler-plugin",
                "maven.plugin.version", "3.13.0", "maven.goal", "compile", "maven.execution.id", "default-compile",
                "maven.project", "com.acme.build:app:1.0"), compile.attributes());
        ReceivedSpan project = byId.get(compile.parentSpanId());
        assertEquals("maven project app", project.name());
        ReceivedSpan build = byId.get(project.parentSpanId());
        assertEquals("maven build", build.name());
        assertTrue(build.isRoot(), build.toString());
        assertEquals("package", build.attribute("maven.goals"));
    }

    @Test
    void projectDependenciesAreCollectedAndResolvedUnderTheMojoThatNeedsThem() {
        awaitFinalMetrics(coldReceiver);
        List<ReceivedSpan> spans = coldReceiver.spans();
        Map<String, ReceivedSpan> byId = spans.stream().collect(Collectors.toMap(ReceivedSpan::spanId, s -> s));
        ReceivedSpan collect = spans.stream().filter(s -> s.name().equals("maven collect")
                && "project".equals(s.attribute("maven.request.context"))
                && "com.acme.build:app:jar:1.0".equals(s.attribute("maven.root"))).findFirst()
                .orElseThrow(() -> new AssertionError("no collection of app's dependencies\n" + spans.stream()
                        .filter(s -> s.name().equals("maven collect")).map(s -> s.attributes().toString())
                        .collect(Collectors.joining("\n"))));
        // Maven resolves a project's dependencies for its first mojo that requires them (3.8.7: compile, 3.9:
        // resources, whose 3.3.1 asks for the runtime ones)
        ReceivedSpan mojo = byId.get(collect.parentSpanId());
        assertEquals("com.acme.build:app:1.0", mojo.attribute("maven.project"), mojo.toString());
        assertTrue(List.of("compile", "resources").contains(mojo.attribute("maven.goal")), mojo.toString());
    }

    @Test
    void versionRangeResolvesMetadataFromEachRepository() {
        awaitFinalMetrics(coldReceiver);
        long metadataServed = servedToObsCold.stream().filter(s -> s.path().endsWith("gamma/maven-metadata.xml")).count();
        assertEquals(2, metadataServed, servedToObsCold.toString());
        assertTrue(coldReceiver.latestHistogramCount(DependencyMetrics.RESOLUTION_DURATION,
                Map.of("dependency.scope", "metadata", "outcome", "success")) >= 1,
                coldReceiver.describeSeries(DependencyMetrics.RESOLUTION_DURATION));
        assertTrue(coldReceiver.latestHistogramCount(DependencyMetrics.RESOLUTION_DURATION,
                Map.of("dependency.scope", "collect", "outcome", "success")) >= 2,
                coldReceiver.describeSeries(DependencyMetrics.RESOLUTION_DURATION));
    }

    @Test
    void rangeMetadataIsCheckedInEachRepositoryThenLeftToTheUpdatePolicy() {
        awaitFinalMetrics(coldReceiver);
        awaitFinalMetrics(warmReceiver);
        // the first build asks both repositories; the second, within the daily update policy, asks neither
        // (extra's miss is remembered, not retried)
        assertEquals(List.of(Map.entry("2", "0")), gammaMetadataChecks(coldReceiver), coldReceiver.describe());
        assertEquals(List.of(Map.entry("0", "2")), gammaMetadataChecks(warmReceiver), warmReceiver.describe());
    }

    /** (remote checks, up to date) of each metadata resolution of gamma's version range. */
    private static List<Map.Entry<String, String>> gammaMetadataChecks(OtlpHttpReceiver receiver) {
        return receiver.spans(s -> s.name().equals("maven resolve metadata")
                        && (MavenFixture.GROUP + ":gamma/maven-metadata.xml").equals(s.attribute("maven.metadata")))
                .stream().map(s -> Map.entry(s.attribute("maven.metadata.remote_checks"),
                        s.attribute("maven.metadata.up_to_date"))).toList();
    }

    @Test
    void mojoDurationCountsEachExecutionOfAGoal() {
        awaitFinalMetrics(coldReceiver);
        // lib and app each compile once; build-parent (packaging pom) has no compile
        assertEquals(2, coldReceiver.latestHistogramCount(DependencyMetrics.MOJO_DURATION,
                Map.of("plugin", "org.apache.maven.plugins:maven-compiler-plugin", "goal", "compile")),
                coldReceiver.describeSeries(DependencyMetrics.MOJO_DURATION));
    }

    @Test
    void secondBuildFindsEveryArtifactLocallyAndAsksNoRepository() {
        assertEquals(0, obsWarm.exitCode(), obsWarm.describe());
        awaitFinalMetrics(warmReceiver);
        assertEquals(List.of(), servedToObsWarm);
        List<Map<String, String>> series = warmReceiver.seriesAttributes(DependencyMetrics.ARTIFACTS);
        assertFalse(series.isEmpty(), warmReceiver.describe());
        for (Map<String, String> attributes : series) {
            assertEquals("local", attributes.get("dependency.result"), warmReceiver.describeSeries(DependencyMetrics.ARTIFACTS));
        }
        // every artifact the first build downloaded is found again (and the plugins' more than once)
        long downloadedBefore = servedToObsCold.stream().filter(s -> s.status() == 200 && s.isArtifact()).count();
        assertTrue(warmReceiver.latestValue(DependencyMetrics.ARTIFACTS, Map.of("repository", "local"))
                >= downloadedBefore, warmReceiver.describeSeries(DependencyMetrics.ARTIFACTS));
    }

    @Test
    void missingArtifactIsNotFoundInEachRepositoryAsked() {
        // at least the POM and the jar of missing:1.0 in each
        assertArtifactsPerRepository(missingReceiver, servedToObsMissing, 404, "not_found", 2);
    }

    /**
     * In each repository, the artifact files (jars and POMs) the server answered with {@code status} are as
     * many as obs counted {@code dependency.artifacts{dependency.result=result}}, and at least {@code atLeast}.
     */
    private static void assertArtifactsPerRepository(OtlpHttpReceiver receiver, List<RemoteRepositoryServer.Served> log,
                                                     int status, String result, int atLeast) {
        awaitFinalMetrics(receiver);
        for (String repository : List.of(MavenFixture.CENTRAL, MavenFixture.EXTRA)) {
            long answered = log.stream().filter(s -> s.repository().equals(repository) && s.method().equals("GET")
                    && s.status() == status && s.isArtifact()).count();
            assertTrue(answered >= atLeast, repository + " answered " + status + " " + answered + " times: " + log);
            assertEquals(answered, (long) receiver.latestValue(DependencyMetrics.ARTIFACTS,
                    Map.of("dependency.result", result, "repository", repository)),
                    repository + "\n" + receiver.describeSeries(DependencyMetrics.ARTIFACTS));
        }
    }

    @Test
    void serverErrorIsAFailedLookupInThatRepository() {
        awaitFinalMetrics(missingReceiver);
        String jar = TestRepository.path(MavenFixture.GROUP, "broken", "1.0", "jar");
        assertTrue(servedToObsMissing.stream().anyMatch(s -> s.path().equals(jar) && s.status() == 500),
                servedToObsMissing.toString());
        assertEquals(1, (long) missingReceiver.latestValue(DependencyMetrics.ARTIFACTS,
                Map.of("dependency.result", "failed", "repository", MavenFixture.CENTRAL)),
                missingReceiver.describeSeries(DependencyMetrics.ARTIFACTS));
        List<ReceivedSpan> failedTransfers = missingReceiver.spans(s -> s.name().equals("maven GET")
                && jar.equals(s.attribute("maven.resource")) && MavenFixture.CENTRAL.equals(s.attribute("maven.repository")));
        assertFalse(failedTransfers.isEmpty(), missingReceiver.describe());
        for (ReceivedSpan transfer : failedTransfers) {
            assertEquals("failed", transfer.attribute("maven.transfer.outcome"), transfer.toString());
            assertEquals(Status.StatusCode.STATUS_CODE_ERROR, transfer.span().getStatus().getCode(), transfer.toString());
        }
    }

    @Test
    void exitSummaryShowsResolutionTimeAndEachRepository() {
        String summary = obsCold.obsSummary();
        assertTrue(summary.contains("maven: 1 build, "), summary);
        assertTrue(summary.contains("dependency resolution "), summary);
        for (String repository : List.of(MavenFixture.CENTRAL, MavenFixture.EXTRA, "local")) {
            assertTrue(summary.lines().anyMatch(l -> l.trim().startsWith(repository + " ")), repository + "\n" + summary);
        }
        // the slow answer (alpha's jar) is among the slowest transfers
        assertTrue(summary.contains("alpha-1.0.jar"), summary);
        // test-central's line: downloaded and bytes as the server counted them
        String[] central = summary.lines().map(String::trim).filter(l -> l.startsWith(MavenFixture.CENTRAL + " "))
                .findFirst().orElseThrow().split(" +");
        long downloaded = servedToObsCold.stream().filter(s -> s.repository().equals(MavenFixture.CENTRAL)
                && s.method().equals("GET") && s.status() == 200 && s.isArtifact()).count();
        assertEquals(Long.toString(downloaded), central[2], summary);
        assertEquals(Long.toString(bytesServed(servedToObsCold).get(MavenFixture.CENTRAL)), central[7], summary);
    }

    private static Map<String, Long> bytesServed(List<RemoteRepositoryServer.Served> log) {
        Map<String, Long> bytes = new java.util.TreeMap<>();
        for (RemoteRepositoryServer.Served s : log) {
            if (s.status() == 200 && s.method().equals("GET")) {
                bytes.merge(s.repository(), s.bytes(), Long::sum);
            }
        }
        return bytes;
    }

    /** The build has exited, so its last export has been answered; waits only for a receiver still parsing. */
    private static void awaitFinalMetrics(OtlpHttpReceiver receiver) {
        receiver.awaitMetric(DependencyMetrics.ARTIFACTS, Duration.ofSeconds(15));
    }

    /** The family's metric names, as the README documents them. */
    static final class DependencyMetrics {
        static final String RESOLUTION_DURATION = "dependency.resolution.duration";
        static final String ARTIFACTS = "dependency.artifacts";
        static final String TRANSFER_BYTES = "dependency.transfer.bytes";
        static final String MOJO_DURATION = "maven.mojo.duration";
    }
}
