package com.emaileventhub.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.support.TestDatabases;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One lookup for all the sends of a request, on H2 and PostgreSQL: the earliest stored delivery of each. */
class DeliveredLookupTest {
    private static final Instant T = Instant.parse("2026-03-04T12:00:00Z");

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("h2"), Arguments.of("postgresql"));
    }

    private static CanonicalEvent delivered(String esp, String messageId, String recipient, Instant at) {
        return delivered(esp, messageId, recipient, at, "d-" + esp + messageId + recipient);
    }

    private static CanonicalEvent delivered(String esp, String messageId, String recipient, Instant at, String espEventId) {
        return CanonicalEvent.builder(esp).type(EventType.DELIVERED).recipient(recipient).messageId(messageId)
                .espEventId(espEventId, true).occurredAt(at).build(at, at);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void finds_the_earliest_delivery_of_each_send_asked_for_across_chunks(String kind) {
        String url = kind.equals("h2") ? TestDatabases.h2() : TestDatabases.postgres();
        try (Database db = TestDatabases.open(url, 4)) {
            List<CanonicalEvent> stored = new ArrayList<>();
            List<DeliveredLookup.Send> asked = new ArrayList<>();
            for (int i = 0; i < 700; i++) {   // more than one IN list of 500
                stored.add(delivered("postmark", "m" + i, "r" + i + "@example.com", T.plusSeconds(i)));
                asked.add(new DeliveredLookup.Send("postmark", "m" + i, "r" + i + "@example.com"));
            }
            // a second delivery of m1 later, and one of m2 earlier: the earliest wins
            stored.add(delivered("postmark", "m1", "r1@example.com", T.plusSeconds(5000), "again"));
            stored.add(delivered("postmark", "m2", "r2@example.com", T.minusSeconds(60), "earlier"));
            // same message id, other recipient or other ESP: not the send asked for
            stored.add(delivered("postmark", "m3", "someone-else@example.com", T.minusSeconds(600)));
            stored.add(delivered("sendgrid", "m4", "r4@example.com", T.minusSeconds(600)));
            new Journal(db).store("test", null, stored, Map.of(), T);
            asked.add(new DeliveredLookup.Send("postmark", "never-delivered", "r@example.com"));

            Map<DeliveredLookup.Send, Instant> found = new DeliveredLookup(db).deliveredAt(asked);

            assertThat(found).hasSize(700);
            assertThat(found.get(asked.get(0))).isEqualTo(T);
            assertThat(found.get(asked.get(1))).isEqualTo(T.plusSeconds(1));
            assertThat(found.get(asked.get(2))).isEqualTo(T.minusSeconds(60));
            assertThat(found.get(asked.get(3))).isEqualTo(T.plusSeconds(3));
            assertThat(found.get(asked.get(4))).isEqualTo(T.plusSeconds(4));
            assertThat(found.get(asked.get(699))).isEqualTo(T.plusSeconds(699));
            assertThat(found).doesNotContainKey(new DeliveredLookup.Send("postmark", "never-delivered", "r@example.com"));
        } finally {
            TestDatabases.drop(url);
        }
    }
}
