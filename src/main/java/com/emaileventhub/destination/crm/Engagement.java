package com.emaileventhub.destination.crm;

import java.time.Instant;

/**
 * What the hub's journal implies for one recipient: absolute counts and latest times, the latest
 * hard bounce, and the opt-out flag ({@code null}: the hub has no say, leave the CRM value alone).
 */
public record Engagement(long opens, Instant lastOpened, long clicks, Instant lastClicked, String lastEvent,
                         Instant lastEventAt, Instant hardBouncedAt, String hardBounceReason, Boolean optedOut) {
    static final Engagement NONE = new Engagement(0, null, 0, null, null, null, null, null, null);
}
