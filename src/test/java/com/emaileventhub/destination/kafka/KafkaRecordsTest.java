package com.emaileventhub.destination.kafka;

import static com.emaileventhub.destination.DeliveryFixtures.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** The records of a batch, and the hand-over that stops after a send that blocked for max.block.ms. */
class KafkaRecordsTest {
    private final Exchange exchange = new DefaultExchange(new DefaultCamelContext());

    @Test
    void each_event_becomes_a_json_message_keyed_by_recipient_with_id_and_type_headers_in_batch_order() throws Exception {
        List<CanonicalEvent> batch = events(3, EventType.CLICKED);
        List<Message> records = new ArrayList<>();
        new KafkaRecords(Duration.ofSeconds(5)).records(batch, exchange).forEachRemaining(records::add);

        assertThat(records).hasSize(3);
        for (int i = 0; i < 3; i++) {
            CanonicalEvent event = batch.get(i);
            Message m = records.get(i);
            assertThat(m.getHeaders()).containsOnlyKeys(KafkaConstants.KEY, KafkaRecords.EVENT_ID, KafkaRecords.EVENT_TYPE)
                    .containsEntry(KafkaConstants.KEY, event.recipient())
                    .containsEntry(KafkaRecords.EVENT_ID, event.id())
                    .containsEntry(KafkaRecords.EVENT_TYPE, "clicked");
            assertThat(Json.MAPPER.readTree(m.getBody(byte[].class)).get("id").asText()).isEqualTo(event.id());
        }
    }

    @Test
    void after_a_send_that_blocked_for_max_block_the_rest_of_the_batch_is_not_handed_over() {
        // max-block 0: whatever the send of the first record took, it counts as blocked
        Iterator<Message> records = new KafkaRecords(Duration.ZERO).records(events(5, EventType.OPENED), exchange);
        assertThat(records.hasNext()).isTrue();
        records.next();

        assertThatThrownBy(records::hasNext).isInstanceOf(TimeoutException.class).hasMessageContaining("4 of 5 records not sent");
    }

    @Test
    void a_batch_of_one_is_never_cut_short() {
        Iterator<Message> records = new KafkaRecords(Duration.ZERO).records(events(1, EventType.OPENED), exchange);
        records.next();

        assertThat(records.hasNext()).as("the last send's failure is the endpoint's to report").isFalse();
    }
}
