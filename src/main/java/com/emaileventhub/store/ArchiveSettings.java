package com.emaileventhub.store;

import com.emaileventhub.config.HubConfig;
import java.time.Duration;

/**
 * The hub.archive.db.* keys, parsed once; every default is in application.properties.
 *
 * @param url               the archive's own database, or null to archive into the hub's database
 * @param username          its user (null without a database of its own)
 * @param password          its password (empty when none)
 * @param poolSize          its connection pool size
 * @param connectionTimeout how long a connection is waited for (hub.db.connection-timeout, as for the hub's database)
 */
public record ArchiveSettings(String url, String username, String password, int poolSize, Duration connectionTimeout) {

    public static ArchiveSettings from(HubConfig config) {
        String url = config.get("hub.archive.db.url");
        if (url != null && !(url.startsWith("jdbc:h2:") || url.startsWith("jdbc:postgresql:"))) {
            throw HubConfig.invalid("hub.archive.db.url", "must be a jdbc:h2: or jdbc:postgresql: URL");
        }
        // the user matters only for an archive database of its own
        return new ArchiveSettings(url, url == null ? null : config.require("hub.archive.db.username"),
                config.get("hub.archive.db.password", ""), config.integer("hub.archive.db.pool-size"),
                config.duration("hub.db.connection-timeout"));
    }

    @Override
    public String toString() {
        // the password stays out of logs and exception messages
        return "ArchiveSettings[url=" + url + ", username=" + username + ", poolSize=" + poolSize + "]";
    }
}
