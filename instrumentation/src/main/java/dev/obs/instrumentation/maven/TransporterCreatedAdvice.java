package dev.obs.instrumentation.maven;

import net.bytebuddy.asm.Advice;
import org.eclipse.aether.repository.RemoteRepository;

/** {@code DefaultTransporterProvider.newTransporter(session, repository)}: which repository a transporter serves. */
public final class TransporterCreatedAdvice {
    private TransporterCreatedAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class, inline = false)
    public static void exit(@Advice.Argument(1) Object repository, @Advice.Return Object transporter) {
        TransferRecorder.transporterCreated(transporter, (RemoteRepository) repository);
    }
}
