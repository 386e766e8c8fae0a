package com.emaileventhub.intake;

import com.emaileventhub.event.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
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
            } catch (Json.NumberOutOfRange e) {
                throw WebhookRejection.badRequest(e.getMessage());
            } catch (JsonProcessingException e) {
                var loc = e.getLocation();
                throw WebhookRejection.badRequest("malformed JSON" + (loc == null ? "" :
                        " at line " + loc.getLineNr() + ", column " + loc.getColumnNr()) + ": " + e.getOriginalMessage());
            }
        }
        return json;
    }

    /** The body as application/x-www-form-urlencoded fields, decoded as UTF-8 (whatever the Content-Type says). */
    public Map<String, List<String>> form() {
        if (form == null) {
            Map<String, List<String>> fields = new LinkedHashMap<>();
            String text = new String(body, StandardCharsets.UTF_8);
            if (!text.isBlank()) {
                for (String pair : text.split("&")) {
                    if (pair.isEmpty()) {
                        continue;
                    }
                    int eq = pair.indexOf('=');
                    try {
                        String name = URLDecoder.decode(eq >= 0 ? pair.substring(0, eq) : pair, StandardCharsets.UTF_8);
                        String value = eq >= 0 ? URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8) : "";
                        fields.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                    } catch (IllegalArgumentException e) {
                        throw WebhookRejection.badRequest("malformed form encoding");
                    }
                }
            }
            form = fields;
        }
        return form;
    }

    /** A single-use token (Mailgun) the journal records in the same transaction as the events. */
    public void replayToken(String token) {
        this.replayToken = token;
    }

    public String replayToken() {
        return replayToken;
    }
}
