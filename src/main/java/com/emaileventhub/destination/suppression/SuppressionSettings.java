package com.emaileventhub.destination.suppression;

import com.emaileventhub.config.HubConfig;
import java.time.Duration;

/**
 * The hub.suppression.* keys, parsed once; every default is in application.properties.
 *
 * @param softBounceThreshold soft bounces within the window that suppress an address
 * @param softBounceWindow    the width of that window
 * @param forwarding          whether new suppressions are queued for hub.suppression.forward-url
 */
public record SuppressionSettings(int softBounceThreshold, Duration softBounceWindow, boolean forwarding) {

    public static SuppressionSettings from(HubConfig config) {
        return new SuppressionSettings(config.integer("hub.suppression.soft-bounce-threshold"),
                config.duration("hub.suppression.soft-bounce-window"),
                config.url("hub.suppression.forward-url") != null);
    }
}
