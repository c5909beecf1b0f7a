package dev.obs.exporter;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;

/**
 * Git metrics, derived on the exporter thread from the spans of both Git paths (JGit commands and the git
 * command line), so a Grafana panel can plot operations, latency, transfer and conflicts without a time
 * series per repository.
 */
final class GitMetrics {
    static final String DURATION = "git.operation.duration";
    static final String TRANSFER = "git.transfer.bytes";
    static final String CONFLICTS = "git.conflicts";
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("git.operation");
    static final AttributeKey<String> CLIENT = AttributeKey.stringKey("git.client");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("git.outcome");
    static final AttributeKey<String> DIRECTION = AttributeKey.stringKey("network.io.direction");
    private static final AttributeKey<String> EXECUTABLE = AttributeKey.stringKey("process.executable.name");
    private static final AttributeKey<Long> CONFLICT_COUNT = AttributeKey.longKey("git.conflicts.count");
    private static final AttributeKey<Long> BYTES_RECEIVED = AttributeKey.longKey("git.transfer.bytes.received");
    private static final AttributeKey<Long> BYTES_SENT = AttributeKey.longKey("git.transfer.bytes.sent");

    private GitMetrics() {
    }

    /** True for spans the Git metrics describe: {@code git} and {@code git <operation>}. */
    static boolean isGitSpan(String name) {
        return name != null && (name.equals("git") || name.startsWith("git "));
    }

    /** Records one finished Git span's duration, conflicts and bytes moved. */
    static void record(MetricsAggregator aggregator, String name, Attributes span, long durationNanos,
                       boolean error) {
        String operation = name.length() > 4 ? name.substring(4) : "";
        String client = span.get(EXECUTABLE) != null ? "cli" : "jgit";
        String outcome = span.get(OUTCOME);
        if (outcome == null) {
            outcome = error ? "error" : "success";
        }
        Attributes byOperation = Attributes.of(OPERATION, operation, CLIENT, client, OUTCOME, outcome);
        aggregator.recordSpan(DURATION, "Duration of Git operations (JGit commands and git runs)", byOperation,
                name, durationNanos, error);
        Long conflicts = span.get(CONFLICT_COUNT);
        if (conflicts != null && conflicts > 0) {
            aggregator.addToSpanCounter(CONFLICTS, "{path}", "Conflicting paths left by merge, pull or rebase",
                    Attributes.of(OPERATION, operation, CLIENT, client), conflicts);
        }
        Long received = span.get(BYTES_RECEIVED);
        if (received != null && received > 0) {
            aggregator.addToSpanCounter(TRANSFER, "By", "Bytes moved by Git transports",
                    Attributes.of(DIRECTION, "receive", CLIENT, client), received);
        }
        Long sent = span.get(BYTES_SENT);
        if (sent != null && sent > 0) {
            aggregator.addToSpanCounter(TRANSFER, "By", "Bytes moved by Git transports",
                    Attributes.of(DIRECTION, "transmit", CLIENT, client), sent);
        }
    }
}
