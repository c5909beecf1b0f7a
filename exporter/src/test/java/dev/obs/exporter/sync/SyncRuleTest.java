package dev.obs.exporter.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyncRuleTest {
    private static Map<String, Object> rule(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void aRuleOfTheContractParsesWithItsTemplates() {
        SyncRule r = SyncRule.of(1, rule("class", "com.acme.sync.PeerLink", "method", "sendBatch", "kind", "broadcast",
                "peer", "{{this.peerId}}", "records", "{{arg0.entries.size}}", "bytes", "{{return}}"));
        assertEquals("sync[1] com.acme.sync.PeerLink.sendBatch", r.name);
        assertNull(r.parameterTypes);
        assertEquals(Template.Root.THIS, r.values.get("peer").root);
        assertEquals(List.of("entries", "size"), r.values.get("records").path);
        assertEquals(0, r.values.get("records").argument);
        assertEquals(Template.Root.RETURN, r.values.get("bytes").root);
    }

    @Test
    void aSignatureMatchesBinaryOrSimpleParameterNames() {
        SyncRule r = SyncRule.of(0, rule("class", "com.acme.A$B", "method", "apply(com.acme.Change, int)",
                "kind", "apply"));
        assertEquals(List.of("com.acme.Change", "int"), r.parameterTypes);
        assertTrue(r.parametersMatch(List.of("com.acme.Change", "int")));
        assertEquals(false, r.parametersMatch(List.of("com.acme.Change", "long")));
        SyncRule simple = SyncRule.of(0, rule("class", "com.acme.A", "method", "apply(Change)", "kind", "apply"));
        assertTrue(simple.parametersMatch(List.of("com.acme.Outer$Change")));
    }

    @Test
    void aConstantIsItsText() {
        Template t = Template.parse("1");
        assertEquals(Template.Root.CONSTANT, t.root);
        assertEquals("1", t.constant);
    }

    @Test
    void badRulesSayWhatIsWrong() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SyncRule.of(0, rule("class", "com.acme.A",
                "method", "m", "kind", "state"))).getMessage().contains("kind state needs 'state'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SyncRule.of(0, rule("class", "com.acme.A",
                "method", "m", "kind", "apply", "peer", "{{arg0..x}}"))).getMessage().contains("is not a template"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SyncRule.of(0, rule("class", "com.acme.A",
                "method", "m", "kind", "apply", "peer", "{{self.x}}"))).getMessage()
                .contains("'self' is not argN, return or this"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SyncRule.of(2, rule("method", "m",
                "kind", "apply"))).getMessage().contains("sync[2] has no 'class'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SyncRule.of(0, "text")).getMessage()
                .contains("is not a mapping"));
    }

    @Test
    void anUnknownKindIsACustomOperation() {
        assertEquals("compaction", SyncRule.of(0, rule("class", "a.B", "method", "m", "kind", "Compaction")).kind);
    }
}
