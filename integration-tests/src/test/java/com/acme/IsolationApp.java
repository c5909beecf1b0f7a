package com.acme;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;

import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Brings its own Byte Buddy and OpenTelemetry API (versions other than the agent's) and uses both,
 * printing which jars it actually got its classes from.
 */
public final class IsolationApp {
    public static void main(String[] args) throws Exception {
        System.out.println("byte-buddy from: " + jarOf(ByteBuddy.class));
        System.out.println("opentelemetry-api from: " + jarOf(GlobalOpenTelemetry.class));

        @SuppressWarnings("unchecked")
        Class<? extends Supplier<String>> generated = (Class<? extends Supplier<String>>) new ByteBuddy()
                .subclass(Object.class)
                .implement(Supplier.class)
                .name("com.acme.generated.Greeter")
                .method(ElementMatchers.named("get"))
                .intercept(FixedValue.value("hello from generated class"))
                .make()
                .load(IsolationApp.class.getClassLoader())
                .getLoaded();
        System.out.println(generated.getName() + ": " + generated.getDeclaredConstructor().newInstance().get());

        Tracer tracer = GlobalOpenTelemetry.getTracer("com.acme.isolation");
        Span span = tracer.spanBuilder("app-span").startSpan();
        System.out.println("app tracer: " + tracer.getClass().getName());
        System.out.println("app span valid: " + span.getSpanContext().isValid());
        span.end();

        System.out.println("sync = " + new Repo("origin").sync(7));
    }

    private static String jarOf(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).getFileName().toString();
    }
}
