package com.emaileventhub.destination.crm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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
    void is_bounded_dropping_the_least_recently_used() {
        cache.found("a@x.com", new RecordRef("Contact", "1"));
        cache.found("b@x.com", new RecordRef("Contact", "2"));
        cache.get("a@x.com");
        cache.found("c@x.com", new RecordRef("Contact", "3"));

        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get("b@x.com").known()).isFalse();
        assertThat(cache.get("a@x.com").known()).isTrue();
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
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
