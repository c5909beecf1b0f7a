package dev.obs.instrumentation.git.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GitCliSyncTest {
    @Test
    void theRemoteIsTheFirstArgumentAfterTheSubcommand() {
        assertEquals("origin", GitCliSync.remoteArgument(
                new String[] {"git", "-C", "/w", "fetch", "-q", "origin", "main"}, 3));
    }

    @Test
    void anOptionsValueIsNotTheRemote() {
        assertEquals("upstream", GitCliSync.remoteArgument(
                new String[] {"git", "fetch", "--depth", "1", "-j", "4", "upstream"}, 1));
    }

    @Test
    void afterADoubleDashTheNextArgumentIsTheRemote() {
        assertEquals("-odd", GitCliSync.remoteArgument(new String[] {"git", "push", "--", "-odd"}, 1));
    }

    @Test
    void noRemoteArgumentIsEmpty() {
        assertEquals("", GitCliSync.remoteArgument(new String[] {"git", "pull", "--rebase"}, 1));
    }

    @Test
    void aCloneNamesItsUrl() {
        assertEquals("https://****@host/r.git", GitCliSync.remoteArgument(
                new String[] {"git", "clone", "-b", "main", "https://****@host/r.git", "dir"}, 1));
    }
}
