package dev.obs.it;

import com.acme.sync.SyncRulesApp;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpHttpReceiver;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code sync/bad-rules.yaml}: a rule with an unparseable template and one with an unknown key are each one
 * warning and left out; a rule whose template names no member still counts its operations, and its failures
 * are counted and warned about once; a rule of a class never loaded is one warning at exit; the good rule
 * beside them works (the positive control).
 */
class SyncRulesTest {
    private static final String FAILING_RULE = "sync[2] com.acme.sync.Applier.apply";

    @RegisterExtension
    static final OtlpHttpReceiver receiver = new OtlpHttpReceiver();
    private static JvmResult run;

    @BeforeAll
    static void runWithBadRules() {
        run = AgentJvm.withAgent(SyncRulesApp.class)
                .property("obs.config.file", AgentJvm.testClasses().resolve("sync/bad-rules.yaml").toString())
                .property("otel.metric.export.interval", "1s")
                .property("obs.fs.slow.threshold", "1d")
                .property("otel.exporter.otlp.endpoint", receiver.endpoint())
                .run();
        assertEquals(0, run.exitCode(), run.describe());
    }

    private static List<String> warnings(String containing) {
        return run.stderrLines().stream().filter(l -> l.startsWith("obs: warning") && l.contains(containing)).toList();
    }

    @Test
    void programRunsAsWritten() {
        assertEquals(List.of("true", "false", "true", "OFFLINE->SYNCING(start) SYNCING->IDLE(done)"),
                run.stdoutLines(), run.describe());
    }

    @Test
    void unparseableTemplateIsOneWarningNamingRuleAndTemplate() {
        List<String> w = warnings("sync[0] com.acme.sync.SyncState.transition");
        assertEquals(1, w.size(), run.describe());
        assertTrue(w.get(0).contains("reason: '{{arg1.}}' is not a template"), w.get(0));
        assertTrue(w.get(0).contains("this rule is left out"), w.get(0));
    }

    @Test
    void unknownKeyIsOneWarning() {
        List<String> w = warnings("sync[3] com.acme.sync.Outbox.enqueue");
        assertEquals(1, w.size(), run.describe());
        assertTrue(w.get(0).contains("unknown key 'queues'"), w.get(0));
    }

    @Test
    void ruleOfAClassNeverLoadedIsOneWarningAtExit() {
        List<String> w = warnings("sync[4] com.acme.sync.NoSuchClass.run");
        assertEquals(1, w.size(), run.describe());
        assertTrue(w.get(0).contains("class com.acme.sync.NoSuchClass was never loaded"), w.get(0));
        // the positive control: the rules of loaded classes get no such warning
        assertEquals(List.of(), warnings("was never loaded").stream().filter(l -> !l.contains("NoSuchClass")).toList());
    }

    @Test
    void goodRuleBesideBadOnesRecordsEachTransitionOnce() {
        assertEquals(1, receiver.latestValue("sync.state.transitions",
                Map.of("from", "unknown", "to", "SYNCING", "reason", "start")));
        assertEquals(1, receiver.latestValue("sync.state.transitions",
                Map.of("from", "SYNCING", "to", "IDLE", "reason", "done")));
        assertEquals(2, receiver.seriesAttributes("sync.state.transitions").size());
    }

    @Test
    void twoRulesOnOneMethodRecordEachCallOnceEach() {
        // sync[1] (state) and sync[5] (a custom operation) both declare SyncState.transition, called twice
        assertEquals(2, receiver.latestValue("sync.operations",
                Map.of("operation", "audit", "outcome", "success", "peer", "", "model", "")));
        assertEquals(2, receiver.seriesAttributes("sync.state.transitions").size());
    }

    @Test
    void failingTemplateIsCountedPerCallAndWarnedOnce() {
        List<String> w = warnings("template {{arg0.nope}}");
        assertEquals(1, w.size(), run.describe());
        assertTrue(w.get(0).contains("'" + FAILING_RULE + "'"), w.get(0));
        assertTrue(w.get(0).contains("com.acme.sync.Change has no readable getter, field or key 'nope'"), w.get(0));
        assertEquals(3, receiver.latestValue("obs.sync.template.failures", Map.of("rule", FAILING_RULE)));
    }

    @Test
    void operationsOfTheRuleWithAFailingTemplateAreStillCounted() {
        assertEquals(2, receiver.latestValue("sync.operations",
                Map.of("operation", "apply", "outcome", "success", "peer", "device-a", "model", "")));
        assertEquals(1, receiver.latestValue("sync.operations",
                Map.of("operation", "apply", "outcome", "rejected", "peer", "device-a", "model", "")));
    }
}
