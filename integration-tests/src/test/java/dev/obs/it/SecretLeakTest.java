package dev.obs.it;

import com.acme.SecretsApp;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.OtlpJsonStore;
import dev.obs.it.harness.Otlp;
import dev.obs.it.harness.RawRequest;
import dev.obs.it.harness.ReceivedSpan;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.obs.it.ObsRuns.ARRIVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Secrets from the command line, the exporter headers and exception messages never leave the process. One
 * run, shared by the scenarios.
 */
class SecretLeakTest {
    private static final String PASSWORD = "hunter2SECRET";
    private static final String TOKEN = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String URL_PASSWORD = "s3cr3tPass";
    private static final String HEADER_SECRET = "sekret-header-value";
    private static final List<String> SECRETS = List.of(PASSWORD, TOKEN, URL_PASSWORD, HEADER_SECRET);

    @RegisterExtension
    static final OtlpHttpReceiver receiver = new OtlpHttpReceiver();
    @TempDir
    static Path storeDir;
    static JvmResult run;
    static List<ReceivedSpan> spans;

    /** One run of SecretsApp exporting to both the receiver and the store, shared by the scenarios. */
    @BeforeAll
    static void runTheAppWithSecretsEverywhere() {
        run = ObsRuns.exportingTo(SecretsApp.class, receiver.endpoint())
                .property("obs.methods.include", "com.acme.Remote[cloneFrom];com.acme.Repo[sync,push]")
                .property("obs.exporter", "otlp,file")
                .property("obs.store.dir", storeDir.toString())
                .property("app.password", PASSWORD)
                .property("otel.exporter.otlp.headers", "authorization=Bearer " + HEADER_SECRET)
                .args("--token=" + TOKEN)
                .run();
        spans = receiver.awaitSpans(3, ARRIVAL);
        receiver.awaitMetric("obs.method.duration", ARRIVAL);
    }

    /** The header is meant for the collector: it must arrive, just never inside the telemetry. */
    @Test
    void theExporterHeaderReachesTheCollector() {
        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(receiver.rawRequests().stream()
                        .allMatch(r -> ("Bearer " + HEADER_SECRET).equals(r.header("authorization"))),
                "authorization header: " + receiver.rawRequests());
    }

    @Test
    void noSecretReachesTheCollector() {
        assertFalse(receiver.rawRequests().isEmpty(), receiver.describe());
        for (RawRequest request : receiver.rawRequests()) {
            String body = request.decodedBodyAsText();
            for (String secret : SECRETS) {
                assertFalse(body.contains(secret), secret + " leaked in " + request);
            }
        }
    }

    @Test
    void noSecretReachesTheLocalStore() throws IOException {
        OtlpJsonStore store = new OtlpJsonStore(storeDir);
        assertFalse(store.traceFiles().isEmpty(), "the file exporter wrote traces: " + store.allFiles());
        for (Path file : store.allFiles()) {
            String content = Files.readString(file, StandardCharsets.ISO_8859_1);
            for (String secret : SECRETS) {
                assertFalse(content.contains(secret), secret + " leaked into " + file);
            }
        }
    }

    @Test
    void anExceptionMessageKeepsItsShapeWithTheCredentialsMasked() {
        ReceivedSpan clone = cloneSpan();
        String statusMessage = clone.span().getStatus().getMessage();
        assertTrue(statusMessage.contains("****") && statusMessage.contains("git.example.com"),
                "status message keeps its shape, masked: " + statusMessage);
        assertEquals(1, clone.span().getEventsCount(), clone.toString());
        Map<String, String> event = Otlp.attributes(clone.span().getEvents(0).getAttributesList());
        assertTrue(event.get("exception.message").contains("****@git.example.com"), "event: " + event);
    }

    @Test
    void theCommandLineResourceAttributeKeepsItsOptionsWithTheValuesMasked() {
        List<String> commandArgs = cloneSpan().resourceAttributeList("process.command_args");
        assertTrue(commandArgs.contains("-Dapp.password=****"), "process.command_args: " + commandArgs);
        assertTrue(commandArgs.stream().anyMatch(a -> a.startsWith("--token=") && a.contains("****")),
                "process.command_args: " + commandArgs);
        assertTrue(commandArgs.stream().anyMatch(a -> a.startsWith("-Dotel.exporter.otlp.headers=") && a.contains("****")),
                "process.command_args: " + commandArgs);
    }

    private static ReceivedSpan cloneSpan() {
        return spans.stream().filter(s -> s.name().equals("Remote.cloneFrom")).findFirst()
                .orElseThrow(() -> new AssertionError("no Remote.cloneFrom span: " + spans));
    }
}
