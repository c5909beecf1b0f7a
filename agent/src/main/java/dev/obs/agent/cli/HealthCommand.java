package dev.obs.agent.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code obs health}: asks a running agent; exit status 0 when it is ready, 1 when not. */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = "Ask a running agent (-Dobs.http.port) how it is; exit status 0 when ready.")
final class HealthCommand implements Callable<Integer> {
    @Option(names = "--url", paramLabel = "URL", defaultValue = LiveAgent.DEFAULT_URL,
            description = "The agent's HTTP address (default: ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--json", description = "Print the agent's /health answer as it is")
    boolean json;

    @Override
    public Integer call() throws Exception {
        HttpResponse<byte[]> r = LiveAgent.get(url, "/health");
        String body = new String(r.body(), StandardCharsets.UTF_8);
        String status = null;
        Boolean ready = null;
        try (JsonParser p = new JsonFactory().createParser(r.body())) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    p.nextToken();
                    if (f.equals("status")) {
                        status = p.getText();
                    } else if (f.equals("ready")) {
                        ready = p.getValueAsBoolean();
                    } else {
                        p.skipChildren();
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw CliError.failure(url + "/health is not JSON (HTTP " + r.statusCode() + ")");
        }
        if (status == null || ready == null) {
            throw CliError.failure(url + "/health has no \"status\" and \"ready\" (HTTP " + r.statusCode() + ")");
        }
        if (json) {
            System.out.println(body);
        } else {
            System.out.println("obs at " + url + ": " + status + ", " + (ready ? "ready" : "not ready"));
        }
        return ready ? 0 : 1;
    }
}
