package com.emaileventhub.destination.crm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RecordCacheTest {
    private final MutableClock clock = new MutableClock();
    private final RecordCache cache = new RecordCache(2, Duration.ofMinutes(60), Duration.ofMinutes(5), clock);

    @Test
    void found_records_live_longer_than_not_found_answers() {
        cache.found("a@x.com", new RecordRef("Contact", "003A"));
        cache.missing("b@x.com");

        clock.advance(Duration.ofMinutes(6));

        assertThat(cache.get("a@x.com")).isEqualTo(new RecordCache.Lookup(true, new RecordRef("Contact", "003A")));
        assertThat(cache.get("b@x.com").known()).isFalse();
        clock.advance(Duration.ofMinutes(55));
        assertThat(cache.get("a@x.com").known()).isFalse();
    }

    @Test
    void a_not_found_answer_is_known_until_it_expires() {
        cache.missing("b@x.com");
        assertThat(cache.get("b@x.com")).isEqualTo(new RecordCache.Lookup(true, null));
    }

    @Test
    void is_bounded() {
        for (int i = 0; i < 50; i++) {
            cache.found(i + "@x.com", new RecordRef("Contact", Integer.toString(i)));
        }

        assertThat(cache.size()).isEqualTo(2);
        long known = IntStream.range(0, 50).filter(i -> cache.get(i + "@x.com").known()).count();
        assertThat(known).isEqualTo(2);
    }

    @Test
    void an_evicted_record_is_asked_again() {
        cache.found("a@x.com", new RecordRef("Contact", "1"));
        cache.evict("a@x.com");

        assertThat(cache.get("a@x.com").known()).isFalse();
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-03-04T12:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
