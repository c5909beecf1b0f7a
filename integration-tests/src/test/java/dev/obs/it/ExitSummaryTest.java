package dev.obs.it;

import com.acme.MethodsApp;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpHttpReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static dev.obs.it.ObsRuns.ARRIVAL;
import static dev.obs.it.ObsRuns.METHODS_APP_SPAN_TOTAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-operation summary printed to stderr at exit. */
class ExitSummaryTest {
    @RegisterExtension
    static final OtlpHttpReceiver receiver = new OtlpHttpReceiver();

    @Test
    void summaryListsEachOperationWithItsCountAndPercentiles() {
        // 13 top-level syncs + 2 from Job.step: 15 is a count no other operation has.
        JvmResult run = ObsRuns.exportingTo(MethodsApp.class, receiver.endpoint()).args("--sync=13").run();
        assertEquals(0, run.exitCode(), run.describe());

        List<String> lines = run.stderrLines();
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("obs summary:")) {
                start = i;
                break;
            }
        }
        assertTrue(start >= 0, "no line starting with 'obs summary:'" + run.describe());
        List<String> summary = lines.subList(start, lines.size());
        String text = String.join("\n", summary);
        for (String percentile : List.of("p50", "p95", "p99")) {
            assertTrue(text.contains(percentile), percentile + " missing from the summary" + run.describe());
        }
        assertOperationLine(summary, "Repo.sync", 15, run);
        assertOperationLine(summary, "Repo.push", 16, run);
        assertOperationLine(summary, "Job.step", 2, run);
        assertFalse(text.contains("Repo.status"), "untraced method in the summary" + run.describe());
    }

    @Test
    void summaryCanBeSwitchedOff() {
        try (OtlpHttpReceiver ownReceiver = new OtlpHttpReceiver()) {
            JvmResult run = ObsRuns.exportingTo(MethodsApp.class, ownReceiver.endpoint())
                    .property("obs.summary", "false")
                    .args("--sync=3")
                    .run();
            assertEquals(0, run.exitCode(), run.describe());
            assertFalse(run.stderr().contains("obs summary"), run.describe());
            assertFalse(run.stderr().contains("Repo.sync"), run.describe());
            // The positive control: the agent of this run recorded and exported all along; only the summary is off.
            assertEquals(METHODS_APP_SPAN_TOTAL, ownReceiver.awaitSpans(METHODS_APP_SPAN_TOTAL, ARRIVAL).size(),
                    ownReceiver.describe());
        }
    }

    private static void assertOperationLine(List<String> summary, String operation, int count, JvmResult run) {
        Pattern countToken = Pattern.compile("(?<![\\w.])" + count + "(?![\\w.])");
        List<String> matching = summary.stream().filter(l -> l.contains(operation)).collect(Collectors.toList());
        assertEquals(1, matching.size(), "one summary line for " + operation + run.describe());
        assertTrue(countToken.matcher(matching.get(0).replace(operation, "")).find(),
                operation + " should show count " + count + ": '" + matching.get(0) + "'");
    }
}
