package com.acme.greeter;

/** Stands for a library class: obs's {@code HelperDispatchTest} weaves it and defines it in a loader of its own. */
public class Greeter {
    private final String name;

    public Greeter(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public String greet(String greeting) {
        if (greeting == null) {
            throw new IllegalArgumentException("no greeting");
        }
        return greeting + ", " + name;
    }
}
