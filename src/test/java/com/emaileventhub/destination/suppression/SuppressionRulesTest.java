package com.emaileventhub.destination.suppression;

import static com.emaileventhub.destination.DeliveryFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.destination.DeliveryFixtures;
import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.store.Database;
import com.emaileventhub.store.SuppressionStore;
import com.emaileventhub.support.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The rules of canonical-event.md, applied batch by batch in every arrival order, on H2 and PostgreSQL. */
class SuppressionRulesTest {
    private static final String A = "a@example.com";
    private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");
    private Database db;
    private SuppressionStore store;
    private SuppressionRules rules;

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("h2", (Supplier<String>) () -> TestDatabases.h2()),
                Arguments.of("postgresql", (Supplier<String>) () -> TestDatabases.postgres()));
    }

    private void open(Supplier<String> url) {
        db = TestDatabases.open(url.get(), 4);
        store = new SuppressionStore(db);
        rules = new SuppressionRules(store, 3, Duration.ofDays(7), true, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    /** Stores the events in the journal (soft bounces are counted there), then delivers them one batch each. */
    private void deliverOneByOne(List<CanonicalEvent> events) {
        DeliveryFixtures.store(db, events, "suppression");
        events.forEach(e -> rules.apply(List.of(e)));
    }

    private static CanonicalEvent at(EventType type, BounceType bounce, int minutes) {
        return event(A, type, bounce, T.plus(Duration.ofMinutes(minutes)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void hard_bounce_complaint_and_unsubscribe_suppress_at_once_with_their_reason(String n, Supplier<String> url) {
        open(url);
        deliverOneByOne(List.of(event("h@x.com", EventType.BOUNCED, BounceType.HARD, T),
                event("c@x.com", EventType.COMPLAINED, null, T), event("u@x.com", EventType.UNSUBSCRIBED, null, T),
                event("d@x.com", EventType.DELIVERED, null, T), event("s@x.com", EventType.BOUNCED, BounceType.SOFT, T)));
        assertThat(store.get("h@x.com").reason()).isEqualTo("hard_bounce");
        assertThat(store.get("c@x.com").reason()).isEqualTo("complaint");
        assertThat(store.get("u@x.com").reason()).isEqualTo("unsubscribe");
        assertThat(store.get("d@x.com")).isNull();
        assertThat(store.get("s@x.com")).isNull();
        SuppressionStore.Suppression h = store.get("h@x.com");
        assertThat(h.firstAt()).isEqualTo(T.toEpochMilli());
        assertThat(h.esp()).isEqualTo("test");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void a_resubscribe_that_occurred_later_lifts_an_unsubscribe_whatever_the_arrival_order(String n, Supplier<String> url) {
        open(url);
        CanonicalEvent unsub = at(EventType.UNSUBSCRIBED, null, 0);
        CanonicalEvent resub = at(EventType.SUBSCRIBED, null, 10);
        deliverOneByOne(List.of(resub, unsub));   // the older unsubscribe arrives last
        assertThat(store.get(A)).isNull();
        CanonicalEvent again = at(EventType.UNSUBSCRIBED, null, 20);
        deliverOneByOne(List.of(again));
        assertThat(store.get(A).reason()).isEqualTo("unsubscribe");
        assertThat(store.get(A).eventId()).isEqualTo(again.id());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void the_outcome_is_the_same_for_every_arrival_order(String n, Supplier<String> url) {
        open(url);
        // occurred order: unsubscribe, resubscribe, unsubscribe, resubscribe -> not suppressed
        List<CanonicalEvent> events = List.of(at(EventType.UNSUBSCRIBED, null, 0), at(EventType.SUBSCRIBED, null, 1),
                at(EventType.UNSUBSCRIBED, null, 2), at(EventType.SUBSCRIBED, null, 3));
        for (List<CanonicalEvent> order : permutations(events)) {
            String email = "p" + Integer.toHexString(order.hashCode()) + "@x.com";
            List<CanonicalEvent> copy = new ArrayList<>();
            for (CanonicalEvent e : order) {
                copy.add(event(email, e.type(), null, e.occurredAt()));
            }
            deliverOneByOne(copy);
            assertThat(store.get(email)).as("arrival order %s", order.stream().map(e -> e.type() + "@" + e.occurredAt()).toList())
                    .isNull();
        }
        // ... and with the last one dropped the final state is "unsubscribed", again in every order
        for (List<CanonicalEvent> order : permutations(events.subList(0, 3))) {
            String email = "q" + Integer.toHexString(order.hashCode()) + "@x.com";
            List<CanonicalEvent> copy = new ArrayList<>();
            for (CanonicalEvent e : order) {
                copy.add(event(email, e.type(), null, e.occurredAt()));
            }
            deliverOneByOne(copy);
            assertThat(store.get(email)).isNotNull();
            assertThat(store.get(email).reason()).isEqualTo("unsubscribe");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void a_resubscribe_never_lifts_a_complaint_or_hard_bounce(String n, Supplier<String> url) {
        open(url);
        deliverOneByOne(List.of(at(EventType.UNSUBSCRIBED, null, 0), at(EventType.COMPLAINED, null, 1),
                at(EventType.SUBSCRIBED, null, 5)));
        assertThat(store.get(A).reason()).isEqualTo("complaint");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void soft_bounces_suppress_at_the_threshold_within_the_window_in_any_arrival_order(String n, Supplier<String> url) {
        open(url);
        Instant day = Instant.parse("2026-03-01T00:00:00Z");
        // three within 7 days, arriving newest first
        List<CanonicalEvent> within = List.of(event("w@x.com", EventType.BOUNCED, BounceType.SOFT, day.plus(Duration.ofDays(6))),
                event("w@x.com", EventType.BOUNCED, BounceType.SOFT, day),
                event("w@x.com", EventType.BOUNCED, BounceType.SOFT, day.plus(Duration.ofDays(3))));
        deliverOneByOne(within.subList(0, 2));
        assertThat(store.get("w@x.com")).isNull();
        deliverOneByOne(within.subList(2, 3));
        assertThat(store.get("w@x.com").reason()).isEqualTo("repeated_soft_bounce");
        // three spread over more than 7 days never suppress
        deliverOneByOne(List.of(event("v@x.com", EventType.BOUNCED, BounceType.SOFT, day),
                event("v@x.com", EventType.BOUNCED, BounceType.SOFT, day.plus(Duration.ofDays(4))),
                event("v@x.com", EventType.BOUNCED, BounceType.SOFT, day.plus(Duration.ofDays(8)))));
        assertThat(store.get("v@x.com")).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void replaying_events_changes_nothing_and_a_lift_ignores_older_events(String n, Supplier<String> url) {
        open(url);
        List<CanonicalEvent> events = List.of(at(EventType.BOUNCED, BounceType.HARD, 0), at(EventType.COMPLAINED, null, 3));
        deliverOneByOne(events);
        SuppressionStore.Suppression before = store.get(A);
        int audit = store.audit(A).size();
        rules.apply(events);
        rules.apply(events);
        assertThat(store.get(A)).isEqualTo(before);
        assertThat(store.audit(A)).hasSize(audit);

        assertThat(rules.lift(A, "api:ops", "customer asked")).isTrue();
        assertThat(store.get(A)).isNull();
        rules.apply(events);   // a replay of what occurred before the lift
        assertThat(store.get(A)).isNull();
        assertThat(rules.lift(A, "api:ops", null)).isFalse();
        CanonicalEvent later = event(A, EventType.COMPLAINED, null, Instant.now().plusSeconds(60));
        deliverOneByOne(List.of(later));
        assertThat(store.get(A).eventId()).isEqualTo(later.id());
        assertThat(store.audit(A)).extracting(SuppressionStore.AuditEntry::action)
                .containsExactly("suppress", "lift", "suppress");
    }

    private static <T> List<List<T>> permutations(List<T> items) {
        if (items.size() <= 1) {
            return List.of(items);
        }
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<T> rest = new ArrayList<>(items);
            T head = rest.remove(i);
            for (List<T> p : permutations(rest)) {
                List<T> l = new ArrayList<>();
                l.add(head);
                l.addAll(p);
                out.add(Collections.unmodifiableList(l));
            }
        }
        return out;
    }
}
