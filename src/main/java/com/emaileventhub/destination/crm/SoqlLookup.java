package com.emaileventhub.destination.crm;

import com.emaileventhub.event.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Batched email lookups: {@code SELECT Id, Email FROM <object> WHERE <filter> AND Email IN (...)}.
 * camel-salesforce sends SOQL in the URL of a GET, so the IN lists are cut by count and by length
 * (Salesforce refuses URLs past 16 KB and recommends far less).
 */
final class SoqlLookup {
    private SoqlLookup() {
    }

    /** Cuts the emails into IN lists within the count and length budgets. */
    static List<List<String>> partition(List<String> emails, int maxPerQuery, int maxChars) {
        List<List<String>> out = new ArrayList<>();
        List<String> part = new ArrayList<>();
        int length = 0;
        for (String email : emails) {
            int add = quote(email).length() + 1;
            if (!part.isEmpty() && (part.size() >= maxPerQuery || length + add > maxChars)) {
                out.add(part);
                part = new ArrayList<>();
                length = 0;
            }
            part.add(email);
            length += add;
        }
        if (!part.isEmpty()) {
            out.add(part);
        }
        return out;
    }

    static String soql(String object, String filter, List<String> emails) {
        StringBuilder sb = new StringBuilder("SELECT Id, Email FROM ").append(object).append(" WHERE ");
        if (filter != null && !filter.isBlank()) {
            sb.append('(').append(filter).append(") AND ");
        }
        sb.append("Email IN (");
        for (int i = 0; i < emails.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(quote(emails.get(i)));
        }
        return sb.append(')').toString();
    }

    /** A SOQL string literal: backslash and quote escaped (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_quotedstringescapes.htm). */
    static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** Reads a query answer into lower-cased email → Id; the first record per email wins. */
    static Map<String, String> parse(byte[] body) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode records = Json.MAPPER.readTree(body).path("records");
        for (JsonNode r : records) {
            String email = Json.text(r, "Email");
            String id = Json.text(r, "Id");
            if (email != null && id != null) {
                out.putIfAbsent(email.trim().toLowerCase(Locale.ROOT), id);
            }
        }
        return out;
    }

    static boolean complete(byte[] body) throws IOException {
        return Json.MAPPER.readTree(body).path("done").asBoolean(true);
    }
}
