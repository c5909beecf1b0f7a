package dev.obs.agent.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code obs replay}: sends stored records to an OTLP endpoint. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Send stored spans and metrics to an OTLP collector (Jaeger, Tempo, ...).")
final class ReplayCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;
    @Mixin
    WindowOptions window;

    @Option(names = "--endpoint", required = true, paramLabel = "URL",
            description = "The collector, e.g. http://localhost:4318 (http/protobuf) or http://localhost:4317 (grpc)")
    String endpoint;

    @Option(names = "--protocol", paramLabel = "PROTOCOL", defaultValue = "http/protobuf",
            description = "http/protobuf or grpc (default: ${DEFAULT-VALUE})")
    String protocol;

    @Override
    public Integer call() throws Exception {
        throw CliError.failure("replay is not implemented yet");
    }
}
