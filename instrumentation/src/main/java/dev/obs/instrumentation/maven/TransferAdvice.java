package dev.obs.instrumentation.maven;

import dev.obs.bootstrap.ObsSpan;
import net.bytebuddy.asm.Advice;
import org.eclipse.aether.spi.connector.transport.TransportTask;
import org.eclipse.aether.spi.connector.transport.Transporter;

/** {@code Transporter.get/put/peek(task)}: one transfer. */
public final class TransferAdvice {
    private TransferAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class, inline = false)
    public static ObsSpan enter(@Advice.This Object transporter, @Advice.Argument(0) Object task) {
        return TransferRecorder.started((Transporter) transporter, (TransportTask) task);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, inline = false)
    public static void exit(@Advice.Enter ObsSpan span, @Advice.This Object transporter,
                            @Advice.Argument(0) Object task, @Advice.Thrown Throwable thrown) {
        TransferRecorder.ended(span, (Transporter) transporter, (TransportTask) task, thrown);
    }
}
