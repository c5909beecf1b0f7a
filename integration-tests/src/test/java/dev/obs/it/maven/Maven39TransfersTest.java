package dev.obs.it.maven;

/** {@link MavenTransfersTest} with Maven 3.9.x from Maven Central (its native HTTP transport). */
class Maven39TransfersTest extends MavenTransfersTest {
    @Override
    MavenDistribution maven() {
        return MavenDistribution.maven39();
    }
}
