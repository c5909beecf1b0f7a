package com.acme.sync;

/** A few calls of the sync program's classes in one JVM, for the rule-checking tests: 3 applies (1 rejected), 2 transitions. */
public final class SyncRulesApp {
    public static void main(String[] args) {
        Hlc.Clock clock = new Hlc.Clock();
        RecordStore store = new RecordStore(clock, new Watermarks());
        SyncState state = new SyncState();
        state.transition(SyncState.State.SYNCING, "start");
        System.out.println(store.apply(new Change("a", "notes", "1", clock.tick(), "device-a")));
        System.out.println(store.apply(new Change("b", "notes", "", clock.tick(), "device-a")));
        System.out.println(store.apply(new Change("c", "tags", "3", clock.tick(), "device-a")));
        state.transition(SyncState.State.IDLE, "done");
        System.out.println(state.log());
    }
}
