package com.emaileventhub;

import java.util.Map;

/** java -jar target/email-event-hub.jar */
public final class HubApp {
    private HubApp() {
    }

    public static void main(String[] args) throws Exception {
        HubConfig config;
        try {
            config = HubConfig.load(Map.of());
        } catch (IllegalArgumentException e) {
            System.err.println("Email Event Hub cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        new Hub(config).run();
    }
}
