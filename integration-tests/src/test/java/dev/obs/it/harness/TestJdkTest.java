package dev.obs.it.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the tests find Java 25: fake JDK homes (a release file and an executable bin/java) in a temporary dir. */
class TestJdkTest {
    @TempDir
    Path jvmDir;

    @Test
    void theScanPicksTheLowestReleaseOfAtLeast25AmongRealHomes() throws Exception {
        fakeHome("jdk-17", "17.0.15", true);
        fakeHome("jdk-26", "26", true);
        Path jdk25 = fakeHome("jdk-25", "25.0.3", true);
        fakeHome("a-jdk-25-without-java", "25.0.1", false);
        Files.createDirectories(jvmDir.resolve("no-release"));

        assertEquals(jdk25, TestJdk.scan(jvmDir, 25));
    }

    @Test
    void theScanWithoutJava25FailsNamingTheSettingsAndWhatIsThere() throws Exception {
        fakeHome("jdk-17", "17.0.15", true);
        fakeHome("jdk-8", "1.8.0_402", true);

        AssertionError e = assertThrows(AssertionError.class, () -> TestJdk.scan(jvmDir, 25));
        assertTrue(e.getMessage().contains("set OBS_TEST_JAVA25_HOME (or -Dobs.test.java25.home)"), e.getMessage());
        assertTrue(e.getMessage().contains("there: jdk-17 (Java 17), jdk-8 (Java 8)"), e.getMessage());
    }

    @Test
    void aConfiguredHomeBelow25FailsNamingTheSettingWhereA25IsTaken() throws Exception {
        Path jdk17 = fakeHome("jdk-17", "17.0.15", true);
        Path jdk25 = fakeHome("jdk-25", "25.0.3", true);

        assertEquals(jdk25, TestJdk.checked(jdk25, "OBS_TEST_JAVA25_HOME", 25));
        AssertionError e = assertThrows(AssertionError.class,
                () -> TestJdk.checked(jdk17, "OBS_TEST_JAVA25_HOME", 25));
        assertEquals("OBS_TEST_JAVA25_HOME=" + jdk17 + " is Java 17; the tests need Java 25 or later there",
                e.getMessage());
    }

    @Test
    void aConfiguredPathThatIsNoJavaHomeFailsNamingTheSetting() throws Exception {
        Path notAHome = Files.createDirectories(jvmDir.resolve("not-a-home"));

        AssertionError e = assertThrows(AssertionError.class,
                () -> TestJdk.checked(notAHome, "-Dobs.test.java25.home", 25));
        assertTrue(e.getMessage().startsWith("-Dobs.test.java25.home=" + notAHome + " is not a Java home"),
                e.getMessage());
    }

    private Path fakeHome(String name, String javaVersion, boolean withJava) throws Exception {
        Path home = Files.createDirectories(jvmDir.resolve(name).resolve("bin")).getParent();
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + javaVersion + "\"\n");
        if (withJava) {
            Files.createFile(home.resolve("bin/java"), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwxr-xr-x")));
        }
        return home;
    }
}
