package com.emaileventhub.destination.crm;

import com.emaileventhub.event.Timestamps;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Salesforce field names the hub writes ({@code hub.crm.field.*}, defaults in application.properties);
 * an empty name turns that field off, for orgs that lack it. Values are absolute, so a write can be repeated safely.
 */
final class CrmFields {
    /** The hub's fields, each written to the Salesforce field named by hub.crm.field.NAME. */
    static final List<String> NAMES = List.of("opted-out", "bounced-date", "bounced-reason", "last-opened",
            "last-clicked", "opens", "clicks", "last-event", "last-event-at");

    private final String optedOut;
    private final String bouncedDate;
    private final String bouncedReason;
    private final String lastOpened;
    private final String lastClicked;
    private final String opens;
    private final String clicks;
    private final String lastEvent;
    private final String lastEventAt;

    /** names: Salesforce field per hub field; a hub field without one is not written. */
    CrmFields(Map<String, String> names) {
        optedOut = names.get("opted-out");
        bouncedDate = names.get("bounced-date");
        bouncedReason = names.get("bounced-reason");
        lastOpened = names.get("last-opened");
        lastClicked = names.get("last-clicked");
        opens = names.get("opens");
        clicks = names.get("clicks");
        lastEvent = names.get("last-event");
        lastEventAt = names.get("last-event-at");
    }

    Map<String, Object> values(Engagement e) {
        Map<String, Object> out = new LinkedHashMap<>();
        put(out, opens, e.opens());
        put(out, clicks, e.clicks());
        put(out, lastOpened, Timestamps.format(e.lastOpened()));
        put(out, lastClicked, Timestamps.format(e.lastClicked()));
        put(out, lastEvent, e.lastEvent());
        put(out, lastEventAt, Timestamps.format(e.lastEventAt()));
        if (e.hardBouncedAt() != null) {
            put(out, bouncedDate, Timestamps.format(e.hardBouncedAt()));
            put(out, bouncedReason, e.hardBounceReason() == null ? "hard bounce" : truncate(e.hardBounceReason(), 255));
        }
        put(out, optedOut, e.optedOut());
        return out;
    }

    private static void put(Map<String, Object> into, String field, Object value) {
        if (field != null && value != null) {
            into.put(field, value);
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
