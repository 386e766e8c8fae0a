package com.emaileventhub;

import com.emaileventhub.config.HubConfig;
import java.util.Map;

/**
 * Run in a child JVM by ConfigLayeringTest, in a working directory and environment of its own: starts a hub
 * and prints, for each key given, what HubConfig.get answers and what Camel resolves {{key}} to.
 */
final class ConfigViews {
    static final String PREFIX = "VIEW ";

    private ConfigViews() {
    }

    public static void main(String[] keys) throws Exception {
        try (Hub hub = new Hub(HubConfig.load(Map.of())).start()) {
            for (String key : keys) {
                String java = hub.config().get(key);
                String camel = hub.context().resolvePropertyPlaceholders("{{" + key + ":}}");
                System.out.println(PREFIX + key + "=" + (java == null ? "" : java) + "|" + camel);
            }
        }
        System.exit(0);
    }
}
