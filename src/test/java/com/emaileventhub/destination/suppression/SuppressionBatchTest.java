package com.emaileventhub.destination.suppression;

import static com.emaileventhub.destination.DeliveryFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.destination.DeliveryFixtures;
import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.store.Database;
import com.emaileventhub.store.SuppressionStore.AuditEntry;
import com.emaileventhub.store.SuppressionStore;
import com.emaileventhub.support.Rows;
import com.emaileventhub.support.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Batches as the delivery engine hands them over: one address several times, in different cases, with
 * every type interleaved, and batches for the same new addresses applied at the same moment. On both
 * databases the outcome is that of delivering the events one by one.
 */
class SuppressionBatchTest {
    private static final Instant T = Instant.parse("2026-03-04T12:50:00Z");
    private String url;
    private Database db;
    private SuppressionStore store;
    private SuppressionRules rules;

    private void open(TestDatabases.Kind kind) {
        url = kind.freshUrl();
        db = TestDatabases.open(url, 8);
        store = new SuppressionStore(db);
        rules = new SuppressionRules(store, 3, Duration.ofDays(7), true, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
            TestDatabases.drop(url);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void three_hard_bounces_for_one_address_in_one_batch_suppress_it_once(TestDatabases.Kind kind) {
        open(kind);
        List<CanonicalEvent> bounces = List.of(
                event("Same.Person@example.com", EventType.BOUNCED, BounceType.HARD, T.plusSeconds(2)),
                event("same.person@example.com", EventType.BOUNCED, BounceType.HARD, T),
                event("SAME.PERSON@EXAMPLE.COM", EventType.BOUNCED, BounceType.HARD, T.plusSeconds(1)));
        DeliveryFixtures.store(db, bounces, "suppression");

        rules.apply(bounces);

        SuppressionStore.Suppression s = store.get("same.person@example.com");
        assertThat(s).isNotNull();
        assertThat(s.reason()).isEqualTo("hard_bounce");
        assertThat(s.firstAt()).isEqualTo(T.toEpochMilli());
        assertThat(s.lastAt()).isEqualTo(T.plusSeconds(2).toEpochMilli());
        assertThat(s.eventId()).isEqualTo(bounces.get(1).id());
        assertThat(store.audit("same.person@example.com")).extracting(AuditEntry::action).containsExactly("suppress");
        assertThat(forwarded()).containsExactly(bounces.get(1).id());
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void an_event_whose_recipient_kept_its_capitals_counts_for_the_lower_cased_address(TestDatabases.Kind kind) {
        open(kind);
        CanonicalEvent unsubscribe = event("ann@example.com", EventType.UNSUBSCRIBED, null, T);
        CanonicalEvent complaint = withRecipient(event("ann@example.com", EventType.COMPLAINED, null, T.plusSeconds(5)),
                "Ann@Example.COM");
        DeliveryFixtures.store(db, List.of(unsubscribe, complaint), "suppression");

        rules.apply(List.of(complaint, unsubscribe));

        assertThat(store.get("Ann@Example.COM")).isNull();
        SuppressionStore.Suppression s = store.get("ann@example.com");
        assertThat(s.reason()).isEqualTo("complaint");
        assertThat(s.eventId()).isEqualTo(complaint.id());
        assertThat(store.audit("ann@example.com")).extracting(a -> a.action() + " " + a.reason())
                .containsExactly("suppress unsubscribe", "suppress complaint");
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void every_type_interleaved_for_one_address_in_one_batch_ends_as_one_by_one_delivery(TestDatabases.Kind kind) {
        open(kind);
        // occurred order: delivered, soft bounce, unsubscribe, resubscribe (lifts it), hard bounce, complaint, open
        EventType[] types = {EventType.DELIVERED, EventType.BOUNCED, EventType.UNSUBSCRIBED, EventType.SUBSCRIBED,
                EventType.BOUNCED, EventType.COMPLAINED, EventType.OPENED};
        BounceType[] bounce = {null, BounceType.SOFT, null, null, BounceType.HARD, null, null};
        List<CanonicalEvent> oneByOne = mixedCase("one@example.com", types, bounce);
        List<CanonicalEvent> batch = mixedCase("batch@example.com", types, bounce);
        List<CanonicalEvent> shuffled = mixedCase("shuffled@example.com", types, bounce);
        Collections.shuffle(shuffled, new Random(7));
        List<CanonicalEvent> all = new ArrayList<>(oneByOne);
        all.addAll(batch);
        all.addAll(shuffled);
        DeliveryFixtures.store(db, all, "suppression");

        oneByOne.forEach(e -> rules.apply(List.of(e)));
        List<CanonicalEvent> twoAddresses = new ArrayList<>(batch);
        twoAddresses.addAll(shuffled);
        rules.apply(twoAddresses);

        for (String address : List.of("one", "batch", "shuffled")) {
            String email = address + "@example.com";
            List<CanonicalEvent> events = address.equals("one") ? oneByOne : address.equals("batch") ? batch : shuffled;
            CanonicalEvent hard = events.stream().filter(e -> e.bounceType() == BounceType.HARD).findFirst().orElseThrow();
            SuppressionStore.Suppression s = store.get(email);
            assertThat(s.reason()).as(email).isEqualTo("hard_bounce");
            assertThat(s.eventId()).as(email).isEqualTo(hard.id());
            assertThat(s.firstAt()).as(email).isEqualTo(T.plusSeconds(4).toEpochMilli());
            assertThat(s.lastAt()).as(email).isEqualTo(T.plusSeconds(5).toEpochMilli());
            assertThat(store.audit(email)).as(email).extracting(a -> a.action() + " " + a.reason())
                    .containsExactly("suppress unsubscribe", "lift unsubscribe", "suppress hard_bounce");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void batches_for_the_same_new_addresses_applied_at_once_suppress_each_address_once(TestDatabases.Kind kind)
            throws Exception {
        open(kind);
        int threads = 4;
        int addresses = 12;
        List<List<CanonicalEvent>> batches = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<CanonicalEvent> batch = new ArrayList<>();
            for (int a = 0; a < addresses; a++) {
                batch.add(event("user" + a + "@example.com", EventType.BOUNCED, BounceType.HARD, T.plusSeconds(t)));
            }
            Collections.shuffle(batch, new Random(t));
            DeliveryFixtures.store(db, batch, "suppression");
            batches.add(batch);
        }
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (List<CanonicalEvent> batch : batches) {
                done.add(pool.submit(() -> {
                    go.await();
                    rules.apply(batch);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);   // rethrows what a batch failed with
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(store.list(100, null).items()).hasSize(addresses);
        for (int a = 0; a < addresses; a++) {
            String email = "user" + a + "@example.com";
            SuppressionStore.Suppression s = store.get(email);
            // whichever batch committed first, the earliest bounce (batch 0's) is the cause in the end
            assertThat(s.eventId()).as(email).isEqualTo(cause(batches.get(0), email).id());
            assertThat(s.firstAt()).as(email).isEqualTo(T.toEpochMilli());
            assertThat(s.lastAt()).as(email).isEqualTo(T.plusSeconds(threads - 1).toEpochMilli());
            assertThat(store.audit(email)).as(email).extracting(AuditEntry::action).containsExactly("suppress");
        }
        assertThat(forwarded()).hasSize(addresses);
        assertThat(Rows.count(db.dataSource(), "SELECT COUNT(*) FROM hub_suppression_state")).isEqualTo(addresses);
    }

    private static CanonicalEvent cause(List<CanonicalEvent> batch, String email) {
        return batch.stream().filter(e -> e.recipient().equals(email)).findFirst().orElseThrow();
    }

    /** The address in a different case for each event, as normalizers of several vendors could pass it on. */
    private static List<CanonicalEvent> mixedCase(String email, EventType[] types, BounceType[] bounce) {
        List<CanonicalEvent> out = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            String cased = i % 2 == 0 ? email.toUpperCase(Locale.ROOT) : email;
            out.add(event(cased, types[i], bounce[i], T.plusSeconds(i)));
        }
        return out;
    }

    /** The same event with the recipient as given, bypassing the builder's normalisation. */
    private static CanonicalEvent withRecipient(CanonicalEvent e, String recipient) {
        return new CanonicalEvent(e.id(), e.esp(), e.type(), e.bounceType(), e.occurredAt(), e.receivedAt(), recipient,
                e.messageId(), e.espEventId(), e.reason(), e.mtaResponse(), e.url(), e.userAgent(), e.ip(), e.tags(),
                e.metadata(), e.raw());
    }

    private List<String> forwarded() {
        return Rows.strings(db.dataSource(), "SELECT event_id FROM hub_delivery WHERE destination = ? ORDER BY event_id",
                SuppressionRules.FORWARD);
    }
}
