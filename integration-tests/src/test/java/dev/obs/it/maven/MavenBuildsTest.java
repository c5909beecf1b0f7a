package dev.obs.it.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obs.it.harness.OtlpHttpReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One real Maven against the {@link MavenFixture}, five builds shared by the test methods (Maven builds are
 * slow): the project built from an empty local repository without obs and with obs, built again with obs on
 * the warm local repository, and built with profile {@code missing} (a dependency no repository has) without
 * and with obs. Subclasses name the Maven.
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
        assertEquals(plainMissing.exitCode(), obsMissing.exitCode(), obsMissing.describe());
        assertEquals(plainMissing.comparableStdout(), obsMissing.comparableStdout(), obsMissing.describe());
        assertEquals(plainMissing.stderrWithoutObs(), obsMissing.stderrWithoutObs(), obsMissing.describe());
    }
}
