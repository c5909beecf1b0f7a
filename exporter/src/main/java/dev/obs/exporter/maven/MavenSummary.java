package dev.obs.exporter.maven;

import dev.obs.exporter.MetricSource;
import dev.obs.exporter.SummaryText;
import dev.obs.exporter.maven.DependencyStatistics.ArtifactResult;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.List;

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
        StringBuilder b = new StringBuilder();
        SummaryText t = SummaryText.root(b);
        t.text("maven: ").number(builds).text(builds == 1 ? " build, " : " builds, ").fixed(buildNanos / 1e9, 2)
                .text(" s; dependency resolution ").fixed(resolutionNanos / 1e9, 2).text(" s (")
                .fixed(buildNanos > 0 ? 100.0 * resolutionNanos / buildNanos : 0.0, 0).text(" %), the rest ")
                .fixed(Math.max(0, buildNanos - resolutionNanos) / 1e9, 2).text(" s").newline();
        t.text("    ").left("repository", 24).text(" ").right("local", 8).text(" ").right("downloaded", 10).text(" ")
                .right("not found", 9).text(" ").right("failed", 6).text(" ").right("hit rate", 8).text(" ")
                .right("bytes", 12).text(" ").right("transfers", 10).text(" ").right("time s", 10).newline();
        for (String repository : repositories) {
            long local = DependencyStatistics.artifacts(ArtifactResult.LOCAL, repository);
            long downloaded = DependencyStatistics.artifacts(ArtifactResult.DOWNLOADED, repository);
            long notFound = DependencyStatistics.artifacts(ArtifactResult.NOT_FOUND, repository);
            long failed = DependencyStatistics.artifacts(ArtifactResult.FAILED, repository);
            long lookups = downloaded + notFound + failed;
            long[] transfers = DependencyStatistics.transfers(repository);
            t.text("    ").left(repository, 24).text(" ").right(local, 8).text(" ").right(downloaded, 10).text(" ")
                    .right(notFound, 9).text(" ").right(failed, 6).text(" ")
                    .right(lookups == 0 ? "-" : Math.round(100.0 * downloaded / lookups) + " %", 8).text(" ")
                    .right(DependencyStatistics.bytes(repository), 12).text(" ").right(transfers[0], 10).text(" ")
                    .right(transfers[1] / 1e9, 2, 10).newline();
        }
        List<DependencyStatistics.SlowTransfer> slowest = DependencyStatistics.slowest();
        if (!slowest.isEmpty()) {
            t.text("    slowest transfers:").newline();
            for (DependencyStatistics.SlowTransfer s : slowest) {
                t.text("      ").right(s.nanos() / 1e9, 3, 8).text(" s ").right(s.bytes(), 10).text(" B  ")
                        .text(s.repository()).text(" ").text(s.resource()).newline();
            }
        }
        String nl = System.lineSeparator();
        // the pipeline adds the line separator of the last line
        return b.substring(0, b.length() - nl.length());
    }
}
