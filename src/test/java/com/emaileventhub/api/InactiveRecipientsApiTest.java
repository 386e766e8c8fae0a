package com.emaileventhub.api;

import com.emaileventhub.support.Figures;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.Hub;
import com.emaileventhub.destination.DeliveryFixtures;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.emaileventhub.store.DeliveryQueue;
import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.TestDatabases;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** GET /api/recipients/inactive on each database: who is inactive, who is not, paging, bad parameters. */
@ParameterizedClass
@EnumSource(TestDatabases.Kind.class)
class InactiveRecipientsApiTest {
    @Parameter
    TestDatabases.Kind kind;
    private DeliveryFixtures.Running running;
    private Hub hub;
    private final Instant now = Instant.now();

    @BeforeEach
    void start() throws Exception {
        running = DeliveryFixtures.startOn(kind);
        hub = running.hub();
    }

    @AfterEach
    void stop() {
        running.close();
    }

    @Test
    void lists_delivered_recipients_without_human_engagement_who_are_not_suppressed_a_page_at_a_time() {
        List<CanonicalEvent> events = new ArrayList<>();
        for (String r : List.of("quiet1", "quiet2", "quiet3", "clicker", "opener", "robot", "suppressed", "old")) {
            int daysAgo = r.equals("old") ? 120 : 10;
            events.add(event(r + "@example.com", "m-" + r, EventType.DELIVERED, daysAgo, false));
        }
        events.add(event("clicker@example.com", "m-clicker", EventType.CLICKED, 9, false));
        events.add(event("opener@example.com", "m-opener", EventType.OPENED, 9, false));
        events.add(event("robot@example.com", "m-robot", EventType.OPENED, 9, true));   // a machine open is no engagement
        events.add(event("never@example.com", "m-never", EventType.BOUNCED, 10, false));   // never delivered
        DeliveryFixtures.store(hub.database(), events);
        DeliveryQueue queue = new DeliveryQueue(hub.database());
        await().atMost(30, TimeUnit.SECONDS).until(() -> Figures.counted(hub.database()));
        var added = HubRunner.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + DeliveryFixtures.port(hub)
                        + "/api/suppressions")).header("Authorization", "Bearer " + DeliveryFixtures.TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"suppressed@example.com\"}")).build());
        assertThat(added.statusCode()).isEqualTo(201);

        JsonNode first = get("/api/recipients/inactive?since=P90D&limit=2");
        assertThat(emails(first)).containsExactly("quiet1@example.com", "quiet2@example.com");
        assertThat(first.path("recipients").get(0).path("delivered").asLong()).isEqualTo(1);
        JsonNode second = get("/api/recipients/inactive?since=P90D&limit=2&cursor=" + first.path("next_cursor").asText());
        assertThat(emails(second)).containsExactly("quiet3@example.com", "robot@example.com");
        assertThat(second.path("next_cursor").isNull()).isTrue();   // nothing after robot@
        assertThat(emails(get("/api/recipients/inactive?cursor=quiet3@example.com"))).containsExactly("robot@example.com");
        assertThat(emails(get("/api/recipients/inactive?since=P200D"))).contains("old@example.com");

        var bad = DeliveryFixtures.call(hub, "GET", "/api/recipients/inactive?since=ninety");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("parameter since");
        assertThat(DeliveryFixtures.call(hub, "GET", "/api/recipients/inactive?sinse=P90D").body())
                .contains("parameter sinse: unknown");
    }

    private JsonNode get(String path) {
        return DeliveryFixtures.json(hub, path);
    }

    private static List<String> emails(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.path("recipients").forEach(r -> out.add(r.path("recipient").asText()));
        return out;
    }

    private CanonicalEvent event(String recipient, String message, EventType type, int daysAgo, boolean machine) {
        Instant at = now.minus(daysAgo, ChronoUnit.DAYS);
        CanonicalEvent.Builder b = CanonicalEvent.builder("sendgrid").type(type).recipient(recipient)
                .messageId(message).occurredAt(at);
        if (machine) {
            b.machine("apple proxy");
        }
        return b.build(at, at);
    }
}
