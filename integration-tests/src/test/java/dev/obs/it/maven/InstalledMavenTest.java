package dev.obs.it.maven;

/** The machine's Maven (Debian's 3.8.7, resolver 1.6, Wagon transport). */
class InstalledMavenTest extends MavenBuildsTest {
    @Override
    MavenDistribution maven() {
        return MavenDistribution.installed();
    }
}
