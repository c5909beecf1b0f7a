package dev.obs.it.harness;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Conversions from OTLP protobuf values to the plain strings and lists the assertions compare against. */
public final class Otlp {
    private Otlp() {
    }

    public static String hex(ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }

    /** Attributes keyed by name; arrays render as {@code [a, b]}, so use {@link #stringList} for those. */
    public static Map<String, String> attributes(List<KeyValue> attributes) {
        Map<String, String> map = new LinkedHashMap<>();
        for (KeyValue kv : attributes) {
            map.put(kv.getKey(), asString(kv.getValue()));
        }
        return map;
    }

    public static AnyValue attributeValue(List<KeyValue> attributes, String key) {
        for (KeyValue kv : attributes) {
            if (kv.getKey().equals(key)) {
                return kv.getValue();
            }
        }
        return null;
    }

    public static String asString(AnyValue value) {
        if (value == null) {
            return null;
        }
        switch (value.getValueCase()) {
            case STRING_VALUE:
                return value.getStringValue();
            case BOOL_VALUE:
                return Boolean.toString(value.getBoolValue());
            case INT_VALUE:
                return Long.toString(value.getIntValue());
            case DOUBLE_VALUE:
                return Double.toString(value.getDoubleValue());
            case ARRAY_VALUE:
                return stringList(value).toString();
            case BYTES_VALUE:
                return hex(value.getBytesValue());
            case KVLIST_VALUE:
                return attributes(value.getKvlistValue().getValuesList()).toString();
            default:
                return "";
        }
    }

    /**
     * An array attribute as its elements; a plain string attribute as a one-element list, so a check does
     * not depend on whether an exporter flattened a list into one string.
     */
    public static List<String> stringList(AnyValue value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        if (value.getValueCase() == AnyValue.ValueCase.ARRAY_VALUE) {
            for (AnyValue element : value.getArrayValue().getValuesList()) {
                out.add(asString(element));
            }
        } else {
            out.add(asString(value));
        }
        return out;
    }
}
