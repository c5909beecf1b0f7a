package dev.obs.exporter;

/**
 * What the OpenTelemetry SDK's {@code MarshalerUtil} looks up, in obs.jar, to learn that Jackson is there
 * (its class initialiser calls {@code Class.forName("com.fasterxml.jackson.core.JsonFactory")}, a string
 * agent/pom.xml relocates to this class). Looking up Jackson's own factory initialised it: some 30 classes of
 * obs.jar read, verified and run at every run's first export, though OTLP/protobuf never writes JSON. Jackson
 * is in obs.jar, so the answer is the same; it is loaded when something writes JSON (the store, the live
 * endpoints), by that code.
 */
public final class JsonAvailable {
    private JsonAvailable() {
    }
}
