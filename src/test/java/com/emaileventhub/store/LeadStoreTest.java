package com.emaileventhub.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.support.Rows;
import com.emaileventhub.support.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Engaged-lead rows stay within the scoring window on each database: a click or open older than the window leaves
 * no row (it could never count), and the purge drops the rows that have aged out, leaving the score as it was.
 */
class LeadStoreTest {
    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private static final Duration WINDOW = Duration.ofDays(30);
    /** 3 points a click, signal at 9: three distinct clicks in the window make a lead. */
    private static final LeadStore.Scoring SCORING = new LeadStore.Scoring(3, 0, 9, WINDOW.toMillis(),
            Duration.ofDays(30).toMillis());

    private static CanonicalEvent click(String recipient, String messageId, Instant at) {
        return CanonicalEvent.builder("postmark").type(EventType.CLICKED).recipient(recipient).messageId(messageId)
                .url("https://example.com/" + messageId).occurredAt(at).build(at, at);
    }

    private static CanonicalEvent open(String recipient, String messageId, Instant at) {
        return CanonicalEvent.builder("postmark").type(EventType.OPENED).recipient(recipient).messageId(messageId)
                .occurredAt(at).build(at, at);
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void clicks_and_opens_older_than_the_window_leave_no_rows_and_make_no_lead(TestDatabases.Kind kind) {
        try (Database db = TestDatabases.open(kind.freshUrl(), 2)) {
            LeadStore store = new LeadStore(db);
            Instant old = NOW.minus(WINDOW).minusSeconds(1);
            List<LeadStore.Signal> signals = store.apply(List.of(click("a@example.com", "m1", old),
                    click("a@example.com", "m2", old), click("a@example.com", "m3", old),
                    open("a@example.com", "m1", old)), NOW.toEpochMilli(), SCORING, List.of());
            assertThat(signals).isEmpty();
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM lead_click")).isZero();
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM lead_open")).isZero();
            Instant recent = NOW.minus(WINDOW).plusSeconds(60);
            signals = store.apply(List.of(click("a@example.com", "m1", recent), click("a@example.com", "m2", recent),
                    click("a@example.com", "m3", NOW)), NOW.toEpochMilli(), SCORING, List.of());
            assertThat(signals).extracting(LeadStore.Signal::clicks).containsExactly(3);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void the_purge_drops_what_aged_out_of_the_window_and_keeps_the_rest(TestDatabases.Kind kind) {
        try (Database db = TestDatabases.open(kind.freshUrl(), 2)) {
            LeadStore store = new LeadStore(db);
            Instant early = NOW.minus(Duration.ofDays(20));
            store.apply(List.of(click("b@example.com", "m1", early), open("b@example.com", "m1", early),
                    click("b@example.com", "m2", NOW), open("b@example.com", "m2", NOW)), NOW.toEpochMilli(), SCORING,
                    List.of());
            // eleven days later the early ones are 31 days old
            long later = NOW.plus(Duration.ofDays(11)).toEpochMilli();
            assertThat(store.purge(later - WINDOW.toMillis())).isEqualTo(2);
            assertThat(Rows.strings(db.dataSource(), "SELECT send_key FROM lead_click"))
                    .singleElement().asString().contains("m2");
            assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM lead_open")).isEqualTo(1);
            assertThat(store.purge(later - WINDOW.toMillis())).isZero();
        }
    }
}
