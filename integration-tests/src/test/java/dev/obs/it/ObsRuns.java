package dev.obs.it;

import com.acme.MethodsApp;
import dev.obs.it.harness.AgentJvm;

import java.time.Duration;
import java.util.Map;

/** The agent configurations the tests share, and what {@link MethodsApp} is expected to produce. */
final class ObsRuns {
    static final String POINTCUTS = "com.acme.Repo[sync,push];com.acme.Job[*]";

    /** Generous: a healthy child delivers within a second or two; this only bounds a broken one. */
    static final Duration ARRIVAL = Duration.ofSeconds(15);

    /** Spans of {@code MethodsApp --sync=3}: see the class comment of MethodsApp. */
    static final Map<String, Integer> METHODS_APP_SPANS = Map.of(
            "Repo.sync", 5,
            "Repo.push", 6,
            "Job.run", 1,
            "Job.step", 2,
            "Job.checksum", 1,
            "Job.label", 1);
    static final int METHODS_APP_SPAN_TOTAL = 16;
    static final int METHODS_APP_TRACES = 6;

    private ObsRuns() {
    }

    /**
     * The agent with the standard pointcuts and a short metric interval, exporting nowhere in particular. The
     * tests that use it count spans exactly; a file operation of the child's start (loading its classes) that a
     * busy machine slows past the default 10 ms would add an {@code fs} span, so slow-operation spans are off.
     */
    static AgentJvm instrumented(Class<?> mainClass) {
        return AgentJvm.withAgent(mainClass)
                .property("obs.methods.include", POINTCUTS)
                .property("otel.metric.export.interval", "1s")
                .property("obs.fs.slow.threshold", "1d");
    }

    /** {@link #instrumented} exporting OTLP/HTTP to {@code endpoint}. */
    static AgentJvm exportingTo(Class<?> mainClass, String endpoint) {
        return instrumented(mainClass).property("otel.exporter.otlp.endpoint", endpoint);
    }
}
