package dev.obs.it.maven;

/** {@link MavenTransfersTest} with the machine's Maven (Debian's 3.8.7, Wagon transport). */
class InstalledMavenTransfersTest extends MavenTransfersTest {
    @Override
    MavenDistribution maven() {
        return MavenDistribution.installed();
    }
}
