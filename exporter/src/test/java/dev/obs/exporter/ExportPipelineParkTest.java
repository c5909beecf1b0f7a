package dev.obs.exporter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ExportPipelineParkTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void nothingDrainedParksTheLongest() {
        assertEquals(50 * MS, ExportPipeline.parkNanos(0, 3 * MS));
    }

    @Test
    void parkIsSizedSoAnEighthFillsUpAtTheRateJustSeen() {
        // an eighth of a queue in 8 ms: the same again in 8 ms
        assertEquals(8 * MS, ExportPipeline.parkNanos(0.125, 8 * MS));
        // a sixteenth in 10 ms: twice as long
        assertEquals(20 * MS, ExportPipeline.parkNanos(0.0625, 10 * MS));
    }

    @Test
    void parkStaysBetweenOneAndFiftyMilliseconds() {
        assertEquals(1 * MS, ExportPipeline.parkNanos(0.9, 2 * MS));
        assertEquals(50 * MS, ExportPipeline.parkNanos(0.001, 50 * MS));
        // a late wake-up (0 or negative elapsed time cannot happen, but must not park 0)
        assertEquals(1 * MS, ExportPipeline.parkNanos(1, 0));
    }
}
