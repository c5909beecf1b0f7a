package dev.obs.it;

import com.acme.AccountingApp;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpHttpReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing is lost silently, whatever the collector does: for spans and for metric values, what the
 * application produced (known here from its arguments, not from obs) equals what obs exported plus what
 * it dropped, by reason, exactly; in the exit summary, and with a healthy collector in the last metrics it
 * exported too.
 */
class ExportAccountingTest {
    private static final int SYNCS = 400;
    private static final long SPANS = 2L * SYNCS;
    private static final long PROCESSES = 3;
    /** Metric values: one duration per span (the metric path of every span) and one add per process start. */
    private static final long VALUES = SPANS + PROCESSES;
    /** Longer than the whole shutdown: the collector accepts the connections and never answers in time. */
    private static final Duration NEVER_IN_TIME = Duration.ofSeconds(30);
    private static final Pattern SUMMARY = Pattern.compile("obs summary: (\\d+) spans: (\\d+) exported, (\\d+) dropped"
            + " spans \\(shed (\\d+) in (\\d+) traces, queue_full (\\d+), backlog (\\d+), export_failed (\\d+),"
            + " shutdown (\\d+)\\); (\\d+) metric values: (\\d+) exported, (\\d+) dropped values \\("
            + "export_failed (\\d+), shutdown (\\d+)\\)");

    @RegisterExtension
    static final OtlpHttpReceiver receiver = new OtlpHttpReceiver();

    @AfterEach
    void collectorBackToNormal() {
        receiver.behaveNormally();
        receiver.stop();
        receiver.restart();
        receiver.clear();
    }

    @Test
    void healthyCollectorGetsEverythingAndItsLastMetricsAccountForIt() {
        JvmResult run = app().run();
        Summary s = Summary.of(run);
        s.assertIdentities();

        Map<String, String> spans = Map.of("signal", "spans");
        long received = receiver.spans().size();
        double exported = receiver.latestValue("obs.records.exported", spans);
        double dropped = receiver.latestValue("obs.records.dropped", spans);
        double started = receiver.latestValue("obs.process.started", Map.of("process.executable.name", "true"));
        String account = "received " + received + "\n" + receiver.describeSeries("obs.records.exported") + "\n"
                + receiver.describeSeries("obs.records.dropped") + run.describe();
        assertAll(account,
                () -> assertEquals(SPANS, s.spansExported, "a healthy collector is sent every span"),
                () -> assertEquals(SPANS, received, "and receives every one"),
                () -> assertEquals(SPANS, exported + dropped, "last metrics: produced = exported + dropped"),
                () -> assertEquals(SPANS, exported, "last metrics: every span exported"),
                () -> assertEquals(PROCESSES, started, "last metrics: every process start (the metric path never drops)"),
                () -> assertEquals(VALUES, s.valuesExported, "summary: every value exported"));
    }

    @Test
    void collectorThatNeverAnswersInTimeLeavesEverySpanCountedAsDroppedAtShutdown() {
        receiver.delay(NEVER_IN_TIME);
        JvmResult run = app().run();
        Summary s = Summary.of(run);
        s.assertIdentities();
        assertAll(run.describe(),
                () -> assertEquals(0, s.spansExported, "no export was answered"),
                () -> assertEquals(SPANS, s.spansShutdown + s.spansExportFailed, "unanswered spans are dropped"),
                () -> assertTrue(s.spansShutdown > 0, "spans still unanswered at the deadline: shutdown"),
                () -> assertEquals(0, s.valuesExported, "no metric export was answered"),
                () -> assertEquals(VALUES, s.valuesShutdown, "values of the unanswered last export: shutdown"));
    }

    @Test
    void collectorThatIsDownLeavesEverythingCountedAsDropped() {
        receiver.stop();
        JvmResult run = app().run();
        Summary s = Summary.of(run);
        s.assertIdentities();
        assertAll(run.describe(),
                () -> assertEquals(0, s.spansExported, "nothing can be exported"),
                // refused batches are export_failed; what was not tried once the collector refused is shutdown
                () -> assertEquals(SPANS, s.spansShutdown + s.spansExportFailed, "every span dropped"),
                () -> assertEquals(0, s.valuesExported, "no metric export succeeded"),
                () -> assertEquals(VALUES, s.valuesExportFailed, "values of the failed last export: export_failed"));
    }

    private static AgentJvm app() {
        return ObsRuns.exportingTo(AccountingApp.class, receiver.endpoint())
                // only the app's own method spans: no slow-file-operation spans
                .property("obs.instrumentation.fs.enabled", "false")
                .args("--syncs=" + SYNCS, "--processes=" + PROCESSES);
    }

    /** The counts of the exit summary's first line. */
    private static final class Summary {
        final JvmResult run;
        long spans;
        long spansExported;
        long spansDropped;
        long spansShed;
        long spansQueueFull;
        long spansBacklog;
        long spansExportFailed;
        long spansShutdown;
        long values;
        long valuesExported;
        long valuesDropped;
        long valuesExportFailed;
        long valuesShutdown;

        private Summary(JvmResult run) {
            this.run = run;
        }

        static Summary of(JvmResult run) {
            assertEquals(0, run.exitCode(), run.describe());
            assertTrue(run.stdout().contains("done "), run.describe());
            Matcher m = SUMMARY.matcher(run.stderr());
            assertTrue(m.find(), "no summary line with the drop reasons" + run.describe());
            Summary s = new Summary(run);
            s.spans = Long.parseLong(m.group(1));
            s.spansExported = Long.parseLong(m.group(2));
            s.spansDropped = Long.parseLong(m.group(3));
            s.spansShed = Long.parseLong(m.group(4));
            s.spansQueueFull = Long.parseLong(m.group(6));
            s.spansBacklog = Long.parseLong(m.group(7));
            s.spansExportFailed = Long.parseLong(m.group(8));
            s.spansShutdown = Long.parseLong(m.group(9));
            s.values = Long.parseLong(m.group(10));
            s.valuesExported = Long.parseLong(m.group(11));
            s.valuesDropped = Long.parseLong(m.group(12));
            s.valuesExportFailed = Long.parseLong(m.group(13));
            s.valuesShutdown = Long.parseLong(m.group(14));
            return s;
        }

        void assertIdentities() {
            assertAll("summary" + run.describe(),
                    () -> assertEquals(SPANS, spans, "spans produced"),
                    () -> assertEquals(spans, spansExported + spansDropped, "spans = exported + dropped"),
                    () -> assertEquals(spansDropped, spansShed + spansQueueFull + spansBacklog + spansExportFailed
                            + spansShutdown, "dropped spans = the sum of the reasons"),
                    () -> assertEquals(VALUES, values, "metric values produced"),
                    () -> assertEquals(values, valuesExported + valuesDropped, "values = exported + dropped"),
                    () -> assertEquals(valuesDropped, valuesExportFailed + valuesShutdown,
                            "dropped values = the sum of the reasons"));
        }
    }
}
