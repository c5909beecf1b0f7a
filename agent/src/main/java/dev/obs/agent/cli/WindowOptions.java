package dev.obs.agent.cli;

import dev.obs.exporter.store.TimeWindow;
import java.time.Instant;
import java.time.ZoneId;
import picocli.CommandLine.Option;

/** {@code --since} and {@code --until}: relative (30m, 2h, 1d) or local date-times. */
final class WindowOptions {
    @Option(names = "--since", paramLabel = "TIME",
            description = "Start of the window: 30m, 2h, 1d, 2025-10-23T10:00 or \"2025-10-23 10:00:00\" (default: all)")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "End of the window, same forms (default: now)")
    String until;

    TimeWindow window(Instant now) {
        try {
            return TimeWindow.parse(since, until, now, ZoneId.systemDefault());
        } catch (IllegalArgumentException e) {
            throw CliError.usage(e.getMessage());
        }
    }
}
