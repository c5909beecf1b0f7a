package dev.obs.instrumentation.git;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.instrumentation.AdviceApplier;
import dev.obs.instrumentation.TypeInstrumentation;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.eclipse.jgit.internal.storage.pack.PackWriter;
import org.eclipse.jgit.storage.pack.PackStatistics;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.PackParser;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.ReceivedPackStatistics;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;

/**
 * JGit's transport layer, below the porcelain (and used without it): {@code Transport.fetch} and
 * {@code Transport.push} become {@code git transport fetch} / {@code git transport push} spans, and the pack
 * parsed ({@code PackParser.parse}) or written ({@code PackWriter.writePack}) while one of them is the
 * thread's current span adds its byte and object counts to it.
 *
 * <p>Advice goes into the classes that declare the methods: {@code Transport} (its subclasses per protocol
 * inherit {@code fetch}/{@code push}), {@code PackParser} (a subclass that overrides {@code parse} calls
 * {@code super.parse}, so the figures are added once) and {@code PackWriter}. Only the overloads that do the
 * work are matched: {@code fetch(monitor, specs)} delegates to {@code fetch(monitor, specs, branch)},
 * {@code push(monitor, updates)} to {@code push(monitor, updates, out)} (JGit 6.10 and 7.x).
 */
public final class GitTransportInstrumentation implements TypeInstrumentation {
    static final String TRANSPORT = "org.eclipse.jgit.transport.Transport";
    static final String PACK_PARSER = "org.eclipse.jgit.transport.PackParser";
    static final String PACK_WRITER = "org.eclipse.jgit.internal.storage.pack.PackWriter";

    private final String type;
    private final String method;
    private final int arguments;
    /** Null, or the type of the last argument, which tells the working overload from its delegates. */
    private final Class<?> lastArgument;
    private final String advice;

    /** Matchers are built only when the engine weaves, never at premain (see {@link TypeInstrumentation}). */
    private GitTransportInstrumentation(String type, String method, int arguments, Class<?> lastArgument,
                                        String advice) {
        this.type = type;
        this.method = method;
        this.arguments = arguments;
        this.lastArgument = lastArgument;
        this.advice = advice;
    }

    /** {@code Transport.fetch(ProgressMonitor, Collection, String)}. */
    static GitTransportInstrumentation fetch() {
        return new GitTransportInstrumentation(TRANSPORT, "fetch", 3, String.class, "$FetchAdvice");
    }

    /** {@code Transport.push(ProgressMonitor, Collection, OutputStream)}. */
    static GitTransportInstrumentation push() {
        return new GitTransportInstrumentation(TRANSPORT, "push", 3, java.io.OutputStream.class, "$PushAdvice");
    }

    /** {@code PackParser.parse(ProgressMonitor, ProgressMonitor)}: bytes and objects received. */
    static GitTransportInstrumentation packParser() {
        return new GitTransportInstrumentation(PACK_PARSER, "parse", 2, null, "$ParseAdvice");
    }

    /** {@code PackWriter.writePack(ProgressMonitor, ProgressMonitor, OutputStream)}: bytes and objects sent. */
    static GitTransportInstrumentation packWriter() {
        return new GitTransportInstrumentation(PACK_WRITER, "writePack", 3, null, "$WritePackAdvice");
    }

    @Override
    public List<String> typeNamePrefixes() {
        return List.of(type);
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return new Matching().typeMatcher();
    }

    @Override
    public void transform(AdviceApplier applier) {
        new Matching().transform(applier);
    }

    /** Fetch: protocol, server, URL; the tracking refs it updated. */
    @SuppressWarnings("unused")
    public static final class FetchAdvice {
        private FetchAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class, inline = false)
        public static ObsSpan enter(@Advice.This Object transport) {
            URIish u = ((Transport) transport).getURI();
            return GitRecorder.startTransport(false, u.getScheme(), u.getHost(), u.getPort(), u.toString());
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, inline = false)
        public static void exit(@Advice.Enter ObsSpan span, @Advice.Return Object result,
                                @Advice.Thrown Throwable thrown) {
            long refs = -1;
            try {
                refs = span == null || result == null ? -1 : ((FetchResult) result).getTrackingRefUpdates().size();
            } catch (Throwable ignored) {
                // the attribute only
            }
            GitRecorder.endTransport(span, refs, false, thrown);
        }
    }

    /**
     * Push: protocol, server, URL; the remote refs updated (status {@code OK}; up-to-date refs are not
     * counted), error status when the remote rejected one.
     */
    @SuppressWarnings("unused")
    public static final class PushAdvice {
        private PushAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class, inline = false)
        public static ObsSpan enter(@Advice.This Object transport) {
            URIish u = ((Transport) transport).getURI();
            return GitRecorder.startTransport(true, u.getScheme(), u.getHost(), u.getPort(), u.toString());
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, inline = false)
        public static void exit(@Advice.Enter ObsSpan span, @Advice.Return Object result,
                                @Advice.Thrown Throwable thrown) {
            long updated = -1;
            boolean rejected = false;
            try {
                if (span != null && result != null) {
                    updated = 0;
                    for (RemoteRefUpdate u : ((PushResult) result).getRemoteUpdates()) {
                        RemoteRefUpdate.Status s = u.getStatus();
                        updated += s == RemoteRefUpdate.Status.OK ? 1 : 0;
                        rejected |= s.name().startsWith("REJECTED") || s == RemoteRefUpdate.Status.NON_EXISTING;
                    }
                }
            } catch (Throwable ignored) {
                // the attributes only
            }
            GitRecorder.endTransport(span, updated, rejected, thrown);
        }
    }

    /** A pack received: its size in bytes (as read from the stream) and its objects. */
    @SuppressWarnings("unused")
    public static final class ParseAdvice {
        private ParseAdvice() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class, inline = false)
        public static void exit(@Advice.This Object parser) {
            ReceivedPackStatistics s = GitRecorder.inTransport() ? ((PackParser) parser).getReceivedPackStatistics() : null;
            if (s != null) {
                GitRecorder.transferred(s.getNumBytesRead(), 0, s.getNumWholeCommit() + s.getNumWholeTree()
                        + s.getNumWholeBlob() + s.getNumWholeTag() + s.getNumOfsDelta() + s.getNumRefDelta(), 0);
            }
        }
    }

    /** A pack sent: its size in bytes and its objects. */
    @SuppressWarnings("unused")
    public static final class WritePackAdvice {
        private WritePackAdvice() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class, inline = false)
        public static void exit(@Advice.This Object writer) {
            PackStatistics s = GitRecorder.inTransport() ? ((PackWriter) writer).getStatistics() : null;
            if (s != null) {
                GitRecorder.transferred(0, s.getTotalBytes(), 0, s.getTotalObjects());
            }
        }
    }

    /**
     * The matchers, in a class of its own: premain creates this instrumentation, and verifying a class that
     * builds matchers loads Byte Buddy's {@code ElementMatcher} (see {@link TypeInstrumentation}).
     */
    private final class Matching {
        ElementMatcher<TypeDescription> typeMatcher() {
            return named(type);
        }

        void transform(AdviceApplier applier) {
            ElementMatcher.Junction<MethodDescription> methods = named(method).and(isPublic())
                    .and(takesArguments(arguments));
            if (lastArgument != null) {
                methods = methods.and(takesArgument(arguments - 1, lastArgument));
            }
            applier.applyAdvice(methods, GitTransportInstrumentation.class.getName() + advice);
        }
    }
}
