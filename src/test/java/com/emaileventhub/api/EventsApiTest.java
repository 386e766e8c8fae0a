package com.emaileventhub.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.emaileventhub.store.Journal;
import com.emaileventhub.support.HubRunner;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GET /api/events and /api/messages/{id}/events over real HTTP: auth, filters, paging, bad parameters. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventsApiTest {
    private static final Instant T0 = Instant.parse("2026-03-04T12:00:00Z");
    private HubRunner hub;

    @BeforeAll
    void start() {
        hub = HubRunner.start(Map.of());
        Journal journal = hub.hub().context().getRegistry().lookupByNameAndType("journal", Journal.class);
        List<CanonicalEvent> events = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            events.add(CanonicalEvent.builder(i % 2 == 0 ? "sendgrid" : "mailgun")
                    .type(i % 5 == 0 ? EventType.CLICKED : EventType.OPENED)
                    .recipient(i % 10 == 0 ? "Vip@Example.com" : "user" + i + "@example.com")
                    .messageId("msg-" + (i % 25)).url(i % 5 == 0 ? "https://example.com/p?i=" + i : null)
                    .occurredAt(T0.plusSeconds(i / 2)).build(T0, T0));   // pairs share a second: the cursor must break ties
        }
        journal.store("test", null, events, Map.of(), T0);
    }

    @AfterAll
    void stop() {
        hub.close();
    }

    @Test
    void pages_through_every_event_newest_first_without_gaps_or_repeats() throws Exception {
        Set<String> seen = new HashSet<>();
        String cursor = null;
        String previous = "9999";
        int pages = 0;
        do {
            JsonNode page = json(hub.api("/api/events?limit=100" + (cursor == null ? "" : "&cursor=" + cursor)));
            for (JsonNode e : page.get("events")) {
                assertThat(seen.add(e.get("id").asText())).isTrue();
                String at = e.get("occurred_at").asText();
                assertThat(at.compareTo(previous)).isLessThanOrEqualTo(0);
                previous = at;
            }
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(seen).hasSize(250);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void filters_by_recipient_case_insensitively_type_esp_and_time() throws Exception {
        assertThat(json(hub.api("/api/events?recipient=VIP@example.COM")).get("events")).hasSize(25);
        assertThat(json(hub.api("/api/events?type=clicked&esp=sendgrid")).get("events")).hasSize(25);
        JsonNode window = json(hub.api("/api/events?since=2026-03-04T12:00:10Z&until=2026-03-04T12:00:20Z&limit=1000"));
        assertThat(window.get("events")).hasSize(20);
    }

    @Test
    void serves_a_message_timeline_oldest_first() throws Exception {
        JsonNode timeline = json(hub.api("/api/messages/msg-3/events"));
        assertThat(timeline.get("events")).hasSize(10);
        List<String> times = new ArrayList<>();
        timeline.get("events").forEach(e -> times.add(e.get("occurred_at").asText()));
        assertThat(times).isSorted();
        assertThat(json(hub.api("/api/messages/no-such-message/events")).get("events")).isEmpty();
    }

    @Test
    void refuses_calls_without_the_admin_token() {
        assertThat(hub.get("/api/events").statusCode()).isEqualTo(401);
        assertThat(hub.get("/api/events", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
        HttpResponse<String> r = hub.get("/api/messages/msg-1/events", "Authorization", "Basic " + HubRunner.ADMIN_TOKEN);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).doesNotContain(HubRunner.ADMIN_TOKEN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=1001", "limit=ten", "type=bounce", "since=yesterday", "until=2026-13-01",
            "cursor=not-a-cursor"})
    void answers_400_naming_a_malformed_parameter(String query) throws Exception {
        HttpResponse<String> r = hub.api("/api/events?" + query);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(r.body()).get("error").asText()).contains(query.substring(0, query.indexOf('=')));
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }
}
