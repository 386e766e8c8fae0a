package com.emaileventhub.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.Hub;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.store.JournalCursor;
import com.emaileventhub.store.JournalMaintenance;
import com.emaileventhub.support.Rows;
import com.emaileventhub.support.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Journal maintenance keeps an event past the retention period while the cursor of a running journal-fed destination
 * has not passed it, but a cursor whose destination has no route any more stands still for ever: it must not keep
 * every later event in the journal.
 */
class MaintenanceCursorsTest {

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void a_cursor_without_its_route_does_not_hold_back_the_purge(TestDatabases.Kind kind) throws Exception {
        Path routes = DeliveryFixtures.routes();
        // an integrator switches the built-in leads routes off (a local file with comments only)
        Files.writeString(routes.resolve("destinations/leads.camel.yaml"), "# no engaged leads here\n");
        String url = kind.freshUrl();
        try (Hub hub = DeliveryFixtures.start(DeliveryFixtures.overrides(url, routes, "hub.delivery.poll-interval=PT0.05S"))) {
            Instant old = Instant.now().minus(40, ChronoUnit.DAYS);
            CanonicalEvent event = CanonicalEvent.builder("postmark").type(EventType.OPENED).recipient("old@example.com")
                    .messageId("m-old").occurredAt(old).build(old, old);
            DeliveryFixtures.storeRouted(hub.database(), List.of(event), "leads");
            // the running cursors (figures, suppression) pass it; the leads' cursor, without its route, never does (nor
            // does the archive's: in the hub's database the journal is the archive, whose cursor stands still)
            await().atMost(20, TimeUnit.SECONDS).until(() -> new JournalCursor(hub.database(), "insight").backlog().pending() == 0
                    && new JournalCursor(hub.database(), "suppression", true).backlog().pending() == 0);
            assertThat(new JournalCursor(hub.database(), "leads", true).backlog().pending()).isEqualTo(1);

            hub.context().getRegistry().lookupByNameAndType("journalMaintenance", JournalMaintenance.class).run();
            assertThat(Rows.count(hub.database().dataSource(), "SELECT COUNT(*) FROM hub_event")).isZero();
            // moved, not dropped: the archive keeps it
            assertThat(Rows.count(hub.database().dataSource(), "SELECT COUNT(*) FROM hub_archive_past")).isEqualTo(1);
            assertThat(Rows.count(hub.database().dataSource(), "SELECT COUNT(*) FROM hub_archive WHERE message_id = 'm-old'"))
                    .isEqualTo(1);
        } finally {
            TestDatabases.drop(url);
        }
    }
}
