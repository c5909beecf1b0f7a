package dev.obs.exporter.otel;

import dev.obs.bootstrap.ObsSpan;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BiConsumer;

/**
 * The W3C {@code tracestate} of traces obs joined from an OpenTelemetry parent, kept beside the spans (not in
 * {@link dev.obs.bootstrap.ObsSpan}, whose size the span path's allocation depends on) and read only when
 * obs propagates: a traced subprocess's start, a JGit or docker-java HTTP request.
 *
 * <p>Design: a direct-mapped table of {@link #SLOTS} slots indexed by the trace id's bits. Remembering
 * overwrites the slot (a trace whose slot another trace took since propagates without tracestate, as
 * before); a lookup is one volatile read and an id comparison. No locks, no Thread keys, bounded memory: at
 * most {@link #SLOTS} entries of at most {@link #MAX_CHARS} chars. The same parent's TraceState object (the
 * SDK hands it on to child spans unchanged) is recognised by identity, so only the first obs root span under
 * it formats the header value; with an empty TraceState nothing is done at all.
 *
 * <p>Memory ordering: an {@link Entry} is immutable (final fields), published by the slot's volatile write
 * ({@link AtomicReferenceArray#set}) and read by its volatile read; racing writers to one slot leave one of
 * their entries, each complete.
 */
public final class TraceStates {
    static final int SLOTS = 256;
    /** W3C Trace Context: at most 32 list members. */
    static final int MAX_MEMBERS = 32;
    /** W3C Trace Context: vendors propagate at least 512 characters; obs keeps at most that. */
    static final int MAX_CHARS = 512;
    /** W3C Trace Context: when truncating, members longer than this go first. */
    static final int LONG_MEMBER = 128;

    private static final AtomicReferenceArray<Entry> TABLE = new AtomicReferenceArray<>(SLOTS);

    private TraceStates() {
    }

    /**
     * The {@code tracestate} kept for the trace, or null when none was (no OpenTelemetry parent, an empty
     * TraceState, or the slot was taken by a later trace).
     */
    public static String lookup(long traceIdHigh, long traceIdLow) {
        Entry e = TABLE.get(slot(traceIdLow));
        return e != null && e.traceIdLow == traceIdLow && e.traceIdHigh == traceIdHigh ? e.header : null;
    }

    /** Whether {@code traceState} (the program's TraceState object) is what is kept for the trace already. */
    static boolean known(long traceIdHigh, long traceIdLow, Object traceState) {
        Entry e = TABLE.get(slot(traceIdLow));
        return e != null && e.source == traceState && e.traceIdLow == traceIdLow && e.traceIdHigh == traceIdHigh;
    }

    /** Keeps {@code header} (null or empty: nothing to propagate) for the trace, from {@code traceState}. */
    static void remember(long traceIdHigh, long traceIdLow, Object traceState, String header) {
        TABLE.set(slot(traceIdLow), new Entry(traceIdHigh, traceIdLow, traceState,
                header == null || header.isEmpty() ? null : header));
    }

    /** For tests: forgets every trace. */
    static void clear() {
        for (int i = 0; i < SLOTS; i++) {
            TABLE.set(i, null);
        }
    }

    private static int slot(long traceIdLow) {
        // trace ids are random (W3C requires the right part to be): their low bits spread well
        return (int) (traceIdLow ^ (traceIdLow >>> 32)) & (SLOTS - 1);
    }

    private static final class Entry {
        final long traceIdHigh;
        final long traceIdLow;
        /** The TraceState object the header was formatted from, compared by identity only. */
        final Object source;
        final String header;

        Entry(long traceIdHigh, long traceIdLow, Object source, String header) {
            this.traceIdHigh = traceIdHigh;
            this.traceIdLow = traceIdLow;
            this.source = source;
            this.header = header;
        }
    }

    /**
     * Collects TraceState members in order ({@code TraceState.forEach}) and formats the W3C header value:
     * {@code k1=v1,k2=v2}. Members whose key or value are not W3C's are left out (nothing but W3C fields goes
     * into a header or environment variable); beyond {@link #MAX_MEMBERS} members or {@link #MAX_CHARS} chars
     * it truncates as W3C says: members over {@link #LONG_MEMBER} chars first, then from the end.
     */
    static final class Formatter implements BiConsumer<String, String> {
        private final String[] members = new String[MAX_MEMBERS];
        private int count;

        @Override
        public void accept(String key, String value) {
            if (count < MAX_MEMBERS && validKey(key) && validValue(value)) {
                members[count++] = key + '=' + value;
            }
        }

        String header() {
            int length = length();
            if (length > MAX_CHARS) {
                for (int i = 0; i < count; i++) {
                    if (members[i] != null && members[i].length() > LONG_MEMBER) {
                        length -= members[i].length() + 1;
                        members[i] = null;
                    }
                }
                for (int i = count - 1; i >= 0 && length > MAX_CHARS; i--) {
                    if (members[i] != null) {
                        length -= members[i].length() + 1;
                        members[i] = null;
                    }
                }
            }
            StringBuilder out = new StringBuilder(Math.max(length, 0));
            for (int i = 0; i < count; i++) {
                if (members[i] != null) {
                    if (out.length() > 0) {
                        out.append(',');
                    }
                    out.append(members[i]);
                }
            }
            return out.length() == 0 ? null : out.toString();
        }

        /** Chars of the header with every member: members plus the commas between them. */
        private int length() {
            int length = -1;
            for (int i = 0; i < count; i++) {
                length += members[i].length() + 1;
            }
            return Math.max(length, 0);
        }

        /** W3C key: {@code [a-z0-9][a-z0-9_\-*\/]{0,255}}, or {@code tenant@system} with the same chars. */
        static boolean validKey(String key) {
            if (key == null || key.isEmpty() || key.length() > 256) {
                return false;
            }
            int at = -1;
            for (int i = 0; i < key.length(); i++) {
                char c = key.charAt(i);
                boolean first = i == 0 || i == at + 1;
                if (c == '@') {
                    if (at >= 0 || i == 0 || i == key.length() - 1) {
                        return false;
                    }
                    at = i;
                } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                        || (!first && (c == '_' || c == '-' || c == '*' || c == '/')))) {
                    return false;
                }
            }
            return at < 0 || (key.length() - at - 1 <= 14 && at <= 241);
        }

        /** W3C value: 1 to 256 printable ASCII chars but {@code ,} and {@code =}, not ending in a space. */
        static boolean validValue(String value) {
            if (value == null || value.isEmpty() || value.length() > 256 || value.charAt(value.length() - 1) == ' ') {
                return false;
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < 0x20 || c > 0x7E || c == ',' || c == '=') {
                    return false;
                }
            }
            return true;
        }
    }
}
