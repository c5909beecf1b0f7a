package dev.obs.instrumentation.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MethodPointcutTest {
    @Test
    void parsesMethodListsAndWildcards() {
        List<MethodPointcut> p = MethodPointcut.parseList("com.acme.Repo[sync,push];com.acme.Job[*];a.Outer$Inner[run]");
        assertEquals(new MethodPointcut("com.acme.Repo", List.of("sync", "push")), p.get(0));
        assertTrue(p.get(1).allMethods());
        assertEquals("a.Outer$Inner", p.get(2).className());
    }

    @Test
    void emptyMeansNothing() {
        assertTrue(MethodPointcut.parseList("").isEmpty());
        assertTrue(MethodPointcut.parseList(null).isEmpty());
        assertTrue(MethodPointcut.parseList(" ; ").isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"com.acme.Repo", "com.acme.Repo[sync", "[sync]", "com.acme.Repo[]", "com.acme.Repo[a b]",
            "com..Repo[x]", "com.acme.Repo[x][y]", "1com.Repo[x]", "com.acme.Repo[x,,y]", ".com.Repo[x]",
            "com.Repo.[x]", "com.Re-po[x]", "com.Repo[1x]", "com.Repo[x-y]"})
    void rejectsMalformedEntries(String value) {
        assertThrows(IllegalArgumentException.class, () -> MethodPointcut.parseList(value));
    }

    @Test
    void acceptsWhatJavaAcceptsAsNames() {
        List<MethodPointcut> p = MethodPointcut.parseList("été.Ça_$1[méthode, _x$2];A[*];𝓐.B[run]");
        assertEquals(new MethodPointcut("été.Ça_$1", List.of("méthode", "_x$2")), p.get(0));
        assertEquals("A", p.get(1).className());
        assertEquals("𝓐.B", p.get(2).className(), "a supplementary letter (two chars)");
    }
}
