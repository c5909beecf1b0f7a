package dev.obs.it.maven;

/** Maven 3.9.x from Maven Central (resolver 1.9, its native HTTP transport). */
class Maven39Test extends MavenBuildsTest {
    @Override
    MavenDistribution maven() {
        return MavenDistribution.maven39();
    }
}
