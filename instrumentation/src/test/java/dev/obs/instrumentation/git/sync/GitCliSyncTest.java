package dev.obs.instrumentation.git.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GitCliSyncTest {
    @Test
    void theRemoteIsTheFirstArgumentAfterTheSubcommand() {
        assertEquals("origin", GitCliSync.remoteArgument("fetch",
                new String[] {"git", "-C", "/w", "fetch", "-q", "origin", "main"}));
    }

    @Test
    void anOptionsValueIsNotTheRemote() {
        assertEquals("upstream", GitCliSync.remoteArgument("fetch",
                new String[] {"git", "fetch", "--depth", "1", "-j", "4", "upstream"}));
    }

    @Test
    void afterADoubleDashTheNextArgumentIsTheRemote() {
        assertEquals("-odd", GitCliSync.remoteArgument("push", new String[] {"git", "push", "--", "-odd"}));
    }

    @Test
    void noRemoteArgumentIsEmpty() {
        assertEquals("", GitCliSync.remoteArgument("pull", new String[] {"git", "pull", "--rebase"}));
    }

    @Test
    void aCloneNamesItsUrl() {
        assertEquals("https://****@host/r.git", GitCliSync.remoteArgument("clone",
                new String[] {"git", "clone", "-b", "main", "https://****@host/r.git", "dir"}));
    }
}
