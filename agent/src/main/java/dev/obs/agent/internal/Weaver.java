package dev.obs.agent.internal;

import dev.obs.bootstrap.HelperDispatch;
import dev.obs.bootstrap.Recorder;
import dev.obs.instrumentation.JavaBaseHook;
import dev.obs.instrumentation.TypeInstrumentation;
import java.io.File;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.TypeInitializer;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.implementation.auxiliary.AuxiliaryType;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaConstant;

/**
 * The one transformer obs registers. The java.base classes of the fs and process families go to the
 * {@link JavaBaseWeaver} (plain ASM, before premain returns: the ones already loaded are retransformed by
 * obs-weaver from {@link #start} on, while premain builds the rest of obs). Every other class load is first
 * checked against the instrumentations' name prefixes ({@link #instrument}), a few {@code startsWith} calls;
 * only a candidate goes further.
 *
 * <p>A candidate is first looked up in the {@link WeaveCache}: a JVM that loads the same classes as an
 * earlier run with the same obs.jar and settings gets the earlier result and never starts Byte Buddy. On a
 * miss, Byte Buddy weaves it. Byte Buddy costs hundreds of milliseconds of class loading and cold code
 * before its first weave, so it is built on obs's daemon thread {@code obs-weaver}, when the first miss asks
 * for it. A candidate that loads before the engine is ready waits for it, so no call of an instrumented
 * method is missed. Candidates loaded before premain (a pointcut on a JDK class) are retransformed from
 * obs-weaver.
 *
 * <p>obs-weaver does all the cache's file I/O (reading it when the first candidate asks for it, or 50 ms after
 * the java.base classes, writing what application threads wove), so an application thread never does obs's
 * I/O. Advice is inlined without changing the class format, so loaded classes can be retransformed; advice
 * types are described from their class files (by name), never loaded here.
 */
final class Weaver implements ClassFileTransformer {
    /** How long after start obs-weaver waits before writing the woven java.base classes (see {@link #work}). */
    private static final long JAVA_BASE_PERSIST_DELAY_NANOS = 200_000_000L;
    /**
     * How long after the java.base classes obs-weaver waits before reading the weave cache when no class has
     * asked for it yet (see {@link #work}): a program whose first class to weave comes sooner asks for it then.
     */
    private static final long CACHE_OPEN_DELAY_NANOS = 50_000_000L;

    private final Instrumentation inst;
    /** Null until premain hands them over ({@link #instrument}); obs-weaver waits for them after java.base. */
    private volatile List<TypeInstrumentation> instrumentations;
    private final CountDownLatch instrumentationsGiven = new CountDownLatch(1);
    /**
     * The java.base classes, woven without Byte Buddy or the weave cache: none until obs-weaver has set them
     * up ({@link #start}), before it registers the transformer.
     */
    private volatile JavaBaseWeaver javaBase = new JavaBaseWeaver(List.of());
    /** Null: no cache root. Otherwise what earlier runs of this JDK and obs.jar wove of java.base. */
    private volatile JavaBaseCache javaBaseCache;
    /** obs-weaver's first work: sets up what the java.base hooks call and returns the hooks. */
    private final SetUp javaBaseSetUp;
    /** What {@link #javaBaseSetUp} threw, or null; read after {@link #setUpDone}. */
    private volatile Throwable setUpFailure;
    private final CountDownLatch setUpDone = new CountDownLatch(1);
    private boolean registered;
    /**
     * Null: no cache. Otherwise obs-weaver opens it there ({@link WeaveCache#open}). Set by obs-weaver once
     * {@link #javaBaseSetUp} has run (the configuration is read then).
     */
    private volatile Path cacheRoot;
    /** obs.jar, which both caches are keyed by; null when obs does not run from a jar (then neither is used). */
    private final File agentJar;
    /** The instrumentations' name patterns; none until {@link #instrument} (then no class is a candidate). */
    private volatile Prefixes prefixes = new Prefixes(List.of());
    /** Set (or left null) by obs-weaver before {@link #cacheReady} opens. */
    private volatile WeaveCache cache;
    private final CountDownLatch cacheReady = new CountDownLatch(1);
    /** Set by a class that needs the cache before obs-weaver has read it. */
    private volatile boolean cacheWanted;
    /** Null until obs-weaver has built it. */
    private volatile Engine engine;
    private volatile boolean engineWanted;
    private final CountDownLatch engineReady = new CountDownLatch(1);
    private volatile Thread weaverThread;
    /** The java.base classes loaded before premain: retransformed by obs-weaver first. */
    private List<Class<?>> javaBaseLoaded;
    /**
     * The java.base classes loaded before premain whose hooks can wait (the concurrent family's: a task
     * submitted before premain has returned has no span to carry): retransformed by obs-weaver once
     * premain may return, so they add nothing to the start-up the program waits for.
     */
    private List<Class<?>> javaBaseLoadedLater;
    private final CountDownLatch javaBaseWoven = new CountDownLatch(1);
    /** Binary names of candidates that loaded before they could be woven: retransformed by obs-weaver. */
    private final Set<String> deferred = ConcurrentHashMap.newKeySet();

    private Weaver(Instrumentation inst, SetUp javaBaseSetUp, File agentJar) {
        this.inst = inst;
        this.javaBaseSetUp = javaBaseSetUp;
        this.agentJar = agentJar;
    }

    /**
     * The name patterns of a list of instrumentations, in both name forms. Immutable: published whole through
     * {@link #prefixes}.
     */
    private static final class Prefixes {
        /** Prefixes in internal form ({@code com/acme/Repo}), compared with the JVM's class names as given. */
        final String[] internalPrefixes;
        final String[] binaryPrefixes;
        /** Null, or the suffix a {@code prefix*suffix} pattern requires of the simple name after the prefix. */
        final String[] suffixes;

        Prefixes(List<TypeInstrumentation> instrumentations) {
            Set<String> patterns = new LinkedHashSet<>();
            for (TypeInstrumentation ti : instrumentations) {
                patterns.addAll(ti.typeNamePrefixes());
            }
            int n = patterns.size();
            this.binaryPrefixes = new String[n];
            this.internalPrefixes = new String[n];
            this.suffixes = new String[n];
            int i = 0;
            for (String pattern : patterns) {
                // "org.eclipse.jgit.api.*Command": the prefix, then a simple name (no further package) ending so.
                int star = pattern.indexOf('*');
                binaryPrefixes[i] = star < 0 ? pattern : pattern.substring(0, star);
                suffixes[i] = star < 0 ? null : pattern.substring(star + 1);
                internalPrefixes[i] = binaryPrefixes[i].replace('.', '/');
                i++;
            }
        }
    }

    /**
     * Starts obs-weaver, which runs {@code javaBaseSetUp} (what the java.base hooks call, set up off premain's
     * thread), registers the transformer and weaves the java.base classes of the hooks already loaded, while
     * premain goes on with the rest of obs's start (the library instrumentations, handed over later with
     * {@link #instrument}, and the exporter).
     */
    static Weaver start(Instrumentation inst, SetUp javaBaseSetUp) {
        Weaver weaver = new Weaver(inst, javaBaseSetUp, agentJar());
        weaver.start();
        return weaver;
    }

    /** What obs-weaver does first ({@link #start}). */
    interface SetUp {
        /** Sets up what the java.base hooks call and returns the hooks; what it throws stops obs's start. */
        List<JavaBaseHook> hooks();

        /** The weave cache's root, null for none; asked after {@link #hooks}. */
        Path cacheRoot();
    }

    /** obs-weaver: runs the set-up, then lets java.base classes reach the transformer. */
    private void setUpJavaBase() {
        List<JavaBaseHook> hooks;
        try {
            hooks = javaBaseSetUp.hooks();
        } catch (Throwable t) {
            setUpFailure = t;
            throw t;
        } finally {
            setUpDone.countDown();
        }
        cacheRoot = javaBaseSetUp.cacheRoot();
        JavaBaseWeaver weaver = new JavaBaseWeaver(hooks);
        if (cacheRoot != null && !weaver.isEmpty() && agentJar != null) {
            javaBaseCache = JavaBaseCache.of(cacheRoot, agentJar, hooks);
        }
        javaBase = weaver; // after the cache: a thread that finds a class covered finds the cache too
        if (!weaver.isEmpty()) {
            // obs-weaver finds the classes loaded before this point (a walk over every loaded class); a class
            // loaded meanwhile goes through the transformer, and if the walk finds it too, retransforming
            // weaves the same original bytes again
            register();
        }
    }

    /** Adds the transformer, once. */
    private synchronized void register() {
        if (!registered) {
            inst.addTransformer(this, true);
            registered = true;
        }
    }

    /**
     * Returns once obs-weaver has run the set-up given to {@link #start} (premain, before it relies on what the
     * set-up did); throws what the set-up threw, so that obs does not start half set up.
     */
    void awaitSetUp() throws Exception {
        if (!setUpDone.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("obs-weaver did not set up the java.base instrumentation in 30 s");
        }
        Throwable t = setUpFailure;
        if (t instanceof Exception) {
            throw (Exception) t;
        } else if (t instanceof Error) {
            throw (Error) t;
        } else if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Hands over the library instrumentations (premain, once, after {@link #awaitSetUp} and before it returns):
     * from here on a class of theirs is woven as it loads; one loaded before (by obs's start, or a pointcut on
     * a JDK class) is retransformed by obs-weaver.
     */
    void instrument(List<TypeInstrumentation> list) {
        prefixes = new Prefixes(list);
        instrumentations = list;
        if (!list.isEmpty()) {
            register();
        }
        instrumentationsGiven.countDown();
    }

    /**
     * The JVM's loaded classes, or none once it has begun to die: JVMTI then answers "wrong phase" and
     * {@code getAllLoadedClasses} returns null. A short program can end while obs-weaver still walks them;
     * there is nothing left to weave then, and nothing to say.
     */
    static Class<?>[] loadedClasses(Instrumentation inst) {
        Class<?>[] all = inst.getAllLoadedClasses();
        return all == null ? new Class<?>[0] : all;
    }

    /** obs-weaver: the java.base classes loaded before the transformer went in (see {@link #start}). */
    private void findLoadedJavaBase() {
        List<Class<?>> loaded = new ArrayList<>();
        List<Class<?>> loadedLater = new ArrayList<>();
        for (Class<?> c : loadedClasses(inst)) {
            String name = c.getName();
            if (javaBase.coversLoaded(name)) {
                (javaBase.retransformAfterPremain(name) ? loadedLater : loaded).add(c);
            }
        }
        javaBaseLoaded = loaded;
        javaBaseLoadedLater = loadedLater;
    }

    /**
     * obs-weaver: the candidates loaded before {@link #instrument} published their patterns, to retransform.
     * A class loaded after goes through the transformer; one found by both is woven twice from the same bytes.
     */
    private void findLoadedCandidates() {
        for (Class<?> c : loadedClasses(inst)) {
            String name = c.getName();
            if (isLoadedCandidate(name)) {
                deferred.add(name);
            }
        }
    }

    /**
     * Returns once the java.base classes loaded before premain are woven: obs-weaver does it while premain
     * goes on with the rest of obs's start (the ASM classes load and run interpreted there, on the other
     * core), and premain calls this last, so they are woven before {@code main} starts.
     */
    void awaitJavaBase() throws InterruptedException {
        if (!javaBaseWoven.await(30, TimeUnit.SECONDS)) {
            System.err.println("obs: the JDK's file and process classes are not woven yet, 30 s after start");
        }
    }

    /**
     * Writes what was woven and not yet written (at exit: classes loaded last would otherwise be woven again
     * by the next run). Obs's shutdown hook only.
     */
    void persistCache() {
        WeaveCache c = cache;
        if (c != null) {
            c.persistPending();
        }
        if (javaBaseCache != null) {
            javaBaseCache.persist();
        }
    }

    /** obs.jar, or null when obs does not run from a jar file (then no cache is used). */
    private static File agentJar() {
        try {
            File jar = new File(Weaver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.isFile() ? jar : null;
        } catch (Exception | LinkageError e) {
            return null;
        }
    }

    /** The same test on a binary name ({@code com.acme.Repo}), without converting it. */
    boolean isLoadedCandidate(String binaryName) {
        Prefixes p = prefixes;
        String[] binaryPrefixes = p.binaryPrefixes;
        for (int i = 0; i < binaryPrefixes.length; i++) {
            if (binaryName.startsWith(binaryPrefixes[i]) && suffixMatches(p, binaryName, i, '.')) {
                return true;
            }
        }
        return false;
    }

    boolean isCandidate(String internalName) {
        if (internalName == null) {
            return false;
        }
        Prefixes p = prefixes;
        String[] internalPrefixes = p.internalPrefixes;
        for (int i = 0; i < internalPrefixes.length; i++) {
            if (internalName.startsWith(internalPrefixes[i]) && suffixMatches(p, internalName, i, '/')) {
                return true;
            }
        }
        return false;
    }

    private static boolean suffixMatches(Prefixes p, String name, int i, char separator) {
        String suffix = p.suffixes[i];
        return suffix == null
                || name.endsWith(suffix) && name.indexOf(separator, p.binaryPrefixes[i].length()) < 0;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain domain, byte[] classfileBuffer) {
        if (loader == null && javaBase.covers(className)) {
            return weaveJavaBase(className, classfileBuffer);
        }
        if (!isCandidate(className)) {
            return null;
        }
        try {
            String name = className.replace('/', '.');
            if (Thread.currentThread() == weaverThread && cacheReady.getCount() > 0) {
                // loaded by obs-weaver's own cache reading (a pointcut on a JDK class): woven in the first
                // sweep, from the cache when it has it, instead of asking for the engine before it is read
                deferred.add(name);
                return null;
            }
            WeaveCache c = awaitCache();
            if (c != null) {
                byte[] cached = c.lookup(name, classfileBuffer);
                if (cached != WeaveCache.MISS) {
                    return cached;
                }
            }
            Engine e = engine;
            if (e == null) {
                e = awaitEngine();
            }
            if (e == null) {
                deferred.add(name);
                return null;
            }
            byte[] woven;
            boolean wasSuppressed = Recorder.beginObsWork(); // the class files Byte Buddy reads are obs's I/O
            try {
                woven = e.weave(loader, name, classfileBuffer);
            } finally {
                Recorder.endObsWork(wasSuppressed);
            }
            if (c != null) {
                c.remember(name, classfileBuffer, woven);
                LockSupport.unpark(weaverThread);
            }
            return woven;
        } catch (Throwable t) {
            // Never let a weaving problem reach the class being loaded: it loads unchanged.
            return null;
        }
    }

    private byte[] weaveJavaBase(String className, byte[] classfileBuffer) {
        boolean wasSuppressed = Recorder.beginObsWork();
        try {
            JavaBaseCache c = javaBaseCache;
            if (c == null) {
                return javaBase.weave(className, classfileBuffer);
            }
            byte[] cached = c.lookup(className, classfileBuffer);
            if (cached != JavaBaseCache.MISS) {
                return cached;
            }
            byte[] woven = javaBase.weave(className, classfileBuffer);
            c.remember(className, classfileBuffer, woven);
            return woven;
        } catch (Throwable t) {
            // Never let a weaving problem reach the class being loaded: it loads unchanged.
            System.err.println("obs: " + className.replace('/', '.') + " not instrumented, its calls are not recorded: "
                    + t);
            return null;
        } finally {
            Recorder.endObsWork(wasSuppressed);
        }
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain domain, byte[] classfileBuffer) {
        return transform(null, loader, className, classBeingRedefined, domain, classfileBuffer);
    }

    /**
     * The cache once obs-weaver has read it (asked for here if it has not: see {@link #awaitCacheWanted}); null
     * when there is none.
     */
    private WeaveCache awaitCache() throws InterruptedException {
        if (Thread.currentThread() != weaverThread) {
            if (cacheReady.getCount() > 0) {
                cacheWanted = true;
                LockSupport.unpark(weaverThread);
            }
            cacheReady.await(30, TimeUnit.SECONDS);
        }
        return cache;
    }

    /**
     * obs-weaver: parks until a class asks for the cache ({@link #awaitCache}) or {@link #CACHE_OPEN_DELAY_NANOS}
     * have passed. The flag is set before the unpark, so a request is never missed.
     */
    private void awaitCacheWanted() {
        long until = System.nanoTime() + CACHE_OPEN_DELAY_NANOS;
        long left;
        while (!cacheWanted && (left = until - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, left);
        }
    }

    /** Asks obs-weaver for the engine and waits; null on obs-weaver itself (it must not wait for itself). */
    private Engine awaitEngine() throws InterruptedException {
        engineWanted = true;
        if (Thread.currentThread() == weaverThread) {
            return null;
        }
        LockSupport.unpark(weaverThread);
        engineReady.await(30, TimeUnit.SECONDS);
        return engine;
    }

    private void start() {
        Thread t = new Thread("obs-weaver") {
            @Override
            public void run() {
                Recorder.suppressCurrentThread();
                try {
                    work();
                } catch (Throwable e) {
                    if (e != setUpFailure) { // premain says that one (awaitSetUp)
                        System.err.println("obs: instrumentation not installed: " + e);
                    }
                } finally {
                    setUpDone.countDown();
                    javaBaseWoven.countDown();
                    cacheReady.countDown();
                    engineReady.countDown();
                }
            }
        };
        t.setDaemon(true);
        weaverThread = t;
        t.start();
    }

    /**
     * obs-weaver: sets up and weaves the java.base classes loaded before premain; then, when there are Byte Buddy
     * instrumentations, opens the cache, builds the engine when a class needs it, retransforms deferred
     * classes, writes what was woven, and parks until an application thread has something for it.
     */
    private void work() throws InterruptedException {
        setUpJavaBase();
        findLoadedJavaBase();
        if (javaBaseCache != null) {
            javaBaseCache.load();
        }
        retransform(javaBaseLoaded);
        javaBaseLoaded = null;
        javaBaseWoven.countDown();
        retransform(javaBaseLoadedLater);
        javaBaseLoadedLater = null;
        // What this run wove of java.base is written a little later (or by the shutdown hook, whichever comes
        // first), not now: right after premain the application's first work competes for the CPU with obs's,
        // and a program's first file operation slowed past obs.fs.slow.threshold becomes a span to export.
        long javaBasePersistAt = System.nanoTime() + JAVA_BASE_PERSIST_DELAY_NANOS;
        instrumentationsGiven.await();
        List<TypeInstrumentation> instrumentations = this.instrumentations;
        if (instrumentations.isEmpty()) {
            return; // the shutdown hook writes it
        }
        findLoadedCandidates();
        if (deferred.isEmpty()) {
            // Nothing to weave yet: the cache is read when a class first asks for it, or a little later. Reading
            // it right after premain competed with the program's first work; one that ends sooner, having
            // loaded no class to weave, never reads it.
            awaitCacheWanted();
        }
        WeaveCache c = openCache(instrumentations);
        cache = c;
        cacheReady.countDown();
        // The engine is built when a class needs it, never on speculation: a program that loads no class to
        // weave with Byte Buddy (JGit, docker-java, pointcuts) never pays for it, first run or not.
        // Deferred classes are swept at once, and again a little later: a class whose load raced with
        // instrument() may still be completing its definition. Retransforming twice weaves the same bytes.
        long[] sweepDelaysMillis = {0, 200, 2000};
        int sweep = 0;
        while (true) {
            if (engineWanted && engine == null) {
                try {
                    engine = new Engine(instrumentations);
                } finally {
                    engineReady.countDown();
                }
                sweep = 0;
            }
            if (c != null) {
                c.persistPending();
            }
            if (sweep < sweepDelaysMillis.length) {
                long delay = sweepDelaysMillis[sweep++];
                if (delay > 0) {
                    // parkNanos, not sleep: a request for the engine (unpark) must not wait out the delay
                    LockSupport.parkNanos(this, delay * 1_000_000L);
                }
                retransformDeferred();
            } else if (!engineWanted || engine != null) {
                LockSupport.park(this);
            }
            if (javaBaseCache != null && System.nanoTime() - javaBasePersistAt >= 0) {
                javaBaseCache.persist(); // nothing to do unless a JDK class was woven since
            }
        }
    }

    private WeaveCache openCache(List<TypeInstrumentation> instrumentations) {
        if (cacheRoot == null || agentJar == null) {
            return null;
        }
        try {
            return WeaveCache.open(cacheRoot, WeaveCache.fingerprint(agentJar.toPath(), settings(instrumentations)));
        } catch (Exception | LinkageError e) {
            System.err.println("obs: weave cache " + cacheRoot + " not used (" + e.getMessage() + ")");
            return null;
        }
    }

    /**
     * What decides how a class is woven besides its bytes and obs.jar: the instrumentations in order, with
     * their configuration. Plain strings, so computing it loads nothing of Byte Buddy.
     */
    static String settings(List<TypeInstrumentation> instrumentations) {
        StringBuilder out = new StringBuilder();
        for (TypeInstrumentation ti : instrumentations) {
            out.append(ti.getClass().getName()).append(ti.typeNamePrefixes()).append('(')
                    .append(ti.configurationKey()).append(");");
        }
        return out.toString();
    }

    private void retransformDeferred() {
        if (deferred.isEmpty()) {
            return;
        }
        List<Class<?>> classes = new ArrayList<>();
        for (Class<?> c : loadedClasses(inst)) {
            if (deferred.remove(c.getName()) && inst.isModifiableClass(c)) {
                classes.add(c);
            }
        }
        retransform(classes);
    }

    /** Retransforms already loaded classes (obs-weaver only); a failure leaves them as they are, said once. */
    private void retransform(List<Class<?>> classes) {
        if (classes.isEmpty()) {
            return;
        }
        try {
            inst.retransformClasses(classes.toArray(new Class<?>[0]));
        } catch (Exception | LinkageError e) {
            System.err.println("obs: could not instrument already loaded classes " + classes
                    + ", their calls are not recorded: " + e);
        }
    }

    /**
     * Byte Buddy's part, built on obs-weaver. Advice is applied as an ASM visitor over the class file the
     * JVM hands over ({@code ClassReader -> Advice -> ClassWriter}, methods without advice copied as they
     * are); nothing is injected and no class is loaded. Byte Buddy's {@code redefine} pipeline and its
     * AgentBuilder are not used: the first weaves three to four times as much cold code through redefine
     * (method graphs, registries, a second parse), and AgentBuilder's set-up touches
     * {@code sun.misc.Unsafe}, which makes JDK 24+ print a warning on the application's stderr.
     */
    static final class Engine {
        private static final AuxiliaryType.NamingStrategy NO_AUXILIARY_TYPES =
                new AuxiliaryType.NamingStrategy.Suffixing("obs");
        private final List<TypeInstrumentation> instrumentations;
        private final ClassFileLocator adviceLocator;
        private final TypePool advicePool;
        private final Map<String, Advice> advice = new ConcurrentHashMap<>();
        /** {@link HelperDispatch#bootstrap}, described from its class file. */
        private final MethodDescription.InDefinedShape dispatchBootstrap;

        Engine(List<TypeInstrumentation> instrumentations) {
            this.instrumentations = instrumentations;
            this.adviceLocator = ClassFileLocator.ForClassLoader.of(Weaver.class.getClassLoader());
            this.advicePool = TypePool.Default.of(adviceLocator);
            this.dispatchBootstrap = advicePool.describe(HelperDispatch.class.getName()).resolve()
                    .getDeclaredMethods().filter(ElementMatchers.named("bootstrap")).getOnly();
            warmUp();
        }

        /**
         * Describes every advice and weaves one small class of ours (result discarded), so the classes and
         * code paths of a weave are loaded before the first real candidate arrives.
         */
        private void warmUp() {
            for (TypeInstrumentation ti : instrumentations) {
                ti.transform((methods, enter, exit) -> advice(enter, exit));
            }
            String sample = WarmUpSample.class.getName();
            String methodSpanAdvice = "dev.obs.instrumentation.methods.MethodSpanInstrumentation$MethodSpanAdvice";
            AsmVisitorWrapper.ForDeclaredMethods visitor = new AsmVisitorWrapper.ForDeclaredMethods()
                    .method(ElementMatchers.named("run"), advice(methodSpanAdvice, methodSpanAdvice));
            try {
                byte[] classFile = adviceLocator.locate(sample).resolve();
                apply(advicePool.describe(sample).resolve(), advicePool, visitor, classFile);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("warm-up class not readable", e);
            }
        }

        /** The woven class file, or null when no instrumentation matches the type or any of its methods. */
        byte[] weave(ClassLoader loader, String name, byte[] classFile) {
            ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, classFile),
                    loader == null ? ClassFileLocator.ForClassLoader.ofBootLoader()
                            : ClassFileLocator.ForClassLoader.of(loader));
            TypePool pool = TypePool.Default.WithLazyResolution.of(locator);
            TypeDescription type = pool.describe(name).resolve();
            AsmVisitorWrapper.ForDeclaredMethods visitor = new AsmVisitorWrapper.ForDeclaredMethods();
            boolean matched = false;
            MethodList<MethodDescription.InDefinedShape> methods = type.getDeclaredMethods();
            for (TypeInstrumentation ti : instrumentations) {
                if (!namedBy(ti, name)) {
                    continue; // another family's class: its matchers never see it
                }
                List<Map.Entry<ElementMatcher<? super MethodDescription>, Advice>> woven = new ArrayList<>();
                try {
                    if (ti.typeMatcher().matches(type)) {
                        ti.transform((matcher, enter, exit) -> {
                            // An abstract base class (GitCommand) matches the type but none of its methods.
                            if (!methods.filter(matcher).isEmpty()) {
                                woven.add(Map.entry(matcher, advice(enter, exit)));
                            }
                        });
                    }
                } catch (RuntimeException | LinkageError e) {
                    // A matcher that cannot decide (a super type with no class file to describe, such as an
                    // interface another agent generated in memory and added) leaves the class to the others.
                    continue;
                }
                for (Map.Entry<ElementMatcher<? super MethodDescription>, Advice> w : woven) {
                    visitor = visitor.method(w.getKey(), w.getValue());
                    matched = true;
                }
            }
            return matched ? apply(type, pool, visitor, classFile) : null;
        }

        /** Whether {@code binaryName} passes one of the instrumentation's own name filters. */
        private static boolean namedBy(TypeInstrumentation ti, String binaryName) {
            for (String pattern : ti.typeNamePrefixes()) {
                int star = pattern.indexOf('*');
                if (star < 0 ? binaryName.startsWith(pattern)
                        : binaryName.startsWith(pattern.substring(0, star))
                        && binaryName.endsWith(pattern.substring(star + 1))
                        && binaryName.indexOf('.', star) < 0) {
                    return true;
                }
            }
            return false;
        }

        private static byte[] apply(TypeDescription type, TypePool pool, AsmVisitorWrapper.ForDeclaredMethods visitor,
                                    byte[] classFile) {
            ClassReader reader = new ClassReader(classFile);
            int writerFlags = visitor.mergeWriter(0);
            int readerFlags = visitor.mergeReader(0);
            ClassWriter writer = new ClassWriter(reader, writerFlags);
            ClassFileVersion version = ClassFileVersion.ofClassFile(classFile);
            Implementation.Context.ExtractableView context = Implementation.Context.Disabled.Factory.INSTANCE
                    .make(type, NO_AUXILIARY_TYPES, TypeInitializer.None.INSTANCE, version, version);
            reader.accept(visitor.wrap(type, writer, context, pool, type.getDeclaredFields(),
                    type.getDeclaredMethods(), writerFlags, readerFlags), readerFlags);
            return writer.toByteArray();
        }

        /**
         * The advice of these classes, described from their class files once and kept. Advice marked
         * {@code inline = false} (library families) is called through {@code invokedynamic} linked by
         * {@link HelperDispatch#bootstrap}, with the advice class's name as the one bootstrap argument;
         * inlined advice (java.base families, pointcuts) is copied into the woven method as before.
         */
        private Advice advice(String enterClass, String exitClass) {
            return advice.computeIfAbsent(enterClass + "|" + exitClass, key -> {
                Advice.WithCustomMapping mapping = Advice.withCustomMapping().bootstrap(dispatchBootstrap,
                        ADVICE_CLASS_NAME_ARGUMENT);
                return enterClass.equals(exitClass)
                        ? mapping.to(advicePool.describe(enterClass).resolve(), adviceLocator)
                        : mapping.to(advicePool.describe(enterClass).resolve(),
                                advicePool.describe(exitClass).resolve(), adviceLocator);
            });
        }

        /** The one static argument of a dispatched advice call site: the advice class's binary name. */
        private static final Advice.BootstrapArgumentResolver.Factory ADVICE_CLASS_NAME_ARGUMENT =
                (adviceMethod, exit) -> (instrumentedType, instrumentedMethod) ->
                        List.of(JavaConstant.Simple.ofLoaded(adviceMethod.getDeclaringType().getName()));
    }
}
