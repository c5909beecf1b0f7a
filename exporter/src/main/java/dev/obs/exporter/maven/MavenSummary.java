package dev.obs.exporter.maven;

import dev.obs.exporter.MetricSource;
import dev.obs.exporter.maven.DependencyStatistics.ArtifactResult;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.List;
import java.util.Locale;

/**
 * The Maven section of the exit summary: time in dependency resolution against the whole build, per
 * repository what was found, missed and moved, and the slowest transfers. Its metrics are exact series the
 * pipeline exports with all others, so this source collects none itself.
 */
public final class MavenSummary implements MetricSource {
    @Override
    public void start() {
    }

    @Override
    public List<MetricData> collect(Resource resource, InstrumentationScopeInfo scope, long startEpochNanos,
                                    long nowEpochNanos) {
        return List.of();
    }

    @Override
    public String summary() {
        List<String> repositories = DependencyStatistics.repositories();
        if (DependencyStatistics.builds() == 0 && repositories.isEmpty()) {
            return null;
        }
        return render(DependencyStatistics.builds(), DependencyStatistics.buildNanos(),
                DependencyStatistics.resolutionNanos(), repositories);
    }

    static String render(long builds, long buildNanos, long resolutionNanos, List<String> repositories) {
        String nl = System.lineSeparator();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "maven: %d build%s, %.2f s; dependency resolution %.2f s (%.0f %%),"
                        + " the rest %.2f s", builds, builds == 1 ? "" : "s", buildNanos / 1e9, resolutionNanos / 1e9,
                buildNanos > 0 ? 100.0 * resolutionNanos / buildNanos : 0.0,
                Math.max(0, buildNanos - resolutionNanos) / 1e9)).append(nl);
        b.append(String.format(Locale.ROOT, "    %-24s %8s %10s %9s %6s %8s %12s %10s %10s", "repository", "local",
                "downloaded", "not found", "failed", "hit rate", "bytes", "transfers", "time s")).append(nl);
        for (String repository : repositories) {
            long local = DependencyStatistics.artifacts(ArtifactResult.LOCAL, repository);
            long downloaded = DependencyStatistics.artifacts(ArtifactResult.DOWNLOADED, repository);
            long notFound = DependencyStatistics.artifacts(ArtifactResult.NOT_FOUND, repository);
            long failed = DependencyStatistics.artifacts(ArtifactResult.FAILED, repository);
            long lookups = downloaded + notFound + failed;
            long[] transfers = DependencyStatistics.transfers(repository);
            b.append(String.format(Locale.ROOT, "    %-24s %8d %10d %9d %6d %8s %12d %10d %10.2f", repository, local,
                    downloaded, notFound, failed, lookups == 0 ? "-" : Math.round(100.0 * downloaded / lookups) + " %",
                    DependencyStatistics.bytes(repository), transfers[0], transfers[1] / 1e9)).append(nl);
        }
        List<DependencyStatistics.SlowTransfer> slowest = DependencyStatistics.slowest();
        if (!slowest.isEmpty()) {
            b.append("    slowest transfers:").append(nl);
            for (DependencyStatistics.SlowTransfer t : slowest) {
                b.append(String.format(Locale.ROOT, "      %8.3f s %10d B  %s %s", t.nanos() / 1e9, t.bytes(),
                        t.repository(), t.resource())).append(nl);
            }
        }
        // the pipeline adds the line separator of the last line
        return b.substring(0, b.length() - nl.length());
    }
}
