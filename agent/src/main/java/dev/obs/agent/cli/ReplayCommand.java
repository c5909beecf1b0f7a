package dev.obs.agent.cli;

import dev.obs.exporter.store.OtlpJsonReader;
import dev.obs.exporter.store.OtlpReplay;
import dev.obs.exporter.store.StoreFile;
import dev.obs.exporter.store.StoreReader;
import dev.obs.exporter.store.TimeWindow;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code obs replay}: sends stored records to an OTLP endpoint, with counts and a progress bar. */
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
        OtlpReplay.Transport transport = switch (protocol) {
            case "http/protobuf" -> OtlpReplay.Transport.HTTP_PROTOBUF;
            case "grpc" -> OtlpReplay.Transport.GRPC;
            default -> throw CliError.usage("--protocol '" + protocol + "' is not http/protobuf or grpc");
        };
        try {
            URI uri = URI.create(endpoint);
            if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw CliError.usage("--endpoint '" + endpoint + "' is not an http(s) URL, e.g. http://localhost:4318");
        }
        StoreReader reader = store.open();
        TimeWindow tw = window.window(Instant.now());
        long total = reader.files().stream().filter(f -> f.lastModifiedMillis() >= tw.sinceNanos() / 1_000_000)
                .mapToLong(StoreFile::size).sum();
        Progress progress = new Progress(total, System.console() != null);
        long[] requests = new long[2];
        long[] spans = {0};
        long[] bytes = {0};
        try (OtlpReplay replay = new OtlpReplay(endpoint, transport)) {
            for (String signal : new String[] {"traces", "metrics"}) {
                int i = signal.equals("traces") ? 0 : 1;
                reader.forEachLine(signal, tw, (buf, off, len) -> {
                    try {
                        replay.send(signal, buf, off, len);
                    } catch (IOException e) {
                        progress.clear();
                        throw CliError.failure("replay to " + endpoint + " failed after " + requests[0] + " trace and "
                                + requests[1] + " metric requests: " + e.getMessage());
                    }
                    requests[i]++;
                    if (i == 0) {
                        OtlpJsonReader.readSpans(buf, off, len, s -> spans[0]++);
                    }
                    bytes[0] += len + 1;
                    progress.update(bytes[0]);
                });
            }
        }
        progress.clear();
        System.out.println("replayed to " + endpoint + " (" + protocol + "): " + spans[0] + " spans in " + requests[0]
                + " requests, " + requests[1] + " metric requests");
        if (reader.notes().damagedNote() != null) {
            System.err.println(reader.notes().damagedNote());
        }
        return 0;
    }

    /** A one-line bar on stderr for replays of more than a few MiB, only on a terminal. */
    private static final class Progress {
        private final long total;
        private final boolean show;
        private int shown = -1;

        Progress(long total, boolean terminal) {
            this.total = Math.max(1, total);
            this.show = terminal && total > 4 << 20;
        }

        void update(long done) {
            if (!show) {
                return;
            }
            int percent = (int) Math.min(100, done * 100 / total);
            if (percent != shown) {
                shown = percent;
                int filled = percent * 30 / 100;
                System.err.print("\r[" + "#".repeat(filled) + " ".repeat(30 - filled) + "] " + percent + "% ");
                System.err.flush();
            }
        }

        void clear() {
            if (show && shown >= 0) {
                System.err.print("\r" + " ".repeat(40) + "\r");
                System.err.flush();
            }
        }
    }
}
