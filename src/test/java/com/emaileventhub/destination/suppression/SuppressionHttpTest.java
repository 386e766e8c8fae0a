package com.emaileventhub.destination.suppression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.event.Json;
import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.Postmark;
import com.emaileventhub.support.Rows;
import com.emaileventhub.support.TestDatabases;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The report as a user made it: three Postmark hard bounces for one address, then the suppression API. */
class SuppressionHttpTest {

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void three_hard_bounces_posted_in_quick_succession_suppress_the_address(TestDatabases.Kind kind) throws Exception {
        String url = kind.freshUrl();
        // a poll interval longer than the three posts take puts them in one delivery batch
        try (HubRunner hub = HubRunner.start(Map.of("hub.db.url", url, "hub.db.username", TestDatabases.user(url),
                "hub.esp.postmark.username", Postmark.USER, "hub.esp.postmark.password", Postmark.PASSWORD,
                "hub.delivery.poll-interval", "PT2S"))) {
            for (String messageId : List.of("hb-1", "hb-2", "hb-3")) {
                HttpResponse<String> r = hub.post("/webhooks/postmark", "application/json",
                        Postmark.record("Bounce", "HardBounce", messageId, "Same.Person@example.com"),
                        "Authorization", Postmark.auth());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(Json.MAPPER.readTree(r.body()).get("accepted").asInt()).isEqualTo(1);
            }

            await().atMost(20, TimeUnit.SECONDS)
                    .until(() -> hub.api("/api/suppressions/same.person@example.com").statusCode() == 200);
            JsonNode s = Json.MAPPER.readTree(hub.api("/api/suppressions/same.person@example.com").body());
            assertThat(s.get("email").asText()).isEqualTo("same.person@example.com");
            assertThat(s.get("reason").asText()).isEqualTo("hard_bounce");
            assertThat(s.get("esp").asText()).isEqualTo("postmark");
            assertThat(s.get("first_at").asText()).isEqualTo("2026-03-04T12:50:00.000Z");
            // the suppression list follows the journal: its cursor passed the three events, none retried or dead (the
            // outbox would hold those)
            await().atMost(5, TimeUnit.SECONDS).until(() -> Rows.count(hub.dataSource(), "SELECT COUNT(*) FROM hub_event e "
                    + "JOIN hub_cursor k ON k.name = 'suppression' WHERE e.routes = ',suppression,' "
                    + "AND (e.tx < k.tx OR (e.tx = k.tx AND e.seq <= k.seq))") == 3);
            assertThat(deliveries(hub)).isEmpty();
            assertThat(Json.MAPPER.readTree(hub.api("/api/suppressions").body()).get("suppressions").size()).isEqualTo(1);
        } finally {
            TestDatabases.drop(url);
        }
    }

    private static List<String> deliveries(HubRunner hub) {
        return Rows.strings(hub.dataSource(), "SELECT status || ' ' || attempts FROM hub_delivery "
                + "WHERE destination = 'suppression' ORDER BY status, attempts");
    }
}
