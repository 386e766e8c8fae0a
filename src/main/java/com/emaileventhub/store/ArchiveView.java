package com.emaileventhub.store;

import com.emaileventhub.event.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * H2's functions for the hub_archive view ({@code db/archive-journal/h2}): the canonical fields the journal keeps
 * only in its body. H2 can reach into JSON ({@code (body FORMAT JSON)."reason"}) but answers JSON, a string still
 * quoted and escaped; PostgreSQL's view reads the body with {@code ->>} instead. A row's body is parsed once for all
 * its columns: the view asks for nine fields of the same text in a row.
 */
public final class ArchiveView {
    private static final ThreadLocal<Parsed> LAST = new ThreadLocal<>();
    /** A body kept per thread for its row's next column is at most this long (a long one is parsed per column). */
    private static final int KEPT_CHARS = 256 * 1024;

    private record Parsed(String body, JsonNode tree) {
    }

    private ArchiveView() {
    }

    /** HUB_ARCHIVE_TEXT(body, name): the field as text (a string unquoted, anything else as JSON); null if absent. */
    public static String text(String body, String name) throws JsonProcessingException {
        JsonNode value = field(body, name);
        return value == null ? null : value.isTextual() ? value.textValue() : Json.MAPPER.writeValueAsString(value);
    }

    private static JsonNode field(String body, String name) throws JsonProcessingException {
        if (body == null) {
            return null;
        }
        Parsed last = LAST.get();
        // the same String object: H2 hands the row's value to each of its columns' calls
        if (last == null || last.body() != body && !last.body().equals(body)) {
            last = new Parsed(body, Json.MAPPER.readTree(body));
            LAST.set(body.length() <= KEPT_CHARS ? last : null);
        }
        JsonNode value = last.tree().get(name);
        return value == null || value.isNull() ? null : value;
    }
}
