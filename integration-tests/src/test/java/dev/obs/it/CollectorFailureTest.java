package dev.obs.it;

import com.acme.LoopApp;
import com.acme.MethodsApp;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.ReceivedSpan;
import dev.obs.it.harness.RunningJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.obs.it.ObsRuns.METHODS_APP_SPAN_TOTAL;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A collector that is down, failing, slow or dropping connections must not change what the application
 * does or how long it takes; once the collector is back, the failures are reported and export resumes.
 */
class CollectorFailureTest {
    /** obs.shutdown.timeout is left at its default, so that default is what these runs check. */
    private static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);
    /** Far longer than any shutdown budget, so an agent that waits for the collector cannot pass. */
    private static final Duration SLOW_ANSWER = Duration.ofSeconds(30);
    /** Scheduling noise of starting JVMs on a loaded 2-core machine. */
    private static final Duration SLACK = Duration.ofMillis(1500);

    /** Several metric intervals long: an outage this long must show up in obs.export.failures. */
    private static final Duration OUTAGE_BEFORE_RECOVERY = Duration.ofSeconds(4);

    enum Outage {
        DOWN, ANSWERS_500, SLOW, RESETS_CONNECTIONS;

        void begin(OtlpHttpReceiver receiver) {
            switch (this) {
                case DOWN -> receiver.stop();
                case ANSWERS_500 -> receiver.respondWith(500);
                case SLOW -> receiver.delay(SLOW_ANSWER);
                case RESETS_CONNECTIONS -> receiver.resetConnections();
            }
        }
    }

    @RegisterExtension
    static final OtlpHttpReceiver receiver = new OtlpHttpReceiver();
    private static JvmResult plain;
    private static JvmResult healthy;

    @BeforeAll
    static void measureAHealthyRun() {
        plain = app().withoutAgent().run();
        healthy = app().run();
        assertEquals(METHODS_APP_SPAN_TOTAL, receiver.spans().size(), "healthy baseline" + healthy.describe());
    }

    @AfterEach
    void endOutage() {
        receiver.behaveNormally();
        // A stop also ends handlers still sitting in a slow answer, so they cannot record into the next test.
        receiver.stop();
        receiver.restart();
        receiver.clear();
    }

    @ParameterizedTest
    @EnumSource(Outage.class)
    void outageChangesNeitherOutputNorExitCodeNorRunningTime(Outage outage) {
        outage.begin(receiver);
        JvmResult run = app().run();

        Duration limit = healthy.duration().multipliedBy(2).plus(DEFAULT_SHUTDOWN_TIMEOUT).plus(SLACK);
        assertAll(outage + run.describe(),
                () -> assertEquals(plain.stdout(), run.stdout(), "stdout"),
                () -> assertEquals(plain.exitCode(), run.exitCode(), "exit code"),
                () -> assertTrue(run.duration().compareTo(limit) <= 0, "took " + run.duration().toMillis()
                        + " ms, healthy run " + healthy.duration().toMillis() + " ms, limit " + limit.toMillis() + " ms"),
                () -> assertTrue(run.stderrLines().stream().anyMatch(l -> l.startsWith("obs summary:")),
                        "the exit summary is printed whatever the collector does"));
    }

    @ParameterizedTest
    @EnumSource(value = Outage.class, names = {"DOWN", "ANSWERS_500", "RESETS_CONNECTIONS"})
    void afterTheCollectorRecoversFailuresAreCountedAndNewSpansArrive(Outage outage) {
        outage.begin(receiver);
        RunningJvm running = ObsRuns.exportingTo(LoopApp.class, receiver.endpoint())
                .args("--seconds=" + (OUTAGE_BEFORE_RECOVERY.toSeconds() + 4))
                .start();
        running.awaitStdout("started", Duration.ofSeconds(30));
        sleep(OUTAGE_BEFORE_RECOVERY);

        receiver.behaveNormally();
        receiver.restart();
        long recoveredAtNanos = toEpochNanos(Instant.now());
        JvmResult run = running.awaitExit();
        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(run.stdout().contains("done true"), run.describe());

        double failures = receiver.latestValue("obs.export.failures", Map.of());
        assertTrue(failures > 0, outage + ": obs.export.failures after recovery = " + failures + "; "
                + receiver.describeSeries("obs.export.failures") + run.describe());
        List<ReceivedSpan> fresh = receiver.spans(s -> s.span().getStartTimeUnixNano() > recoveredAtNanos);
        assertFalse(fresh.isEmpty(), outage + ": no span started after the collector came back; "
                + receiver.describe() + run.describe());
    }

    private static AgentJvm app() {
        return ObsRuns.exportingTo(MethodsApp.class, receiver.endpoint()).args("--sync=3");
    }

    private static long toEpochNanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
