package dev.obs.exporter.otel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TraceStatesTest {
    @AfterEach
    void forget() {
        TraceStates.clear();
    }

    @Test
    void membersKeepTheirOrderInTheW3cForm() {
        TraceStates.Formatter f = new TraceStates.Formatter();
        f.accept("vendor", "abc");
        f.accept("rojo", "00f067aa0ba902b7");
        f.accept("acme@tenant", "x y");
        assertEquals("vendor=abc,rojo=00f067aa0ba902b7,acme@tenant=x y", f.header());
    }

    @Test
    void membersThatAreNotW3cAreLeftOut() {
        TraceStates.Formatter f = new TraceStates.Formatter();
        f.accept("Upper", "a");
        f.accept("ok", "line\nbreak");
        f.accept("ok", "a,b");
        f.accept("ok", "a=b");
        f.accept("ok", "trailing ");
        f.accept("", "a");
        f.accept("kept", "1"); // positive control, same formatter
        assertEquals("kept=1", f.header());
    }

    @Test
    void nothingValidIsNoHeader() {
        TraceStates.Formatter f = new TraceStates.Formatter();
        f.accept("Upper", "a");
        assertNull(f.header());
    }

    @Test
    void atMost32MembersAreKept() {
        TraceStates.Formatter f = new TraceStates.Formatter();
        for (int i = 0; i < 40; i++) {
            f.accept("k" + i, "v");
        }
        String header = f.header();
        assertEquals(32, header.split(",").length, header);
        assertTrue(header.startsWith("k0=v,") && header.endsWith(",k31=v"), header);
    }

    @Test
    void over512CharsLongMembersGoFirstThenMembersFromTheEnd() {
        TraceStates.Formatter f = new TraceStates.Formatter();
        String v100 = "a".repeat(100);
        f.accept("long", "b".repeat(200));
        for (int i = 0; i < 6; i++) {
            f.accept("m" + i, v100); // 103 chars each: with the long member the header is 828 chars
        }
        String header = f.header();
        assertFalse(header.contains("long="), header);
        // 6 short members are 623 chars; dropping m5 then leaves 519, m4 too leaves 415
        assertEquals("m0=" + v100 + ",m1=" + v100 + ",m2=" + v100 + ",m3=" + v100, header);
        assertTrue(header.length() <= TraceStates.MAX_CHARS, header);
    }

    @Test
    void aRememberedTraceStateIsFoundForItsTraceOnly() {
        Object source = new Object();
        TraceStates.remember(7L, 9L, source, "vendor=abc");
        assertEquals("vendor=abc", TraceStates.lookup(7L, 9L));
        assertNull(TraceStates.lookup(8L, 9L));
        assertTrue(TraceStates.known(7L, 9L, source));
        assertFalse(TraceStates.known(7L, 9L, new Object()));
    }

    @Test
    void aLaterTraceInTheSameSlotEvictsTheEarlierOne() {
        TraceStates.remember(1L, 5L, new Object(), "first=1");
        TraceStates.remember(2L, 5L + TraceStates.SLOTS, new Object(), "second=2");
        assertNull(TraceStates.lookup(1L, 5L));
        assertEquals("second=2", TraceStates.lookup(2L, 5L + TraceStates.SLOTS));
    }
}
