package com.emaileventhub.destination;

import com.emaileventhub.event.CanonicalEvent;
import java.util.List;

/** Stands before the insight figures in a test route: refuses events of poison recipients, or fails as an outage. */
public class RefusingFigures {
    public volatile boolean refusePoison = true;
    public volatile boolean outage;

    public void check(List<CanonicalEvent> events) {
        if (outage) {
            throw new IllegalStateException("the figures' database is away");
        }
        if (refusePoison && events.stream().anyMatch(e -> e.recipient() != null && e.recipient().startsWith("poison"))) {
            throw new IllegalArgumentException("the figures cannot take a poison event");
        }
    }
}
