package dev.obs.it;

import static dev.obs.it.ObsRuns.ARRIVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.GitSecretsApp;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.JGitJars;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.RawRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corpus of credentials goes through the git command line and JGit; none of it may appear in anything
 * obs exports (the OTLP bodies) or stores (the local store), while the masked forms do.
 */
class GitSecretLeakTest {
    @RegisterExtension
    static final OtlpHttpReceiver receiver = new OtlpHttpReceiver();

    @Test
    void noSecretByteLeavesThroughEitherGitPath(@TempDir Path tmp) throws Exception {
        Path store = tmp.resolve("store");
        JvmResult run = JGitJars.withJGit(AgentJvm.withAgent(GitSecretsApp.class), null, tmp.resolve("home"))
                .property("obs.exporter", "otlp,file")
                .property("obs.store.dir", store.toString())
                .property("obs.git.trace2", "true")
                .property("otel.exporter.otlp.endpoint", receiver.endpoint())
                .run();
        assertEquals(0, run.exitCode(), run.describe());
        // 5 CLI + 5 JGit ls-remote on URLs, and 3 CLI runs with secrets in options.
        receiver.awaitSpans(s -> s.name().equals("git ls-remote"), 13, ARRIVAL);

        List<String> exported = new ArrayList<>();
        for (RawRequest request : receiver.rawRequests()) {
            exported.add(new String(request.decodedBody(), StandardCharsets.ISO_8859_1));
        }
        try (Stream<Path> files = Files.list(store)) {
            for (Path f : files.toList()) {
                exported.add(Files.readString(f, StandardCharsets.ISO_8859_1));
            }
        }
        assertTrue(exported.size() > 2, "both the wire and the store were read");
        for (String text : exported) {
            for (String secret : GitSecretsApp.SECRETS) {
                assertFalse(text.contains(secret), secret + " left the process");
            }
        }
        String all = String.join("\n", exported);
        assertTrue(all.contains("https://****@127.0.0.1:1/repo.git"), "masked URLs are kept");
        assertTrue(all.contains("http.extraHeader=****"), "the extra header's value is masked");
        assertTrue(all.contains("aws.key=****"), "token-shaped values are masked");
    }
}
