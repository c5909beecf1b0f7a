package dev.obs.instrumentation.maven;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.obs.instrumentation.AdviceApplier;
import dev.obs.instrumentation.TypeInstrumentation;
import java.util.List;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Where the Maven family hooks, chosen for being the same in Maven 3.8.x and 3.9.x and resolver 1.6 to 1.9:
 *
 * <ul>
 *   <li>Maven core: {@code DefaultMaven.execute(MavenExecutionRequest)} (the build, from Maven's own entry
 *       point, project model building included), {@code LifecycleModuleBuilder.buildProject} (one project of the
 *       reactor) and {@code MojoExecutor.execute(session, mojoExecution, ...)}: 5 arguments in 3.8; 3.9 adds a
 *       4-argument one that the 5-argument one and forked executions call, both are woven and the helper
 *       makes one span of the two. The mojo's dependency resolution runs inside it, so it nests.</li>
 *   <li>The resolver's public components: {@code DefaultDependencyCollector.collectDependencies},
 *       {@code DefaultArtifactResolver.resolveArtifacts} (every artifact resolution, also the POMs collection
 *       reads), {@code DefaultMetadataResolver.resolveMetadata}, and {@code DefaultRepositoryEventDispatcher.
 *       dispatch}, through which every {@code RepositoryEvent} goes to the session's listeners: where each
 *       artifact was found, downloaded or missed.</li>
 *   <li>Transfers at the transport SPI: {@code get/put/peek} of every {@code Transporter} (Wagon in 3.8, the
 *       native HTTP transport in 3.9, file), and {@code DefaultTransporterProvider.newTransporter}, which says
 *       which repository each transporter talks to.</li>
 * </ul>
 *
 * <p>Everything else (what the listener's events mean, spans, metrics) is in the helpers of this package,
 * typed against maven-core and the resolver and defined next to Maven's core realm (see
 * {@code dev.obs.bootstrap.HelperDispatch}).
 */
public final class MavenInstrumentation implements TypeInstrumentation {
    static final String PACKAGE = "dev.obs.instrumentation.maven.";
    static final String DEFAULT_MAVEN = "org.apache.maven.DefaultMaven";
    static final String MODULE_BUILDER = "org.apache.maven.lifecycle.internal.LifecycleModuleBuilder";
    static final String MOJO_EXECUTOR = "org.apache.maven.lifecycle.internal.MojoExecutor";
    static final String COLLECTOR = "org.eclipse.aether.internal.impl.collect.DefaultDependencyCollector";
    static final String ARTIFACT_RESOLVER = "org.eclipse.aether.internal.impl.DefaultArtifactResolver";
    static final String METADATA_RESOLVER = "org.eclipse.aether.internal.impl.DefaultMetadataResolver";
    static final String EVENT_DISPATCHER = "org.eclipse.aether.internal.impl.DefaultRepositoryEventDispatcher";
    static final String TRANSPORTER_PROVIDER = "org.eclipse.aether.internal.impl.DefaultTransporterProvider";
    static final String TRANSPORTER = "org.eclipse.aether.spi.connector.transport.Transporter";

    private enum Kind { BUILD, PROJECT, MOJO, COLLECT, ARTIFACTS, METADATA, EVENTS, TRANSPORTER_PROVIDER, TRANSPORT }

    private final String name;
    private final Kind kind;

    private MavenInstrumentation(String name, Kind kind) {
        this.name = name;
        this.kind = kind;
    }

    static List<TypeInstrumentation> all() {
        return List.of(new MavenInstrumentation(DEFAULT_MAVEN, Kind.BUILD),
                new MavenInstrumentation(MODULE_BUILDER, Kind.PROJECT),
                new MavenInstrumentation(MOJO_EXECUTOR, Kind.MOJO),
                new MavenInstrumentation(COLLECTOR, Kind.COLLECT),
                new MavenInstrumentation(ARTIFACT_RESOLVER, Kind.ARTIFACTS),
                new MavenInstrumentation(METADATA_RESOLVER, Kind.METADATA),
                new MavenInstrumentation(EVENT_DISPATCHER, Kind.EVENTS),
                new MavenInstrumentation(TRANSPORTER_PROVIDER, Kind.TRANSPORTER_PROVIDER),
                // the transports of resolver 1.x: the SPI's AbstractTransporter (http, file) and Wagon's
                new MavenInstrumentation("org.eclipse.aether.", Kind.TRANSPORT));
    }

    @Override
    public List<String> typeNamePrefixes() {
        return kind == Kind.TRANSPORT
                ? List.of("org.eclipse.aether.spi.connector.transport.", "org.eclipse.aether.transport.")
                : List.of(name);
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return new Matching().typeMatcher();
    }

    /**
     * {@code hasSuperType(named(TRANSPORTER))}, but a super type that cannot be described is passed over
     * instead of failing the match: an agent attached before obs may add interfaces it generated in memory
     * (the OpenTelemetry agent's virtual-field accessors), which have no class file to read.
     */
    static final class ImplementsTransporter extends ElementMatcher.Junction.AbstractBase<TypeDescription> {
        private static final int MAX_DEPTH = 16;

        @Override
        public boolean matches(TypeDescription type) {
            return reaches(type, 0);
        }

        private static boolean reaches(TypeDefinition type, int depth) {
            if (type == null || depth > MAX_DEPTH) {
                return false;
            }
            try {
                if (type.asErasure().getName().equals(TRANSPORTER)) {
                    return true;
                }
                for (TypeDefinition parent : type.getInterfaces()) {
                    if (reaches(parent, depth + 1)) {
                        return true;
                    }
                }
                return reaches(type.getSuperClass(), depth + 1);
            } catch (RuntimeException e) {
                return false; // this branch of the hierarchy has no class file to read
            }
        }
    }

    @Override
    public void transform(AdviceApplier applier) {
        new Matching().transform(applier);
    }

    /**
     * The matchers, in a class of its own: premain creates this instrumentation, and verifying a class that
     * builds matchers loads Byte Buddy's {@code ElementMatcher} (see {@link TypeInstrumentation}).
     */
    private final class Matching {
        ElementMatcher<TypeDescription> typeMatcher() {
            return kind == Kind.TRANSPORT ? not(isInterface()).and(new ImplementsTransporter()) : named(name);
        }

        void transform(AdviceApplier applier) {
            switch (kind) {
                case BUILD -> applier.applyAdvice(named("execute").and(takesArguments(1))
                        .and(takesArgument(0, named("org.apache.maven.execution.MavenExecutionRequest"))),
                        PACKAGE + "BuildAdvice");
                case PROJECT -> applier.applyAdvice(named("buildProject").and(takesArguments(5))
                        .and(takesArgument(3, named("org.apache.maven.project.MavenProject"))), PACKAGE + "ProjectAdvice");
                case MOJO -> applier.applyAdvice(named("execute").and(takesArguments(4).or(takesArguments(5)))
                        .and(takesArgument(1, named("org.apache.maven.plugin.MojoExecution"))), PACKAGE + "MojoAdvice");
                case COLLECT -> applier.applyAdvice(named("collectDependencies").and(takesArguments(2)),
                        PACKAGE + "CollectAdvice");
                case ARTIFACTS -> applier.applyAdvice(named("resolveArtifacts").and(takesArguments(2)),
                        PACKAGE + "ArtifactsAdvice");
                case METADATA -> applier.applyAdvice(named("resolveMetadata").and(takesArguments(2)),
                        PACKAGE + "MetadataAdvice");
                case EVENTS -> applier.applyAdvice(named("dispatch").and(takesArguments(1))
                        .and(takesArgument(0, named("org.eclipse.aether.RepositoryEvent"))), PACKAGE + "RepositoryEventAdvice");
                case TRANSPORTER_PROVIDER -> applier.applyAdvice(named("newTransporter").and(takesArguments(2)),
                        PACKAGE + "TransporterCreatedAdvice");
                case TRANSPORT -> applier.applyAdvice(named("get").or(named("put")).or(named("peek"))
                        .and(takesArguments(1)).and(not(isAbstract()))
                        .and(takesArgument(0, nameStartsWith("org.eclipse.aether.spi.connector.transport."))),
                        PACKAGE + "TransferAdvice");
            }
        }
    }
}
