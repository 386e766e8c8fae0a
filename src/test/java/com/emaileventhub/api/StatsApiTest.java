package com.emaileventhub.api;

import com.emaileventhub.support.Figures;
import static com.emaileventhub.destination.DeliveryFixtures.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.Hub;
import com.emaileventhub.destination.DeliveryFixtures;
import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.emaileventhub.support.Rows;
import com.emaileventhub.support.TestDatabases;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** GET /api/stats, /api/stats/links, /api/stats/bounce-reasons and /api/messages/{id} on each database. */
@ParameterizedClass
@EnumSource(TestDatabases.Kind.class)
class StatsApiTest {
    private static final Instant MON = Instant.parse("2026-03-02T10:00:00Z");
    private static final String MARCH = "from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z";

    @Parameter
    TestDatabases.Kind kind;
    private DeliveryFixtures.Running running;
    private Hub hub;

    @BeforeEach
    void start() throws Exception {
        running = DeliveryFixtures.startOn(kind);
        hub = running.hub();
    }

    @AfterEach
    void stop() {
        if (running != null) {
            running.close();
        }
    }

    @Test
    void counts_each_outcome_in_the_bucket_of_its_send_and_a_late_earlier_event_moves_the_send() throws Exception {
        store(event("postmark", "m1", "a@gmail.com", EventType.DELIVERED, MON),
                event("postmark", "m1", "a@gmail.com", EventType.OPENED, MON.plusSeconds(86_400 + 3600)),
                event("postmark", "m2", "b@yahoo.com", EventType.DELIVERED, MON.plusSeconds(86_400)));
        JsonNode before = stats("bucket=day&" + MARCH);
        assertThat(starts(before)).containsExactly("2026-03-02T00:00:00.000Z", "2026-03-03T00:00:00.000Z");
        assertThat(before.at("/totals/rates/open_rate").asDouble()).isEqualTo(0.5);

        // the send of m2 really began on Monday: its late "sent" event takes the whole send there
        store(event("postmark", "m2", "b@yahoo.com", EventType.SENT, MON.plusSeconds(60)));
        JsonNode after = stats("bucket=day&" + MARCH);
        assertThat(starts(after)).containsExactly("2026-03-02T00:00:00.000Z");
        JsonNode monday = after.at("/groups/0/buckets/0");
        assertThat(monday.at("/counts/sent").asLong()).isEqualTo(2);
        assertThat(monday.at("/counts/delivered").asLong()).isEqualTo(2);
        assertThat(monday.at("/counts/opened").asLong()).isEqualTo(1);
        assertThat(monday.at("/counts/events").asLong()).isEqualTo(4);
        assertThat(monday.at("/rates/open_rate").asDouble()).isEqualTo(0.5);
        assertThat(monday.at("/rates/complaint_rate").isNull()).isFalse();
        assertThat(monday.at("/rates/click_to_open_rate").asDouble()).isZero();

        // posting the same events again (and replaying them to the figures) changes nothing
        store(event("postmark", "m1", "a@gmail.com", EventType.DELIVERED, MON));
        call(hub, "POST", "/api/deliveries/replay?destination=insight&status=delivered&since=2000-01-01T00:00:00Z");
        awaitFigures();
        assertThat(stats("bucket=day&" + MARCH)).isEqualTo(after);
    }

    @Test
    void machine_engagement_is_counted_apart_and_never_opens_a_send() throws Exception {
        store(event("mailgun", "m3", "c@icloud.com", EventType.DELIVERED, MON),
                event("mailgun", "m3", "c@icloud.com", EventType.OPENED, MON.plusSeconds(5)).asMachine("mailgun:bot=apple"),
                event("mailgun", "m3", "c@icloud.com", EventType.CLICKED, MON.plusSeconds(6)).asMachine("scanner_user_agent"));
        JsonNode counts = stats("bucket=none&" + MARCH).at("/totals/counts");
        assertThat(counts.get("opened").asLong()).isZero();
        assertThat(counts.get("opens").asLong()).isZero();
        assertThat(counts.get("machine_opens").asLong()).isEqualTo(1);
        assertThat(counts.get("machine_clicks").asLong()).isEqualTo(1);
        assertThat(stats("bucket=none&" + MARCH).at("/totals/rates/click_to_open_rate").isNull()).isTrue();
    }

    @Test
    void groups_by_tag_provider_and_esp_and_filters_with_or() throws Exception {
        store(tagged(event("sendgrid", "sg1.filter01.a", "x@outlook.com", EventType.DELIVERED, MON), "welcome"),
                tagged(event("sendgrid", "sg1.filter02.b", "x@outlook.com", EventType.CLICKED, MON.plusSeconds(600)), "promo"),
                event("postmark", "p1", "y@gmail.com", EventType.DELIVERED, MON),
                event("postmark", null, "z@gmail.com", EventType.OPENED, MON));
        JsonNode byTag = stats("bucket=none&group_by=tag&" + MARCH);
        assertThat(byTag.at("/totals/counts/sent").asLong()).isEqualTo(2);
        assertThat(keys(byTag, "tag")).containsExactly("null", "promo", "welcome");
        assertThat(byTag.at("/groups/1/totals/counts/clicked").asLong()).isEqualTo(1);

        JsonNode filtered = stats("bucket=none&tag=welcome&tag=promo&" + MARCH);
        assertThat(filtered.at("/totals/counts/sent").asLong()).isEqualTo(1);   // once, though it has both tags
        assertThat(stats("bucket=none&tag=&" + MARCH).at("/totals/counts/events").asLong()).isEqualTo(2);

        JsonNode byProvider = stats("bucket=day&group_by=esp,mailbox_provider&" + MARCH);
        assertThat(keys(byProvider, "mailbox_provider")).containsExactly("gmail", "microsoft");
        assertThat(byProvider.at("/groups/0/totals/counts/opens").asLong()).isEqualTo(1);   // the open of no send
        assertThat(byProvider.at("/groups/0/totals/counts/sent").asLong()).isEqualTo(1);
    }

    @Test
    void a_message_shows_its_sends_with_the_furthest_status_and_sendgrid_ids_resolve_to_their_send_key() throws Exception {
        store(event("sendgrid", "abc.filter01.1", "r@example.com", EventType.DELIVERED, MON),
                event("sendgrid", "abc.filter02.2", "r@example.com", EventType.CLICKED, MON.plusSeconds(60)),
                event("sendgrid", "abc.filter03.3", "r@example.com", EventType.DEFERRED, MON.minusSeconds(60)),
                bounce(event("postmark", "pm-9", "s@example.com", EventType.BOUNCED, MON), BounceType.SOFT, " mailbox full "));
        JsonNode message = Json.MAPPER.readTree(call(hub, "GET", "/api/messages/abc.filter99.9").body());
        assertThat(message.get("message_id").asText()).isEqualTo("abc");
        JsonNode send = message.at("/sends/0");
        assertThat(send.get("status").asText()).isEqualTo("clicked");
        assertThat(send.get("sent_at").asText()).isEqualTo("2026-03-02T09:59:00.000Z");
        assertThat(send.get("delivered_at").asText()).isEqualTo("2026-03-02T10:00:00.000Z");
        assertThat(send.get("opened").asBoolean()).isTrue();
        assertThat(send.get("last_event_at").asText()).isEqualTo("2026-03-02T10:01:00.000Z");
        assertThat(Json.MAPPER.readTree(call(hub, "GET", "/api/messages/pm-9").body()).at("/sends/0/status").asText())
                .isEqualTo("bounced");
        assertThat(call(hub, "GET", "/api/messages/nothing-here").statusCode()).isEqualTo(404);

        JsonNode reasons = Json.MAPPER.readTree(call(hub, "GET", "/api/stats/bounce-reasons?" + MARCH).body());
        assertThat(reasons.at("/reasons/0/reason").asText()).isEqualTo("mailbox full");
        assertThat(reasons.at("/reasons/0/bounce_type").asText()).isEqualTo("soft");
        assertThat(reasons.at("/reasons/0/sends").asLong()).isEqualTo(1);
        JsonNode links = Json.MAPPER.readTree(call(hub, "GET", "/api/stats/links?esp=sendgrid&" + MARCH).body());
        assertThat(links.at("/links/0/url").asText()).isEqualTo("https://example.com/p");
        assertThat(links.at("/links/0/clicks").asLong()).isEqualTo(1);
        assertThat(links.at("/links/0/clicked").asLong()).isEqualTo(1);
    }

    @Test
    void answers_400_naming_the_bad_parameter() throws Exception {
        for (String query : List.of("bucket=year", "tz=Mars/Olympus", "group_by=esp,tag,recipient_domain,mailbox_provider",
                "group_by=campaign", "from=yesterday", "from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z", "colour=red",
                "to=2026-03-02T00:00:00Z&to=2026-03-03T00:00:00Z")) {
            HttpResponse<String> r = call(hub, "GET", "/api/stats?" + query);
            assertThat(r.statusCode()).as(query).isEqualTo(400);
            String name = query.substring(query.lastIndexOf('&') + 1, query.lastIndexOf('='));
            assertThat(Json.MAPPER.readTree(r.body()).get("error").asText()).as(query)
                    .startsWith("parameter " + (query.startsWith("from=2026") ? "from" : name));
        }
        assertThat(call(hub, "GET", "/api/stats/links?limit=0").statusCode()).isEqualTo(400);
    }

    private static CanonicalEvent event(String esp, String messageId, String recipient, EventType type, Instant at) {
        return CanonicalEvent.builder(esp).type(type).messageId(messageId).recipient(recipient).occurredAt(at)
                .url(type == EventType.CLICKED ? "https://example.com/p?utm=1#top" : null).build(Instant.now(), at);
    }

    private static CanonicalEvent tagged(CanonicalEvent e, String tag) {
        return new CanonicalEvent(e.id(), e.esp(), e.type(), e.bounceType(), e.occurredAt(), e.receivedAt(),
                e.recipient(), e.messageId(), e.espEventId(), e.reason(), e.mtaResponse(), e.url(), e.userAgent(),
                e.ip(), List.of(tag), e.metadata(), e.raw());
    }

    private static CanonicalEvent bounce(CanonicalEvent e, BounceType type, String reason) {
        return new CanonicalEvent(e.id(), e.esp(), e.type(), type, e.occurredAt(), e.receivedAt(), e.recipient(),
                e.messageId(), e.espEventId(), reason, e.mtaResponse(), e.url(), e.userAgent(), e.ip(), e.tags(),
                e.metadata(), e.raw());
    }

    private void store(CanonicalEvent... events) {
        DeliveryFixtures.store(hub.database(), List.of(events));
        awaitFigures();
    }

    private void awaitFigures() {
        await().atMost(20, TimeUnit.SECONDS).until(() -> Figures.counted(hub.database()));
    }

    private JsonNode stats(String query) throws Exception {
        HttpResponse<String> r = call(hub, "GET", "/api/stats?" + query);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }

    private static List<String> starts(JsonNode stats) {
        return stats.at("/groups/0/buckets").findValuesAsText("start");
    }

    private static List<String> keys(JsonNode stats, String dim) {
        return stats.get("groups").findValues("key").stream().map(k -> k.get(dim).isNull() ? "null" : k.get(dim).asText())
                .toList();
    }
}
