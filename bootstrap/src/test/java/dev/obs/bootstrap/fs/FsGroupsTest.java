package dev.obs.bootstrap.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FsGroupsTest {
    private static final String JAVA_HOME = "/usr/lib/jvm/java-17";
    private static final String OBS_JAR = "/opt/obs/obs.jar";

    /** The README's example plus an exact file, a single-level glob and a catch-all, in that order. */
    private static FsGroups groups(String workingDir) {
        return new FsGroups(new String[] {"repos", "tmp", "config", "logs", "one", "all"},
                new String[] {"/srv/git/**", "/tmp/**", "/etc/app.conf", "/var/log/*.log", "/data/?.bin", "/home/**"},
                JAVA_HOME, OBS_JAR, workingDir);
    }

    private static String group(FsGroups g, String path) {
        return g.name(g.classify(path, -1));
    }

    @ParameterizedTest
    @CsvSource({
            // ** crosses directories, needs the slash before it
            "/srv/git/repo.git/objects/pack/p.pack, repos",
            "/srv/git/x, repos",
            "/srv/git/, repos",
            "/srv/git, other",
            "/srv/gitx/a, other",
            "/srv/gi, other",
            "/tmp/obs-123/data/f000001, tmp",
            "/tmpfoo, other",
            // an exact file is itself only
            "/etc/app.conf, config",
            "/etc/app.conf.bak, other",
            "/etc/app.con, other",
            "/etc/app.conf/x, other",
            // * stays within one directory
            "/var/log/app.log, logs",
            "/var/log/.log, logs",
            "/var/log/sub/app.log, other",
            "/var/log/app.log.1, other",
            // ? is one character, not a slash
            "/data/a.bin, one",
            "/data/ab.bin, other",
            "/data//.bin, other",
            "/home/u/x, all",
            "/opt/x, other",
    })
    void matchesGlobs(String path, String expected) {
        assertEquals(expected, group(groups("/work/app"), path));
    }

    @Test
    void firstMatchWins() {
        FsGroups g = new FsGroups(new String[] {"pack", "repos", "everything"},
                new String[] {"/srv/git/**/*.pack", "/srv/git/**", "/**"}, null, null, "/");
        assertEquals("pack", group(g, "/srv/git/a.git/objects/pack/p-1.pack"));
        assertEquals("repos", group(g, "/srv/git/a.git/HEAD"));
        assertEquals("everything", group(g, "/etc/hosts"));
    }

    @Test
    void relativePathsAreMatchedAgainstTheWorkingDirectory() {
        assertEquals("tmp", group(groups("/tmp/job"), "out/part-0"));
        assertEquals("tmp", group(groups("/tmp/job/"), "out/part-0"));
        assertEquals("other", group(groups("/work/app"), "out/part-0"));
        assertEquals("repos", group(groups("/srv/git"), "a.git/config"));
        // the working directory is prefixed virtually: a relative path never matches a glob's start alone
        assertEquals("other", group(groups("/work/app"), "srv/git/x"));
    }

    @Test
    void aRelativeGlobIsRelativeToTheWorkingDirectory() {
        FsGroups g = new FsGroups(new String[] {"data"}, new String[] {"data/**"}, null, null, "/work/app");
        assertEquals("data", group(g, "/work/app/data/x.bin"));
        assertEquals("data", group(g, "data/x.bin"));
        assertEquals("other", group(g, "/other/data/x.bin"));
    }

    @Test
    void starsThatWouldBacktrackExponentiallyAreMatchedInLinearSteps() {
        // a recursive matcher takes seconds on these (every split of the path between the stars is tried);
        // the automaton visits each character once per glob element
        String path = "/" + "a".repeat(60);
        assertFalse(FsGroups.matches("/*a*a*a*a*a*a*b", "", path));
        assertTrue(FsGroups.matches("/*a*a*a*a*a*a*", "", path));
        assertFalse(FsGroups.matches("/**/**/**/**/**/**/b", "", path));
        assertTrue(FsGroups.matches("/**/**/**/**/**/**/a", "", "/1/2/3/" + "a".repeat(60) + "/5/6/7/a"));
        assertFalse(FsGroups.matches("/*/b", "", "/a/a/b"), "* stops at /");
        assertTrue(FsGroups.matches("/**/b", "", "/a/a/b"));
        assertTrue(FsGroups.matches("/**b", "", "/a/a/b"));
        assertTrue(FsGroups.matches("/a/**", "", "/a/"));
        assertFalse(FsGroups.matches("/a/?", "", "/a/"));
    }

    @Test
    void aGlobHasAtMost63Elements() {
        assertEquals(3, FsGroups.elements("/**a"));
        String tooLong = "/" + "x".repeat(63);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new FsGroups(new String[] {"g"}, new String[] {tooLong}, null, null, "/"));
    }

    @Test
    void builtInGroupsComeFirst() {
        FsGroups g = groups("/work/app");
        // class loading: every jar, jmod and class file, anywhere (before the user's /tmp/**), and the JDK's files
        assertEquals("jvm", group(g, "/tmp/lib/dep.jar"));
        assertEquals("jvm", group(g, "/tmp/classes/com/acme/App.class"));
        assertEquals("jvm", group(g, "/srv/git/tools.jmod"));
        assertEquals("jvm", group(g, "lib/dep.jar"));
        assertEquals("jvm", group(g, JAVA_HOME + "/lib/modules"));
        assertEquals("other", group(g, JAVA_HOME + "x/lib/modules"));
        // obs's own jar, only by its absolute path
        assertEquals(FsGroups.OBS, g.classify(OBS_JAR, -1));
        assertEquals("obs", group(g, OBS_JAR));
        // no path: a stream on a descriptor; 0-2 are stdio
        assertEquals("stdio", g.name(g.classify(null, 1)));
        assertEquals("stdio", g.name(g.classify("", 2)));
        assertEquals("other", g.name(g.classify(null, 3)));
        assertEquals("other", g.name(g.classify(null, -1)));
    }

    @Test
    void indicesAndNames() {
        FsGroups g = groups("/");
        assertEquals(FsGroups.FIRST_USER + 6, g.size());
        assertEquals("other", g.name(FsGroups.OTHER));
        assertEquals("jvm", g.name(FsGroups.JVM));
        assertEquals("stdio", g.name(FsGroups.STDIO));
        assertEquals("obs", g.name(FsGroups.OBS));
        assertEquals("repos", g.name(FsGroups.FIRST_USER));
        assertEquals(FsGroups.FIRST_USER + 1, g.classify("/tmp/x", -1));
    }

    @Test
    void atMostMaxUserGroups() {
        int n = FsGroups.MAX_USER + 3;
        String[] names = new String[n];
        String[] globs = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = "g" + i;
            globs[i] = "/g" + i + "/**";
        }
        FsGroups g = new FsGroups(names, globs, null, null, "/");
        assertEquals(FsGroups.FIRST_USER + FsGroups.MAX_USER, g.size());
        assertEquals("g0", group(g, "/g0/x"));
        assertEquals("g" + (FsGroups.MAX_USER - 1), group(g, "/g" + (FsGroups.MAX_USER - 1) + "/x"));
        assertEquals("other", group(g, "/g" + FsGroups.MAX_USER + "/x"));
    }

    @Test
    void globCharactersOtherThanStarAndQuestionMarkAreLiteral() {
        assertTrue(FsGroups.matches("/a+b/[x]/{c}/**", "", "/a+b/[x]/{c}/d"));
        assertFalse(FsGroups.matches("/a+b/[x]/**", "", "/aab/x/d"));
        assertTrue(FsGroups.matches("**", "", ""));
        assertTrue(FsGroups.matches("*", "", "abc"));
        assertFalse(FsGroups.matches("*", "", "a/c"));
        assertTrue(FsGroups.matches("/**/x", "", "/a/b/x"));
        assertFalse(FsGroups.matches("/**/x", "", "/a/b/xy"));
    }
}
