package com.emaileventhub.store;

import com.emaileventhub.event.EventIds;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The clicked links and bounce reasons of one send: per link (the URL without query string and fragment) its human
 * and machine clicks, and its bounce reasons (reason key and bounce type, '' for none, to the reason text).
 */
final class SendDetails {
    final Map<String, long[]> clicks = new LinkedHashMap<>();
    final Map<List<String>, String> bounces = new LinkedHashMap<>();

    void click(String url, long human, long machine) {
        long[] n = clicks.computeIfAbsent(url, k -> new long[2]);
        n[0] += human;
        n[1] += machine;
    }

    void bounce(String reason, String bounceType) {
        bounces.putIfAbsent(List.of(reason == null ? "" : EventIds.hash(reason), bounceType == null ? "" : bounceType),
                reason);
    }

    /** These details with another's added. */
    SendDetails plus(SendDetails other) {
        SendDetails out = new SendDetails();
        for (SendDetails d : List.of(this, other)) {
            d.clicks.forEach((url, n) -> out.click(url, n[0], n[1]));
            d.bounces.forEach(out.bounces::putIfAbsent);
        }
        return out;
    }

    boolean isEmpty() {
        return clicks.isEmpty() && bounces.isEmpty();
    }
}
