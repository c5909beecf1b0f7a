package dev.obs.it;

import com.acme.MethodsApp;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.ObsCli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input to the command line gets one line on stderr starting "obs: ", nothing on stdout, and a non-zero
 * exit: 2 for usage errors, 1 for a store that is missing or empty. The positive control runs the same
 * command against a good store.
 */
class ObsCommandLineErrorsTest {
    @TempDir
    static Path dir;
    static Path store;
    static Path empty;

    @BeforeAll
    static void writeStore() throws Exception {
        store = dir.resolve("store");
        JvmResult run = ObsRuns.instrumented(MethodsApp.class).property("obs.store.dir", store.toString()).run();
        assertEquals(0, run.exitCode(), run.describe());
        empty = Files.createDirectories(dir.resolve("empty"));
    }

    @Test
    void aGoodCommandSucceeds() {
        ObsCli.Result r = ObsCli.create().run("metrics", "--store", store.toString(), "--since", "1d");
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("Repo.sync"), r.describe());
        assertEquals("", r.stderr(), r.describe());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "frobnicate                                    | 2 | unknown command 'frobnicate'",
            "metrics --frobnicate                          | 2 | Unknown option: '--frobnicate'",
            "metrics --since yesterday-ish STORE           | 2 | --since 'yesterday-ish' is not a time",
            "metrics --until 2025-13-45 STORE              | 2 | --until '2025-13-45' is not a time",
            "metrics --family gti STORE                    | 2 | --family 'gti' is not one of",
            "metrics --watch 0s STORE                      | 2 | --watch '0s' is too short",
            "traces --slowest 0 STORE                      | 2 | must be a positive number",
            "traces --slowest 3 --recent 3 STORE           | 2 | mutually exclusive",
            "trace not-a-trace-id STORE                    | 2 | is not a trace id",
            "trace 0123456789abcdef0123456789abcdef STORE  | 1 | no span of trace 0123456789abcdef0123456789abcdef",
            "replay --endpoint ftp://x STORE               | 2 | is not an http(s) URL",
            "replay --endpoint http://127.0.0.1:1 --protocol carrier-pigeon STORE | 2 | is not http/protobuf or grpc",
            "metrics --store MISSING                       | 1 | no store at",
            "metrics --store EMPTY                         | 1 | is empty",
            "health --url not-a-url                        | 2 | is not an http URL",
    })
    void badInputGetsOneLineAndAnExitStatus(String args, int status, String message) {
        List<String> argv = new ArrayList<>();
        for (String a : args.trim().split("\\s+")) {
            switch (a) {
                case "STORE" -> {
                    argv.add("--store");
                    argv.add(store.toString());
                }
                case "MISSING" -> argv.add(dir.resolve("no-such-dir").toString());
                case "EMPTY" -> argv.add(empty.toString());
                default -> argv.add(a);
            }
        }
        ObsCli.Result r = ObsCli.create().run(argv.toArray(new String[0]));
        assertEquals(status, r.exitCode(), r.describe());
        List<String> lines = r.stderr().lines().toList();
        assertEquals(1, lines.size(), "one line: " + r.describe());
        assertTrue(lines.get(0).startsWith("obs: ") && lines.get(0).contains(message.trim()), r.describe());
        assertEquals("", r.stdout(), r.describe());
    }
}
