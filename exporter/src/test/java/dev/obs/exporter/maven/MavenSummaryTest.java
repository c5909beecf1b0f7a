package dev.obs.exporter.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obs.exporter.maven.DependencyStatistics.ArtifactResult;
import dev.obs.exporter.maven.DependencyStatistics.Direction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exit summary's Maven section, from figures this test records under repository ids of its own. */
class MavenSummaryTest {
    @Test
    void repositoryLineShowsItsArtifactsHitRateBytesAndTransfers() {
        String repository = "summary-test-" + System.nanoTime();
        DependencyStatistics.artifact(ArtifactResult.DOWNLOADED, repository);
        DependencyStatistics.artifact(ArtifactResult.DOWNLOADED, repository);
        DependencyStatistics.artifact(ArtifactResult.DOWNLOADED, repository);
        DependencyStatistics.artifact(ArtifactResult.NOT_FOUND, repository);
        DependencyStatistics.transfer(repository, Direction.DOWNLOAD, 1000, 2_000_000L, "a/b/c-1.jar");
        DependencyStatistics.transfer(repository, Direction.DOWNLOAD, 234, 1_000_000L, "a/b/c-1.pom");

        String text = MavenSummary.render(1, 10_000_000_000L, 2_500_000_000L, List.of(repository));

        List<String> lines = text.lines().toList();
        assertEquals("maven: 1 build, 10.00 s; dependency resolution 2.50 s (25 %), the rest 7.50 s", lines.get(0));
        String line = lines.stream().filter(l -> l.trim().startsWith(repository)).findFirst().orElseThrow();
        assertEquals(List.of(repository, "0", "3", "1", "0", "75", "%", "1234", "2", "0.00"),
                List.of(line.trim().split(" +")), line);
    }

    @Test
    void slowestTransfersComeFirst() {
        String repository = "slow-test-" + System.nanoTime();
        // longer than any other test's transfers, so these two are the slowest of the JVM
        DependencyStatistics.transfer(repository, Direction.DOWNLOAD, 10, 900_000_000_000L, "second.jar");
        DependencyStatistics.transfer(repository, Direction.DOWNLOAD, 10, 950_000_000_000L, "first.jar");

        List<DependencyStatistics.SlowTransfer> slowest = DependencyStatistics.slowest();
        assertEquals("first.jar", slowest.get(0).resource());
        assertEquals("second.jar", slowest.get(1).resource());
        assertTrue(slowest.size() <= DependencyStatistics.SLOWEST);
    }
}
