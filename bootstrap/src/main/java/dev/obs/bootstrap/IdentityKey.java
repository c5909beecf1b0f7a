package dev.obs.bootstrap;

/**
 * A map key that compares its target by identity: the program's own {@code equals} and {@code hashCode} (a
 * docker-java request is a value object, a task may be anything) are never called, and two equal but
 * distinct objects stay two entries.
 */
public final class IdentityKey {
    private final Object target;
    private final int hash;

    public IdentityKey(Object target) {
        this.target = target;
        this.hash = System.identityHashCode(target);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdentityKey && ((IdentityKey) o).target == target;
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
