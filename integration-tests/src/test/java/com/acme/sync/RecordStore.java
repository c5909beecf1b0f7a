package com.acme.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The replicated records, by id; remembers which were changed locally since they were last synced. */
public final class RecordStore implements Applier {
    private final Map<String, Change> records = new TreeMap<>();
    private final java.util.Set<String> dirty = new java.util.HashSet<>();
    private final ConflictResolver resolver = new ConflictResolver();
    private final Watermarks watermarks;
    private final Hlc.Clock clock;
    public int conflicts;

    public RecordStore(Hlc.Clock clock, Watermarks watermarks) {
        this.clock = clock;
        this.watermarks = watermarks;
    }

    public Change localEdit(String id, String model, String value, String origin) {
        Change c = new Change(id, model, value, clock.tick(), origin);
        records.put(id, c);
        dirty.add(id);
        return c;
    }

    /** A remote change: rejected when its value is empty; a concurrent local edit is a conflict. */
    @Override
    public boolean apply(Change change) {
        if (change.value().isEmpty()) {
            Reporter.Current.to.operation("apply", change.origin(), change.model(), 1, -1, "rejected");
            return false;
        }
        clock.observe(change.stamp());
        Change local = records.get(change.id());
        if (local != null && dirty.contains(change.id()) && !local.value().equals(change.value())) {
            conflicts++;
            resolver.resolve(local, change);
            if (!resolver.remoteWins(local, change)) {
                Reporter.Current.to.operation("apply", change.origin(), change.model(), 1, -1, "success");
                return true;
            }
            dirty.remove(change.id());
        }
        records.put(change.id(), change);
        watermarks.advance(change.origin(), change.stamp());
        Reporter.Current.to.operation("apply", change.origin(), change.model(), 1, -1, "success");
        return true;
    }

    /** Changes stamped after {@code since}, oldest first, at most {@code limit}. */
    public List<Change> since(Hlc since, int limit) {
        List<Change> out = new ArrayList<>();
        for (Change c : records.values()) {
            if (c.stamp().compareTo(since) > 0) {
                out.add(c);
            }
        }
        out.sort((a, b) -> a.stamp().compareTo(b.stamp()));
        return out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
    }

    public int size() {
        return records.size();
    }

    public String valueOf(String id) {
        Change c = records.get(id);
        return c == null ? null : c.value();
    }
}
