package com.emaileventhub.destination.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.Hub;
import com.emaileventhub.destination.DeliveryFixtures;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.store.JournalCursor;
import com.emaileventhub.support.Rows;
import com.emaileventhub.support.TcpProxy;
import com.emaileventhub.support.TestDatabases;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The archive follows the journal: while its database (a separate PostgreSQL, reached through a proxy that is cut) is
 * away, its cursor waits and no event is passed or given up; once it is back, every event is archived once.
 */
class ArchiveCursorOutageTest {

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void the_cursor_waits_out_an_archive_database_outage_and_archives_every_event_once(TestDatabases.Kind kind)
            throws Exception {
        String archiveUrl = TestDatabases.postgres();
        try (TcpProxy proxy = new TcpProxy(5432);
             Hub hub = DeliveryFixtures.start(DeliveryFixtures.overrides(kind.freshUrl(), DeliveryFixtures.routes(),
                     "hub.archive.batch-size=40",
                     "hub.archive.db.url=" + archiveUrl.replace(":5432/", ":" + proxy.port() + "/"),
                     "hub.archive.db.username=" + TestDatabases.user(archiveUrl)))) {
            DataSource archive = hub.context().getRegistry().lookupByNameAndType("archiveDataSource", DataSource.class);
            JournalCursor cursor = new JournalCursor(hub.database(), "archive");
            List<CanonicalEvent> events = ArchiveDestinationTest.mix(150);
            DeliveryFixtures.store(hub.database(), events.subList(0, 100));
            await().atMost(30, TimeUnit.SECONDS).until(() -> archived(archive) == 100);

            proxy.cut();
            DeliveryFixtures.store(hub.database(), events.subList(100, 150));
            await().atMost(30, TimeUnit.SECONDS)
                    .until(() -> hub.delivery().engine().worker("archive").status().lastError() != null);
            assertThat(cursor.backlog().pending()).as("rows the cursor waits at").isEqualTo(50);
            assertThat(dead(hub)).isZero();

            proxy.restore();
            await().atMost(60, TimeUnit.SECONDS).until(() -> cursor.backlog().pending() == 0);
            assertThat(archived(archive)).isEqualTo(150);
            assertThat(Rows.count(archive, "SELECT COUNT(DISTINCT id) FROM hub_archive")).isEqualTo(150);
            assertThat(dead(hub)).isZero();
        } finally {
            TestDatabases.drop(archiveUrl);
        }
    }

    private static long archived(DataSource archive) {
        return Rows.count(archive, "SELECT COUNT(*) FROM hub_archive");
    }

    private static long dead(Hub hub) {
        return Rows.count(hub.database().dataSource(), "SELECT COUNT(*) FROM hub_delivery WHERE destination = 'archive'");
    }
}
