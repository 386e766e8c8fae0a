package com.emaileventhub.webhook;

import com.emaileventhub.event.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One webhook request as verifiers and normalizers see it: the exact raw bytes, the request
 * headers (case-insensitive), the vendor's settings, and when the hub received it. The JSON and
 * form views are parsed lazily, once.
 */
public final class WebhookRequest {
    private final String vendor;
    private final byte[] body;
    private final Map<String, String> headers;
    private final VendorSettings settings;
    private final Instant receivedAt;
    private JsonNode json;
    private Map<String, List<String>> form;
    private String replayToken;

    public WebhookRequest(String vendor, byte[] body, Map<String, String> headers, VendorSettings settings,
                          Instant receivedAt) {
        this.vendor = vendor;
        this.body = body == null ? new byte[0] : body;
        TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            h.putAll(headers);
        }
        this.headers = Collections.unmodifiableMap(h);
        this.settings = settings;
        this.receivedAt = receivedAt;
    }

    public String vendor() { return vendor; }
    public byte[] body() { return body; }
    public VendorSettings settings() { return settings; }
    public Instant receivedAt() { return receivedAt; }
    public Map<String, String> headers() { return headers; }

    public String header(String name) {
        String value = headers.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    public boolean isEmpty() {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    /** The media type without parameters, lower-cased; null when absent. */
    public String mediaType() {
        String ct = header("Content-Type");
        if (ct == null) {
            return null;
        }
        int semi = ct.indexOf(';');
        return (semi >= 0 ? ct.substring(0, semi) : ct).trim().toLowerCase(Locale.ROOT);
    }

    /** 415 unless the Content-Type is one of the given media types (parameters such as charset ignored). */
    public void requireMediaType(String... allowed) {
        String mt = mediaType();
        for (String a : allowed) {
            if (a.equals(mt)) {
                return;
            }
        }
        throw WebhookRejection.unsupportedMediaType(
                "content type " + (mt == null ? "(none)" : "'" + mt + "'") + " is not accepted; expected "
                        + String.join(" or ", allowed));
    }

    /** The body as JSON; 400 naming the line and column when it is not JSON. */
    public JsonNode json() {
        if (json == null) {
            if (isEmpty()) {
                throw WebhookRejection.badRequest("body is empty; expected JSON");
            }
            try {
                json = Json.parse(body);
            } catch (Json.UnsafeJson e) {
                throw WebhookRejection.badRequest(e.getMessage());
            } catch (JsonProcessingException e) {
                var loc = e.getLocation();
                throw WebhookRejection.badRequest("malformed JSON" + (loc == null ? "" :
                        " at line " + loc.getLineNr() + ", column " + loc.getColumnNr()) + ": " + e.getOriginalMessage());
            }
        }
        return json;
    }

    /**
     * The body as application/x-www-form-urlencoded fields, decoded as UTF-8 (whatever the Content-Type says).
     * Strictly: bytes that are not UTF-8, raw or percent-encoded, are a 400, not replacement characters that
     * would turn a corrupted body into a stored, different one.
     */
    public Map<String, List<String>> form() {
        if (form == null) {
            Map<String, List<String>> fields = new LinkedHashMap<>();
            String text = utf8(body);
            if (!text.isBlank()) {
                for (String pair : text.split("&")) {
                    if (pair.isEmpty()) {
                        continue;
                    }
                    int eq = pair.indexOf('=');
                    String name = percentDecoded(eq >= 0 ? pair.substring(0, eq) : pair);
                    String value = eq >= 0 ? percentDecoded(pair.substring(eq + 1)) : "";
                    fields.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                }
            }
            form = fields;
        }
        return form;
    }

    private static String percentDecoded(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        int plain = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%' && c != '+') {
                continue;
            }
            out.writeBytes(s.substring(plain, i).getBytes(StandardCharsets.UTF_8));
            if (c == '+') {
                out.write(' ');
            } else {
                int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (lo < 0) {
                    throw WebhookRejection.badRequest("malformed form encoding: '%' is not followed by two hex digits");
                }
                out.write(hi * 16 + lo);
                i += 2;
            }
            plain = i + 1;
        }
        out.writeBytes(s.substring(plain).getBytes(StandardCharsets.UTF_8));
        return utf8(out.toByteArray());
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw WebhookRejection.badRequest("malformed form encoding: not UTF-8");
        }
    }

    /** A single-use token (Mailgun) the journal records in the same transaction as the events. */
    public void replayToken(String token) {
        this.replayToken = token;
    }

    public String replayToken() {
        return replayToken;
    }
}
