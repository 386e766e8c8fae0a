package com.emaileventhub.esp.declared;

import static com.emaileventhub.esp.Requests.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.emaileventhub.esp.Requests;
import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeclaredNormalizerTest {

    private static DeclaredNormalizer normalizer(String events, String unit) {
        DeclaredNormalizer n = new DeclaredNormalizer();
        n.setEvents(events);
        n.setType("/t");
        n.setTypes(" a:delivered , b:bounced/soft,x:y:opened ");
        n.setRecipient("/r");
        n.setMessageId("/m");
        n.setTimestamp("/ts");
        n.setTimestampUnit(unit);
        n.setEventId("/id");
        n.setEventIdStable("false");
        n.init();
        return n;
    }

    private static List<CanonicalEvent> normalize(DeclaredNormalizer n, String body) {
        return n.normalize(Requests.to("acme").json().body(body));
    }

    @Test
    void maps_a_body_array_with_the_table_and_seconds() {
        List<CanonicalEvent> events = normalize(normalizer("", "s"), """
                [{"t":"a","r":"A@B.C","m":12345678901234567890,"ts":1700000000.5,"id":"e1"},
                 {"t":"b","r":"b@b.c","ts":"1700000001"},{"t":"x:y","r":"c@b.c"},{"t":"zzz"},"odd"]""");
        assertThat(events).extracting(CanonicalEvent::type).containsExactly(EventType.DELIVERED, EventType.BOUNCED,
                EventType.OPENED, EventType.UNKNOWN, EventType.UNKNOWN);
        assertThat(events.get(0).messageId()).isEqualTo("12345678901234567890");
        assertThat(events.get(0).recipient()).isEqualTo("a@b.c");
        assertThat(events.get(0).occurredAt()).isEqualTo(Instant.parse("2023-11-14T22:13:20.500Z"));
        assertThat(events.get(0).espEventId()).isEqualTo("e1");
        assertThat(events.get(1).bounceType()).isEqualTo(BounceType.SOFT);
    }

    @Test
    void reads_events_under_a_pointer_in_ms_or_iso() {
        assertThat(normalize(normalizer("/data/items", "ms"), "{\"data\":{\"items\":[{\"t\":\"a\",\"ts\":1700000000123}]}}")
                .get(0).occurredAt()).isEqualTo(Instant.parse("2023-11-14T22:13:20.123Z"));
        assertThat(normalize(normalizer("/e", "iso"), "{\"e\":{\"t\":\"a\",\"ts\":\"2024-01-01T01:00:00+01:00\"}}")
                .get(0).occurredAt()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
    }

    @Test
    void gives_no_events_for_pings_and_400_for_an_empty_body_a_missing_list_or_a_scalar() {
        DeclaredNormalizer n = normalizer("/events", "s");
        assertThat(normalize(n, "{\"events\":[]}")).isEmpty();
        assertThat(normalize(n, "{\"events\":{}}")).isEmpty();
        assertRejected(() -> n.normalize(Requests.to("acme").json().body("")), 400, "bad_request");
        assertRejected(() -> normalize(n, "{\"other\":[]}"), 400, "bad_request");
        assertRejected(() -> normalize(n, "{\"events\":3}"), 400, "bad_request");
        assertRejected(() -> n.normalize(Requests.to("acme").header("Content-Type", "text/csv").body("{}")), 415,
                "unsupported_media_type");
    }

    @Test
    void refuses_declarations_that_cannot_work() {
        assertThatThrownBy(() -> new DeclaredNormalizer().setTypes("a:delivered,b:exploded"))
                .hasMessageContaining("'exploded'");
        assertThatThrownBy(() -> new DeclaredNormalizer().setTypes("a:opened/hard")).hasMessageContaining("only bounced");
        assertThatThrownBy(() -> new DeclaredNormalizer().setTypes("nocolon")).hasMessageContaining("vendorType:canonicalType");
        assertThatThrownBy(() -> new DeclaredNormalizer().setRecipient("email")).hasMessageContaining("JSON Pointer");
        assertThatThrownBy(() -> new DeclaredNormalizer().setTimestampUnit("h")).hasMessageContaining("timestampUnit");
        assertThatThrownBy(() -> new DeclaredNormalizer().init()).hasMessageContaining("type");
    }
}
