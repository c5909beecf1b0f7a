package dev.obs.agent.cli;

import picocli.CommandLine.Option;

/** {@code --color auto|always|never}. */
final class ColorOption {
    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
            description = "Colour: auto (a terminal without NO_COLOR), always, never (default: ${DEFAULT-VALUE})")
    Terminal.ColorMode color = Terminal.ColorMode.auto;

    Terminal terminal() {
        return Terminal.detect(color);
    }
}
