package com.emaileventhub.esp.fuzz;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One webhook route as the fuzzer drives it: valid sample payloads, and how the vendor wraps, signs and
 * posts a (possibly hostile) payload with valid credentials.
 */
interface FuzzVendor {
    String name();

    /** Payloads the route accepts as they are (JSON text). */
    List<String> samples();

    /** The media types the vendor route accepts. */
    List<String> mediaTypes();

    /**
     * The request for {@code payload}, authenticated. {@code wire} alters the bytes that travel: before signing
     * where the signature covers the body (so the hub sees an authentic hostile body), after it where the
     * signature lives inside the body (Mailgun, SES).
     */
    WireRequest request(byte[] payload, UnaryOperator<byte[]> wire);

    /** The same payload with its signature or credentials left out (where the vendor puts them). */
    WireRequest unsigned(byte[] payload);

    /** What is posted: media type (null: no Content-Type), body, extra headers. */
    record WireRequest(String contentType, byte[] body, Map<String, String> headers) {
        WireRequest withContentType(String value) {
            return new WireRequest(value, body, headers);
        }
    }
}
