package dev.obs.it.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.ReceivedSpan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The transfers {@link MavenBuildsTest}'s builds do not make, on the same {@link MavenFixture}, five builds
 * shared by the test methods: a parallel build ({@code -T 2}, with a third module {@code tool} built at the same
 * time as {@code lib}) from an empty local repository with obs; with a
 * jar whose {@code .sha1} is wrong, under {@code -C} (checksum policy {@code fail}), without and with obs, each
 * on a copy of the parallel build's local repository; the build again after the local repository's record of
 * where {@code alpha} came from names another repository (the resolver then checks with {@code HEAD} that
 * {@value MavenFixture#CENTRAL} has it, instead of downloading it again); and {@code mvn deploy} to
 * {@value MavenFixture#DEPLOY} ({@code PUT}s). Subclasses name the Maven.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MavenTransfersTest {
    MavenFixture fixture;
    final OtlpHttpReceiver parallelReceiver = new OtlpHttpReceiver();
    final OtlpHttpReceiver tamperedReceiver = new OtlpHttpReceiver();
    final OtlpHttpReceiver checkReceiver = new OtlpHttpReceiver();
    final OtlpHttpReceiver deployReceiver = new OtlpHttpReceiver();

    MavenResult obsParallel;
    List<RemoteRepositoryServer.Served> servedToObsParallel;
    MavenResult plainTampered;
    MavenResult obsTampered;
    List<RemoteRepositoryServer.Served> servedToObsTampered;
    MavenResult obsCheck;
    List<RemoteRepositoryServer.Served> servedToObsCheck;
    MavenResult obsDeploy;
    List<RemoteRepositoryServer.Served> servedToObsDeploy;

    abstract MavenDistribution maven();

    @BeforeAll
    void buildAll() throws Exception {
        fixture = new MavenFixture(Files.createTempDirectory("obs-maven-transfers-it-"));
        Path local = fixture.newLocalRepository("obs");
        obsParallel = fixture.buildWithParallelModules(maven()).localRepository(local).withAgent(MavenBuildsTest.agent(parallelReceiver))
                .args("-ntp", "-T", "2", "package").run();
        servedToObsParallel = fixture.server.log();

        Path plainTamperedLocal = MavenFixture.copyTree(local, fixture.newLocalRepository("plain-tampered"));
        Path obsTamperedLocal = MavenFixture.copyTree(local, fixture.newLocalRepository("obs-tampered"));
        plainTampered = fixture.build(maven()).localRepository(plainTamperedLocal)
                .args("-ntp", "-C", "-Ptampered", "package").run();
        fixture.server.clearLog();
        obsTampered = fixture.build(maven()).localRepository(obsTamperedLocal)
                .withAgent(MavenBuildsTest.agent(tamperedReceiver)).args("-ntp", "-C", "-Ptampered", "package").run();
        servedToObsTampered = fixture.server.log();

        // alpha's files stay, but the local repository now says they came from a repository this build does not
        // know: the resolver asks test-central whether it has them (HEAD) before it uses them
        Path alphaDir = local.resolve(TestRepository.path(MavenFixture.GROUP, "alpha", "1.0", "jar")).getParent();
        Files.writeString(alphaDir.resolve("_remote.repositories"),
                "alpha-1.0.jar>elsewhere=\nalpha-1.0.pom>elsewhere=\n");
        fixture.server.clearLog();
        obsCheck = fixture.build(maven()).localRepository(local).withAgent(MavenBuildsTest.agent(checkReceiver))
                .args("-ntp", "package").run();
        servedToObsCheck = fixture.server.log();

        fixture.server.clearLog();
        obsDeploy = fixture.build(maven()).localRepository(local).withAgent(MavenBuildsTest.agent(deployReceiver))
                .args("-ntp", "-DaltDeploymentRepository=" + MavenFixture.DEPLOY + "::"
                        + fixture.server.url(MavenFixture.DEPLOY), "deploy").run();
        servedToObsDeploy = fixture.server.log();
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
        parallelReceiver.close();
        tamperedReceiver.close();
        checkReceiver.close();
        deployReceiver.close();
    }

    // ---------------------------------------------------------------- -T 2

    @Test
    void parallelBuildTransferSpansAreChildrenOfTheResolutionThatCausedThem() {
        assertEquals(0, obsParallel.exitCode(), obsParallel.describe());
        awaitFinalMetrics(parallelReceiver);
        List<ReceivedSpan> spans = parallelReceiver.spans();
        // positive control: lib and tool were built at the same time
        ReceivedSpan lib = only(spans, "maven project lib");
        ReceivedSpan tool = only(spans, "maven project tool");
        assertTrue(lib.span().getStartTimeUnixNano() < tool.span().getEndTimeUnixNano()
                && tool.span().getStartTimeUnixNano() < lib.span().getEndTimeUnixNano(), lib + "\n" + tool);
        Map<String, ReceivedSpan> byId = spans.stream().collect(Collectors.toMap(ReceivedSpan::spanId, s -> s));
        List<ReceivedSpan> transfers = spans.stream().filter(s -> s.name().equals("maven GET")).toList();
        assertEquals(servedToObsParallel.stream().filter(s -> s.method().equals("GET")).count(), transfers.size(),
                parallelReceiver.describe());
        for (ReceivedSpan transfer : transfers) {
            ReceivedSpan parent = byId.get(transfer.parentSpanId());
            assertTrue(parent != null && (parent.name().equals("maven resolve artifacts")
                    || parent.name().equals("maven resolve metadata")), transfer + " has parent " + parent);
            // the resolution is under the mojo (or project, or build) of its own module's thread
            assertEquals(transfer.traceId(), parent.traceId(), transfer.toString());
        }
    }

    @Test
    void parallelBuildCountsEachArtifactTheServerServedAndItsBytes() {
        awaitFinalMetrics(parallelReceiver);
        for (String repository : List.of(MavenFixture.CENTRAL, MavenFixture.EXTRA)) {
            long answered = servedToObsParallel.stream().filter(s -> s.repository().equals(repository)
                    && s.method().equals("GET") && s.status() == 200 && s.isArtifact()).count();
            assertTrue(answered >= 1, repository + ": " + servedToObsParallel);
            assertEquals(answered, (long) parallelReceiver.latestValue(MavenBuildsTest.DependencyMetrics.ARTIFACTS,
                    Map.of("dependency.result", "downloaded", "repository", repository)),
                    repository + "\n" + parallelReceiver.describeSeries(MavenBuildsTest.DependencyMetrics.ARTIFACTS));
            long bytes = servedToObsParallel.stream().filter(s -> s.repository().equals(repository)
                    && s.method().equals("GET") && s.status() == 200).mapToLong(RemoteRepositoryServer.Served::bytes).sum();
            assertEquals(bytes, (long) parallelReceiver.latestValue(MavenBuildsTest.DependencyMetrics.TRANSFER_BYTES,
                    Map.of("repository", repository, "direction", "download")),
                    repository + "\n" + parallelReceiver.describeSeries(MavenBuildsTest.DependencyMetrics.TRANSFER_BYTES));
        }
    }

    // ---------------------------------------------------------------- a wrong .sha1 under -C

    @Test
    void wrongChecksumUnderChecksumPolicyFailFailsTheBuildAsWithoutObs() {
        assertNotEquals(0, plainTampered.exitCode(), plainTampered.describe());
        assertTrue(plainTampered.stdout().contains(MavenFixture.GROUP + ":tampered"), plainTampered.describe());
        assertEquals(plainTampered.exitCode(), obsTampered.exitCode(), obsTampered.describe());
        assertEquals(plainTampered.comparableStdout(), obsTampered.comparableStdout(), obsTampered.describe());
        assertEquals(plainTampered.stderrWithoutObs(), obsTampered.stderrWithoutObs(), obsTampered.describe());
    }

    @Test
    void wrongChecksumIsAFailedArtifactAndAChecksumFailureOfItsResolution() {
        awaitFinalMetrics(tamperedReceiver);
        String jar = TestRepository.path(MavenFixture.GROUP, "tampered", "1.0", "jar");
        // positive control: the server served the jar and its wrong checksum
        assertTrue(servedToObsTampered.stream().anyMatch(s -> s.path().equals(jar) && s.status() == 200),
                servedToObsTampered.toString());
        assertTrue(servedToObsTampered.stream().anyMatch(s -> s.path().equals(jar + ".sha1") && s.status() == 200),
                servedToObsTampered.toString());
        assertEquals(1, (long) tamperedReceiver.latestValue(MavenBuildsTest.DependencyMetrics.ARTIFACTS,
                Map.of("dependency.result", "failed", "repository", MavenFixture.CENTRAL)),
                tamperedReceiver.describeSeries(MavenBuildsTest.DependencyMetrics.ARTIFACTS));
        List<ReceivedSpan> withFailures = tamperedReceiver.spans(s -> s.name().equals("maven resolve artifacts")
                && s.attribute("maven.checksum.failures") != null);
        assertEquals(1, withFailures.size(), tamperedReceiver.describe());
        assertEquals("1", withFailures.get(0).attribute("maven.checksum.failures"), withFailures.get(0).toString());
        assertEquals("1", withFailures.get(0).attribute("maven.artifacts.failed"), withFailures.get(0).toString());
    }

    // ---------------------------------------------------------------- HEAD

    @Test
    void existenceCheckIsOneHeadTransferSpanPerHeadTheServerAnswered() {
        assertEquals(0, obsCheck.exitCode(), obsCheck.describe());
        awaitFinalMetrics(checkReceiver);
        List<String> expected = servedToObsCheck.stream().filter(s -> s.method().equals("HEAD"))
                .map(s -> s.repository() + " " + s.path() + " " + (s.status() == 200 ? "ok" : "not_found") + " 0")
                .sorted().toList();
        assertTrue(expected.contains(MavenFixture.CENTRAL + " "
                + TestRepository.path(MavenFixture.GROUP, "alpha", "1.0", "jar") + " ok 0"), servedToObsCheck.toString());
        List<String> recorded = checkReceiver.spans(s -> s.name().equals("maven HEAD")).stream()
                .map(s -> s.attribute("maven.repository") + " " + s.attribute("maven.resource") + " "
                        + s.attribute("maven.transfer.outcome") + " " + s.attribute("maven.transfer.bytes"))
                .sorted().toList();
        assertEquals(expected, recorded, checkReceiver.describe());
    }

    // ---------------------------------------------------------------- PUT

    @Test
    void deployIsOnePutTransferSpanPerFileTheServerReceivedWithItsBytes() {
        assertEquals(0, obsDeploy.exitCode(), obsDeploy.describe());
        awaitFinalMetrics(deployReceiver);
        List<String> expected = servedToObsDeploy.stream().filter(s -> s.method().equals("PUT"))
                .map(s -> s.repository() + " " + s.path() + " " + (s.status() == 201 ? "ok" : "failed") + " " + s.bytes())
                .sorted().toList();
        assertTrue(expected.stream().anyMatch(l -> l.startsWith(MavenFixture.DEPLOY + " com/acme/build/lib/1.0/lib-1.0.jar ok ")),
                servedToObsDeploy.toString());
        List<String> recorded = deployReceiver.spans(s -> s.name().equals("maven PUT")).stream()
                .map(s -> s.attribute("maven.repository") + " " + s.attribute("maven.resource") + " "
                        + s.attribute("maven.transfer.outcome") + " " + s.attribute("maven.transfer.bytes"))
                .sorted().toList();
        assertEquals(expected, recorded, deployReceiver.describe());
    }

    @Test
    void deployedBytesAreTheUploadBytesOfTheDeploymentRepository() {
        awaitFinalMetrics(deployReceiver);
        long received = servedToObsDeploy.stream().filter(s -> s.method().equals("PUT") && s.status() == 201)
                .mapToLong(RemoteRepositoryServer.Served::bytes).sum();
        assertTrue(received > 0, servedToObsDeploy.toString());
        assertEquals(received, (long) deployReceiver.latestValue(MavenBuildsTest.DependencyMetrics.TRANSFER_BYTES,
                Map.of("repository", MavenFixture.DEPLOY, "direction", "upload")),
                deployReceiver.describeSeries(MavenBuildsTest.DependencyMetrics.TRANSFER_BYTES));
    }

    private static ReceivedSpan only(List<ReceivedSpan> spans, String name) {
        List<ReceivedSpan> named = spans.stream().filter(s -> s.name().equals(name)).toList();
        assertEquals(1, named.size(), name + ": " + named);
        return named.get(0);
    }

    private static void awaitFinalMetrics(OtlpHttpReceiver receiver) {
        receiver.awaitMetric(MavenBuildsTest.DependencyMetrics.ARTIFACTS, Duration.ofSeconds(15));
    }
}
