package dev.obs.instrumentation.fs;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import dev.obs.bootstrap.FsRecorder;
import dev.obs.instrumentation.AdviceApplier;
import dev.obs.instrumentation.TypeInstrumentation;
import java.io.FileDescriptor;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code sun.nio.ch.FileChannelImpl}, the JDK's {@code FileChannel} behind {@code FileChannel.open},
 * {@code Files.newByteChannel}/{@code newInputStream}/{@code newOutputStream}/{@code readAllBytes} and the
 * streams' {@code getChannel()}: {@code read}/{@code write} (plain, scattering/gathering, positional; the
 * {@code ByteBuffer[]} overloads without offsets delegate to the ones with), {@code transferTo} (bytes read
 * from this file) and {@code transferFrom} (bytes written to it), {@code force}. The static factory {@code open(FileDescriptor, String, ...)} (its
 * other parameters differ between JDK 17 and 25) records the descriptor's group.
 */
public final class FileChannelInstrumentation implements TypeInstrumentation {
    @Override
    public List<String> typeNamePrefixes() {
        return List.of("sun.nio.ch.*FileChannelImpl");
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("sun.nio.ch.FileChannelImpl");
    }

    @Override
    public void transform(AdviceApplier applier) {
        // read/write return int or long (scattering, gathering): one exit each, the count widened to long
        ElementMatcher.Junction<MethodDescription> count = isPublic().and(returns(int.class).or(returns(long.class)));
        FsAdvice.apply(applier, count.and(namedOneOf("read", "transferTo")), FsAdvice.READ);
        FsAdvice.apply(applier, count.and(namedOneOf("write", "transferFrom")), FsAdvice.WRITE);
        FsAdvice.apply(applier, isPublic().and(named("force")), FsAdvice.FORCE);
        // Every FileChannelImpl is made by this factory (the constructor is private); advice on the factory
        // rather than the constructor, which the weaver's method-only advice does not reach.
        applier.applyAdvice(isStatic().and(named("open")).and(takesArgument(0, FileDescriptor.class))
                .and(takesArgument(1, String.class)), FileChannelInstrumentation.class.getName() + "$FactoryAdvice");
    }

    @SuppressWarnings("unused")
    public static final class FactoryAdvice {
        private FactoryAdvice() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.Argument(0) FileDescriptor fd, @Advice.Argument(1) String path) {
            FsRecorder.channelOpened(fd, path);
        }
    }
}
