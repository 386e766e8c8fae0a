package com.emaileventhub.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.support.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each ESP's latest event for the webhook-silence rule, on each database: the window once, then what is new. */
class AlertFiguresTest {
    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private static final long DAY = Duration.ofDays(1).toMillis();

    private static void store(Journal journal, String esp, String messageId, Instant receivedAt) {
        CanonicalEvent e = CanonicalEvent.builder(esp).type(EventType.DELIVERED).recipient("a@example.com")
                .messageId(messageId).occurredAt(receivedAt).build(receivedAt, receivedAt);
        journal.store(esp, null, List.of(e), Map.of(), receivedAt);
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void the_latest_event_per_esp_is_read_once_over_the_window_then_from_the_last_evaluation(TestDatabases.Kind kind) {
        try (Database db = TestDatabases.open(kind.freshUrl(), 2)) {
            Journal journal = new Journal(db);
            InsightQuery query = new InsightQuery(db);
            AlertFigures figures = new AlertFigures(new InsightReader(query, Clock.systemUTC(), Duration.ofDays(7)),
                    query);
            store(journal, "brevo", "b1", NOW.minus(Duration.ofHours(3)));
            store(journal, "brevo", "b2", NOW.minus(Duration.ofHours(2)));
            store(journal, "mailgun", "m1", NOW.minus(Duration.ofHours(30)));   // outside the day
            long now = NOW.toEpochMilli();
            assertThat(figures.lastEventPerEsp(now - DAY, now))
                    .containsExactlyEntriesOf(Map.of("brevo", NOW.minus(Duration.ofHours(2)).toEpochMilli()));

            // a minute later: an event received since, one committed late within the margin, one long before it
            store(journal, "mailgun", "m2", NOW.plusSeconds(30));
            store(journal, "sendgrid", "s1", NOW.minusSeconds(60));
            store(journal, "resend", "r1", NOW.minus(Duration.ofHours(1)));
            long later = now + 60_000;
            assertThat(figures.lastEventPerEsp(later - DAY, later)).containsOnly(
                    Map.entry("brevo", NOW.minus(Duration.ofHours(2)).toEpochMilli()),
                    Map.entry("mailgun", NOW.plusSeconds(30).toEpochMilli()),
                    Map.entry("sendgrid", NOW.minusSeconds(60).toEpochMilli()));
            // a day on, brevo's events have left the window
            long dayOn = NOW.minus(Duration.ofHours(2)).toEpochMilli() + DAY + 1;
            assertThat(figures.lastEventPerEsp(dayOn - DAY, dayOn)).containsOnlyKeys("mailgun", "sendgrid");
        }
    }
}
