package dev.obs.instrumentation.git;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.obs.exporter.otel.W3cTraceContext;
import dev.obs.instrumentation.AdviceApplier;
import dev.obs.instrumentation.TypeInstrumentation;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.eclipse.jgit.transport.http.HttpConnection;

/**
 * JGit's HTTP transport: every request it makes goes through {@code TransportHttp.httpOpen(method, url,
 * acceptEncoding)} (JGit 6.10 and 7.x), which returns the connection before it is sent; the
 * {@code traceparent} of the current obs span ({@code git transport fetch}, {@code git ls-remote}...) is
 * set on it there, with its trace's {@code tracestate} when obs keeps one (see {@link W3cTraceContext}).
 */
final class GitHttpPropagationInstrumentation implements TypeInstrumentation {
    static final String TRANSPORT_HTTP = "org.eclipse.jgit.transport.TransportHttp";

    @Override
    public List<String> typeNamePrefixes() {
        return List.of(TRANSPORT_HTTP);
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return new Matching().typeMatcher();
    }

    @Override
    public void transform(AdviceApplier applier) {
        new Matching().transform(applier);
    }

    @SuppressWarnings("unused")
    public static final class HttpOpenAdvice {
        private HttpOpenAdvice() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class, inline = false)
        public static void exit(@Advice.Return Object connection) {
            String traceparent = W3cTraceContext.currentTraceparent();
            if (traceparent != null && connection != null) {
                ((HttpConnection) connection).setRequestProperty(W3cTraceContext.HEADER, traceparent);
                String tracestate = W3cTraceContext.currentTracestate();
                if (tracestate != null) {
                    ((HttpConnection) connection).setRequestProperty(W3cTraceContext.STATE_HEADER, tracestate);
                }
            }
        }
    }

    /**
     * The matchers, in a class of its own: premain creates this instrumentation, and verifying a class that
     * builds matchers loads Byte Buddy's {@code ElementMatcher} (see {@link TypeInstrumentation}).
     */
    private final class Matching {
        ElementMatcher<TypeDescription> typeMatcher() {
            return named(TRANSPORT_HTTP);
        }

        void transform(AdviceApplier applier) {
            applier.applyAdvice(named("httpOpen").and(takesArguments(3)),
                    GitHttpPropagationInstrumentation.class.getName() + "$HttpOpenAdvice");
        }
    }
}
