package com.emaileventhub.destination.crm;

import com.emaileventhub.config.HubConfig;
import com.emaileventhub.event.Timestamps;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Salesforce field names the hub writes ({@code hub.crm.field.*}); an empty name turns that
 * field off, for orgs that lack it. Values are absolute, so a write can be repeated safely.
 */
final class CrmFields {
    private final String optedOut;
    private final String bouncedDate;
    private final String bouncedReason;
    private final String lastOpened;
    private final String lastClicked;
    private final String opens;
    private final String clicks;
    private final String lastEvent;
    private final String lastEventAt;

    CrmFields(HubConfig config) {
        optedOut = name(config, "opted-out", "HasOptedOutOfEmail");
        bouncedDate = name(config, "bounced-date", "EmailBouncedDate");
        bouncedReason = name(config, "bounced-reason", "EmailBouncedReason");
        lastOpened = name(config, "last-opened", "Email_Last_Opened__c");
        lastClicked = name(config, "last-clicked", "Email_Last_Clicked__c");
        opens = name(config, "opens", "Email_Opens__c");
        clicks = name(config, "clicks", "Email_Clicks__c");
        lastEvent = name(config, "last-event", "Email_Last_Event__c");
        lastEventAt = name(config, "last-event-at", "Email_Last_Event_At__c");
    }

    private static String name(HubConfig config, String key, String defaultName) {
        String full = "hub.crm.field." + key;
        // present but blank = switched off; absent = the documented default
        if (config.asMap().containsKey(full) && config.get(full) == null) {
            return null;
        }
        return config.get(full, defaultName);
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
