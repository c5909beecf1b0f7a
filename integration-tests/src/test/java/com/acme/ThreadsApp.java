package com.acme;

import java.util.TreeSet;

/** Makes one instrumented call, then lists the live threads whose name mentions obs. */
public final class ThreadsApp {
    public static void main(String[] args) {
        System.out.println("sync = " + new Repo("origin").sync(1));
        TreeSet<String> obsThreads = new TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().contains("obs")) {
                obsThreads.add(t.getName());
            }
        }
        System.out.println("obs threads: " + obsThreads);
    }
}
