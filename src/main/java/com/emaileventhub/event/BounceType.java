package com.emaileventhub.event;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Hard (permanent) or soft (everything else reported as a bounce); only set on BOUNCED events. */
public enum BounceType {
    HARD, SOFT;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return wireName();
    }
}
