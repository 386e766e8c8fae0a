package com.emaileventhub.store;

import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Sends;
import java.util.Set;
import java.util.TreeSet;

/** What the figures know of one send (a row of insight_send), and how an event changes it. */
public final class SendState {
    final String esp;
    final String sendKey;
    final String recipient;
    long sentAt;
    int flags;
    /** opens, clicks, machine opens, machine clicks, events. */
    final int[] counts = new int[5];
    final Set<String> tags = new TreeSet<>();
    Long deliveredAt;
    long lastEventAt;

    SendState(String esp, String sendKey, String recipient, long sentAt) {
        this.esp = esp;
        this.sendKey = sendKey;
        this.recipient = recipient;
        this.sentAt = sentAt;
        this.lastEventAt = sentAt;
    }

    static String id(String esp, String sendKey, String recipient) {
        return esp + '\n' + sendKey + '\n' + recipient;
    }

    String id() {
        return id(esp, sendKey, recipient);
    }

    String domain() {
        return Sends.recipientDomain(recipient);
    }

    SendState copy() {
        SendState c = new SendState(esp, sendKey, recipient, sentAt);
        c.flags = flags;
        System.arraycopy(counts, 0, c.counts, 0, counts.length);
        c.tags.addAll(tags);
        c.deliveredAt = deliveredAt;
        c.lastEventAt = lastEventAt;
        return c;
    }

    void apply(CanonicalEvent e) {
        long at = e.occurredAt().toEpochMilli();
        sentAt = Math.min(sentAt, at);
        lastEventAt = Math.max(lastEventAt, at);
        flags |= InsightCounts.flag(e);
        if (e.type() == EventType.DELIVERED && (deliveredAt == null || at < deliveredAt)) {
            deliveredAt = at;
        }
        long[] v = new long[InsightCounts.SIZE];
        InsightCounts.addEvent(v, e.type(), e.machine());
        for (int i = 0; i < counts.length; i++) {
            counts[i] += (int) v[InsightCounts.OPENS + i];
        }
        tags.addAll(e.tags());
    }

    long[] vector() {
        return InsightCounts.ofSend(flags, counts);
    }
}
