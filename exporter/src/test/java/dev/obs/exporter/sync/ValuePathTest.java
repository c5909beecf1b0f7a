package dev.obs.exporter.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValuePathTest {
    /** A getter, an is-getter, a record-style accessor, a private field and a collection. */
    static final class Batch {
        private final String model = "notes";
        private final List<String> entries = List.of("a", "b", "c");
        private final boolean urgent = true;
        private final String origin = "device-a";

        public String getModel() {
            return model;
        }

        public boolean isUrgent() {
            return urgent;
        }

        public String origin() {
            return origin;
        }
    }

    private static Object eval(String template, Object self, Object[] args, Object returned) {
        return new ValuePath(Template.parse(template)).evaluate(self, args, returned);
    }

    @Test
    void gettersFieldsAccessorsAndSizesResolve() {
        Object[] args = {new Batch()};
        assertEquals("notes", eval("{{arg0.model}}", null, args, null));
        assertEquals(true, eval("{{arg0.urgent}}", null, args, null));
        assertEquals("device-a", eval("{{arg0.origin}}", null, args, null));
        assertEquals(3, eval("{{arg0.entries.size}}", null, args, null));
        assertEquals(5, eval("{{return.length}}", null, args, "hello"));
        assertEquals(2, eval("{{return.length}}", null, args, new int[2]));
        assertEquals("v", eval("{{arg0.k}}", null, new Object[] {Map.of("k", "v")}, null));
    }

    @Test
    void aFailureSaysWhy() {
        Object[] args = {new Batch()};
        Object missing = eval("{{arg0.nope}}", null, args, null);
        assertInstanceOf(ValuePath.Failure.class, missing);
        assertTrue(((ValuePath.Failure) missing).why.contains("has no readable getter, field or key 'nope'"));
        assertEquals("the method has no argument 3",
                ((ValuePath.Failure) eval("{{arg3}}", null, args, null)).why);
        assertEquals("return is null", ((ValuePath.Failure) eval("{{return.x}}", null, args, null)).why);
        assertEquals("arg0.k is null", ((ValuePath.Failure) eval("{{arg0.k}}", null,
                new Object[] {Map.of("j", "v")}, null)).why);
    }

    @Test
    void theSamePathFollowsTheClassOfTheValue() {
        ValuePath p = new ValuePath(Template.parse("{{arg0.size}}"));
        assertEquals(3, p.evaluate(null, new Object[] {List.of(1, 2, 3)}, null));
        assertEquals(1, p.evaluate(null, new Object[] {new java.util.ArrayList<>(List.of(1))}, null));
        assertEquals(2, p.evaluate(null, new Object[] {Map.of(1, 1, 2, 2)}, null));
    }
}
