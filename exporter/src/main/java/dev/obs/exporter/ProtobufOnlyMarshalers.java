package dev.obs.exporter;

import io.opentelemetry.context.internal.shaded.WeakConcurrentMap;
import io.opentelemetry.exporter.internal.marshal.Marshaler;
import io.opentelemetry.exporter.internal.marshal.MarshalerUtil;
import io.opentelemetry.exporter.internal.otlp.InstrumentationScopeMarshaler;
import io.opentelemetry.exporter.internal.otlp.KeyValueMarshaler;
import io.opentelemetry.exporter.internal.otlp.ResourceMarshaler;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;

/**
 * Keeps the SDK from writing JSON that no destination sends.
 *
 * <p>The SDK's OTLP marshalers serialize a resource and an instrumentation scope once and keep the bytes,
 * cached by identity ({@code ResourceMarshaler.create}, {@code InstrumentationScopeMarshaler.create}). Because
 * Jackson is in obs.jar (the store writes OTLP/JSON through the same marshalers), they serialize each one as
 * JSON too, for OTLP/JSON: at every run's first export that loads Jackson's generator side (about 30 classes
 * of obs.jar, parsed and verified) and runs it cold, for JSON an OTLP/protobuf export never writes. When no
 * destination writes JSON (no store, no live endpoints), {@link #seed} puts obs's one resource and one scope
 * in those caches first, with the protobuf bytes the SDK's own marshalers make and no JSON.
 *
 * <p>It reaches into internals of the pinned SDK (1.63.0: the private constructors and caches of those two
 * classes). If they are not as expected nothing is seeded and the SDK marshals as it always does;
 * {@code ProtobufOnlyMarshalersTest} fails then, so an SDK upgrade cannot lose this silently. Were a seeded
 * marshaler ever written as JSON, the resource or scope would come out as an empty object, still valid JSON.
 */
final class ProtobufOnlyMarshalers {
    private ProtobufOnlyMarshalers() {
    }

    /** Returns whether both were seeded (false: the SDK is not the one this was written for). */
    static boolean seed(Resource resource, InstrumentationScopeInfo scope) {
        try {
            Marshaler realResource = (Marshaler) declared(nested(ResourceMarshaler.class, "RealResourceMarshaler"),
                    KeyValueMarshaler[].class)
                    .newInstance((Object) KeyValueMarshaler.createForAttributes(resource.getAttributes()));
            Marshaler realScope = (Marshaler) declared(nested(InstrumentationScopeMarshaler.class,
                    "RealInstrumentationScopeMarshaler"), byte[].class, byte[].class, KeyValueMarshaler[].class)
                    .newInstance(MarshalerUtil.toBytes(scope.getName()), MarshalerUtil.toBytes(scope.getVersion()),
                            KeyValueMarshaler.createForAttributes(scope.getAttributes()));
            Object resourceMarshaler = declared(ResourceMarshaler.class, byte[].class, String.class)
                    .newInstance(binary(realResource), "");
            Object scopeMarshaler = declared(InstrumentationScopeMarshaler.class, byte[].class, String.class)
                    .newInstance(binary(realScope), "");
            WeakConcurrentMap<Object, Object> resources = cache(ResourceMarshaler.class, "RESOURCE_MARSHALER_CACHE");
            WeakConcurrentMap<Object, Object> scopes = cache(InstrumentationScopeMarshaler.class,
                    "SCOPE_MARSHALER_CACHE");
            resources.put(resource, resourceMarshaler);
            scopes.put(scope, scopeMarshaler);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | java.io.IOException | LinkageError e) {
            return false;
        }
    }

    private static Class<?> nested(Class<?> outer, String simpleName) throws ClassNotFoundException {
        return Class.forName(outer.getName() + "$" + simpleName, false, outer.getClassLoader());
    }

    private static Constructor<?> declared(Class<?> type, Class<?>... parameters) throws NoSuchMethodException {
        Constructor<?> c = type.getDeclaredConstructor(parameters);
        c.setAccessible(true);
        return c;
    }

    private static byte[] binary(Marshaler m) throws java.io.IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(m.getBinarySerializedSize());
        m.writeBinaryTo(out);
        return out.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static WeakConcurrentMap<Object, Object> cache(Class<?> owner, String field)
            throws ReflectiveOperationException {
        Field f = owner.getDeclaredField(field);
        f.setAccessible(true);
        return (WeakConcurrentMap<Object, Object>) f.get(null);
    }
}
