package dev.obs.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What obs's per-thread state costs a thread that lives for one or two file calls:
 * {@code newThreadFsOpenRead} starts a thread (platform, or virtual on JDK 21+ with {@code -p kind=virtual})
 * that makes the recorder calls the fs advice makes for opening a file and reading it once (without the
 * system calls): the thread's ThreadState (and the JDK's map of its thread locals) is created, the calls
 * are counted in the fixed stripes, and nothing outlives the thread.
 *
 * <p>{@code newThreadBaseline} is the same thread start/join without recording. The difference in B/op is
 * the per-thread price of metrics; with a thread (or virtual thread) per request it is paid per request.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
// java.io opened as the agent opens it for the fs recorder (it reads a FileDescriptor's number)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "--add-opens", "java.base/java.io=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ThreadChurnBenchmark {
    @Param({"platform"})
    public String kind;

    MethodHandle virtualStart;
    final Runnable nothing = () -> { };
    java.io.File file;
    java.io.FileInputStream stream;
    java.io.FileDescriptor fd;
    String path;
    final Runnable fsOpenRead = () -> {
        dev.obs.bootstrap.ThreadState s = dev.obs.bootstrap.fs.FsRecorder.enter();
        dev.obs.bootstrap.fs.FsRecorder.opened(s, fd, path, null);
        s = dev.obs.bootstrap.fs.FsRecorder.enter();
        dev.obs.bootstrap.fs.FsHooks.read(s, fd, path, 512, null);
    };

    @Setup(Level.Trial)
    public void setup() throws Throwable {
        dev.obs.bootstrap.fs.FsRecorder.recordDetailsWith(new dev.obs.exporter.fs.FsDetailRecorder(100));
        dev.obs.bootstrap.fs.FsRecorder.configure(new dev.obs.bootstrap.fs.FsGroups(new String[0], new String[0],
                System.getProperty("java.home"), null, "/"), 10_000_000L);
        file = java.io.File.createTempFile("obs-churn-bench", ".bin");
        file.deleteOnExit();
        stream = new java.io.FileInputStream(file);
        fd = stream.getFD();
        path = file.getPath();
        if (kind.equals("virtual")) {
            // Thread.startVirtualThread(Runnable), JDK 21+; looked up reflectively as we compile for 17.
            virtualStart = MethodHandles.publicLookup().findStatic(Thread.class, "startVirtualThread",
                    MethodType.methodType(Thread.class, Runnable.class));
        } else if (!kind.equals("platform")) {
            throw new IllegalArgumentException("kind must be platform or virtual");
        }
    }

    private Thread start(Runnable r) throws Throwable {
        if (virtualStart != null) {
            return (Thread) virtualStart.invokeExact(r);
        }
        Thread t = new Thread(r);
        t.start();
        return t;
    }

    @Benchmark
    public Thread newThreadFsOpenRead() throws Throwable {
        Thread t = start(fsOpenRead);
        t.join();
        return t;
    }

    @Benchmark
    public Thread newThreadBaseline() throws Throwable {
        Thread t = start(nothing);
        t.join();
        return t;
    }
}
