package com.emaileventhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.emaileventhub.config.HubConfig;
import com.emaileventhub.support.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubAppTest {

    @Test
    void a_typo_in_a_declared_vendor_is_one_line_naming_the_file_the_key_and_the_value(@TempDir Path routes) throws IOException {
        Files.createDirectories(routes.resolve("webhooks"));
        Path file = routes.resolve("webhooks/acme.camel.yaml");
        Files.writeString(file, """
                - templatedRoute:
                    routeTemplateRef: esp-declared-intake
                    routeId: webhook-acme
                    parameters:
                      - { name: vendor, value: acme }
                      - { name: verification, value: basic }
                      - { name: type, value: /event }
                      - { name: types, value: "sent:sent,click:clickd" }
                      - { name: recipient, value: /rcpt }
                      - { name: messageId, value: /msg }
                      - { name: timestamp, value: /when }
                      - { name: timestampUnit, value: iso }
                """);
        Hub hub = new Hub(HubConfig.load(Map.of("hub.routes.dir", routes.toString(), "hub.db.url", TestDatabases.h2(),
                "hub.http.port", Integer.toString(AvailablePortFinder.getNextAvailable()))));
        try {
            FailedToCreateRouteException e = catchThrowableOfType(FailedToCreateRouteException.class, hub::start);

            assertThat(HubApp.describe(e, hub.context(), hub.routes())).isEqualTo("file:" + file.toAbsolutePath()
                    + ": route webhook-acme: types: 'clickd' (for click) is not a canonical type");
        } finally {
            hub.close();
        }
    }
}
