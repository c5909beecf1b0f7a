package com.acme;

/** Instrumented as {@code com.acme.Repo[sync,push]}: sync calls push, so each sync has one child span. */
public final class Repo {
    private final String remote;
    private IllegalStateException lastFailure;
    private int pushes;

    public Repo(String remote) {
        this.remote = remote;
    }

    public int sync(int round) {
        String pushed = push("main-" + round);
        return round * 31 + pushed.length();
    }

    /** Branches starting with "rejected" fail, so the app can check it gets back the very exception thrown. */
    public String push(String branch) {
        if (branch.startsWith("rejected")) {
            lastFailure = new IllegalStateException("remote rejected " + branch);
            throw lastFailure;
        }
        pushes++;
        return remote + "/" + branch;
    }

    /** Not in the pointcut: must produce no span. */
    public String status() {
        return "pushes=" + pushes;
    }

    public IllegalStateException lastFailure() {
        return lastFailure;
    }
}
