package com.emaileventhub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The events kept for the journal-fed destinations: only a row with the very JSON stored is taken from memory. */
class RecentEventsTest {
    private static final Instant NOW = Instant.parse("2026-03-04T12:00:00Z");

    private static CanonicalEvent event(String messageId) {
        return CanonicalEvent.builder("postmark").type(EventType.OPENED).recipient("a@example.com").messageId(messageId)
                .occurredAt(NOW).build(NOW, NOW);
    }

    @Test
    void a_row_whose_json_differs_from_what_was_stored_is_parsed() {
        RecentEvents recent = new RecentEvents(10);
        CanonicalEvent e = event("m-1");
        String json = Journal.toJson(e);
        recent.remember(List.of(e), List.of(json), Set.of(e.id()), 0);

        assertThat(recent.event(e.id(), json)).isSameAs(e);
        assertThat(recent.event(e.id(), json.replace("m-1", "m-2"))).isNull();
        assertThat(recent.event("unknown", json)).isNull();
        assertThat(recent.hits()).isEqualTo(1);
        assertThat(recent.misses()).isEqualTo(2);
    }

    @Test
    void events_not_inserted_and_a_capacity_of_zero_keep_nothing() {
        CanonicalEvent e = event("m-1");
        String json = Journal.toJson(e);
        RecentEvents recent = new RecentEvents(10);
        recent.remember(List.of(e), List.of(json), Set.of(), 0);   // a duplicate: the journal already held it
        assertThat(recent.event(e.id(), json)).isNull();

        RecentEvents.NONE.remember(List.of(e), List.of(json), Set.of(e.id()), 0);
        assertThat(RecentEvents.NONE.event(e.id(), json)).isNull();
    }

    @Test
    void a_negative_capacity_is_refused_naming_its_key() {
        assertThatThrownBy(() -> new RecentEvents(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hub.journal.recent-events");
    }
}
