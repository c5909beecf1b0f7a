package dev.obs.instrumentation.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hand-off of a streaming operation's span (logs, attach, stats...) from the program's thread, where
 * docker-java's {@code exec} starts it, to docker-java's stream thread, where the stream ends it: the span
 * stops being current when {@code exec} returns, ends once when the stream does, and a close the program
 * asked for is not an error.
 */
class DockerStreamHandOffTest {
    private final List<ObsSpan> ended = new CopyOnWriteArrayList<>();

    /** Named like docker-java's executor of {@code docker container logs}. */
    static final class LogContainerCmdExec {
    }

    @AfterEach
    void uninstallRecorder() {
        Recorder.install(null, 1.0); // the recorder is global: no later test records into this one's sink
        Recorder.swapCurrentSpan(null);
    }

    @BeforeEach
    void install() {
        Recorder.install(ended::add, 1.0);
    }

    @Test
    void theStreamTakesTheSpanOverAndEndsItOnceOnItsOwnThread() throws Exception {
        Object callback = new Object();
        ObsSpan span = DockerRecorder.start(new LogContainerCmdExec(), null);
        assertNotNull(span);
        assertEquals("docker container logs", span.name);
        DockerRecorder.streamStarted(callback, new Object());

        DockerRecorder.asyncReturned(span, null);

        assertNull(Recorder.currentSpan(), "no longer current on the program's thread");
        assertEquals(List.of(), ended, "not ended by exec's return");
        Thread stream = new Thread(() -> DockerRecorder.streamEnded(callback, null));
        stream.start();
        stream.join();
        assertEquals(List.of(span), ended);
        DockerRecorder.streamEnded(callback, null);
        assertEquals(List.of(span), ended, "ended once");
        assertNull(span.errorType);
    }

    @Test
    void anOperationNoStreamTookOverEndsWhenExecReturns() {
        ObsSpan span = DockerRecorder.start(new LogContainerCmdExec(), null);

        DockerRecorder.asyncReturned(span, new IllegalStateException("refused"));

        assertEquals(List.of(span), ended);
        assertEquals(IllegalStateException.class.getName(), span.errorType);
    }

    @Test
    void aStreamTheProgramClosedEndsWithoutAnErrorAndIsMarked() throws Exception {
        Object callback = new Object();
        ObsSpan span = handedOffToStream(callback);
        Thread stream = new Thread(() -> {
            DockerRecorder.streamThreadRunning();
            synchronized (callback) {
                callback.notifyAll();
            }
            while (!Thread.currentThread().isInterrupted()) {
                Thread.onSpinWait();
            }
            DockerRecorder.streamEnded(callback, new InterruptedIOException("closed"));
            DockerRecorder.streamThreadDone();
        });
        synchronized (callback) {
            stream.start();
            callback.wait(10_000);
        }

        DockerRecorder.streamCloseRequested(stream); // the program closes the stream, then docker-java interrupts
        stream.interrupt();
        stream.join();

        assertEquals(List.of(span), ended);
        assertNull(span.errorType, "the close is not an error");
        assertEquals(Boolean.TRUE, attribute(span, DockerRecorder.CLOSED_BY_CALLER));
    }

    @Test
    void aStreamThatFailsByItselfEndsWithItsError() throws Exception {
        Object callback = new Object();
        ObsSpan span = handedOffToStream(callback);

        onStreamThread(() -> DockerRecorder.streamEnded(callback, new InterruptedIOException("engine went away")));

        assertSame(span, ended.get(0));
        assertEquals(InterruptedIOException.class.getName(), span.errorType);
        assertNull(attribute(span, DockerRecorder.CLOSED_BY_CALLER));
    }

    /** A logs operation whose span its stream (keyed by {@code callback}) took over as exec returned. */
    private static ObsSpan handedOffToStream(Object callback) {
        ObsSpan span = DockerRecorder.start(new LogContainerCmdExec(), null);
        DockerRecorder.streamStarted(callback, null);
        DockerRecorder.asyncReturned(span, null);
        return span;
    }

    /** Runs {@code body} as docker-java's stream thread does, and waits for it. */
    private static void onStreamThread(Runnable body) throws InterruptedException {
        Thread stream = new Thread(() -> {
            DockerRecorder.streamThreadRunning();
            body.run();
            DockerRecorder.streamThreadDone();
        });
        stream.start();
        stream.join();
    }

    private static Object attribute(ObsSpan span, String key) {
        for (int i = 0; i < span.attributeCount(); i++) {
            if (key.equals(span.attributeKey(i))) {
                return span.attributeValue(i);
            }
        }
        return null;
    }
}
