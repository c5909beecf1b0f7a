package dev.obs.it.harness;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One export request exactly as it arrived, kept so tests can search the bytes for secrets.
 *
 * @param path         HTTP path, or the gRPC method name
 * @param headers      lower-cased header names
 * @param wireBody     the body as sent (possibly gzip-compressed)
 * @param decodedBody  the body after content decoding, i.e. the serialized protobuf message
 * @param status       what the receiver answered (HTTP status; 200 for accepted gRPC calls; 0 when the
 *                     connection was dropped without an answer)
 */
public record RawRequest(String path, Map<String, List<String>> headers, byte[] wireBody, byte[] decodedBody,
                         int status, Instant receivedAt) {

    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : String.join(",", values);
    }

    /** The decoded body as ISO-8859-1 text: every byte maps to one char, so substring searches are exact. */
    public String decodedBodyAsText() {
        return new String(decodedBody, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return path + " -> " + status + " (" + wireBody.length + " bytes, headers " + headers.keySet() + ")";
    }
}
