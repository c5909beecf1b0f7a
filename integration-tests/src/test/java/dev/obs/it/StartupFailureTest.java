package dev.obs.it;

import com.acme.MethodsApp;
import dev.obs.it.harness.JvmResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When the agent cannot start, it says so in one line and gets out of the way. */
class StartupFailureTest {

    @Test
    void unusableStoreDirectoryGivesOneObsLineAndAnUninstrumentedRun(@TempDir Path tmp) throws Exception {
        Path regularFile = Files.writeString(tmp.resolve("not-a-directory"), "keep me");
        var app = ObsRuns.instrumented(MethodsApp.class)
                .property("obs.store.dir", regularFile.resolve("store").toString())
                .args("--sync=3", "--exit=3");

        JvmResult plain = app.withoutAgent().run();
        JvmResult run = app.run();

        assertEquals(3, plain.exitCode(), plain.describe());
        assertEquals(3, run.exitCode(), run.describe());
        assertEquals(plain.stdout(), run.stdout(), run.describe());
        List<String> obsLines = run.stderrLines().stream().filter(l -> l.startsWith("obs")).collect(Collectors.toList());
        assertEquals(1, obsLines.size(), "one line from obs (and no summary of an uninstrumented run)" + run.describe());
        assertTrue(obsLines.get(0).startsWith("obs:"), run.describe());
        assertEquals("keep me", Files.readString(regularFile), "the file in the way is left alone");
    }
}
