package com.emaileventhub.esp.declared;

import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.EventType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A declared type mapping, {@code "delivered:delivered,hard_bounce:bounced/hard,open:opened"}: the
 * vendor's type value, a colon, the canonical type and, for bounces, {@code /hard} or {@code /soft}.
 * The last colon of an entry separates the two sides, so vendor values may contain colons.
 */
final class TypeTable {
    record Mapped(EventType type, BounceType bounceType) {
    }

    static final Mapped UNKNOWN = new Mapped(EventType.UNKNOWN, null);

    private final Map<String, Mapped> entries;

    private TypeTable(Map<String, Mapped> entries) {
        this.entries = entries;
    }

    static TypeTable parse(String table) {
        Map<String, Mapped> entries = new LinkedHashMap<>();
        if (table != null) {
            for (String entry : table.split(",")) {
                if (entry.isBlank()) {
                    continue;
                }
                int colon = entry.lastIndexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException("types: entry '" + entry.trim() + "' is not vendorType:canonicalType");
                }
                String vendor = entry.substring(0, colon).trim();
                entries.put(vendor, canonical(entry.substring(colon + 1).trim(), vendor));
            }
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("types: at least one vendorType:canonicalType entry is needed");
        }
        return new TypeTable(Map.copyOf(entries));
    }

    private static Mapped canonical(String value, String vendor) {
        int slash = value.indexOf('/');
        String typeName = slash < 0 ? value : value.substring(0, slash);
        EventType type = EventType.fromWire(typeName);
        if (type == null) {
            throw new IllegalArgumentException("types: '" + typeName + "' (for " + vendor + ") is not a canonical type");
        }
        if (slash < 0) {
            return new Mapped(type, null);
        }
        String bounce = value.substring(slash + 1);
        if (type != EventType.BOUNCED || !(bounce.equals("hard") || bounce.equals("soft"))) {
            throw new IllegalArgumentException("types: '" + value + "' (for " + vendor
                    + "): only bounced takes /hard or /soft");
        }
        return new Mapped(type, bounce.equals("hard") ? BounceType.HARD : BounceType.SOFT);
    }

    /** The canonical type of a vendor value; unknown for anything the table does not list. */
    Mapped map(String vendorType) {
        return vendorType == null ? UNKNOWN : entries.getOrDefault(vendorType, UNKNOWN);
    }
}
