package dev.obs.exporter.http;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The live endpoints' configuration, parsed by the agent.
 *
 * @param host          address to bind ({@code 127.0.0.1} unless told otherwise)
 * @param port          port to bind; 0 picks a free one
 * @param failureWindow how long a destination may fail before the agent reports not ready
 * @param version       obs's version, for {@code /info}
 * @param families      instrumentation families woven, for {@code /info} and {@code /health}
 * @param configuration every option with its effective value, secrets already masked, for {@code /info}
 */
public record LiveSettings(String host, int port, Duration failureWindow, String version, List<String> families,
                           Map<String, String> configuration) {
}
