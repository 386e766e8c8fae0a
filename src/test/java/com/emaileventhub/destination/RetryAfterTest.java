package com.emaileventhub.destination;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
    private static final Instant NOW = Instant.parse("2015-10-21T07:28:00Z");

    @Test
    void reads_delay_seconds_and_http_dates() {
        assertThat(RetryAfter.parse("120", NOW)).isEqualTo(Duration.ofMinutes(2));
        assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:29:00 GMT", NOW)).isEqualTo(Duration.ofMinutes(1));
        assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:27:00 GMT", NOW)).isEqualTo(Duration.ZERO);
    }

    @Test
    void ignores_what_it_cannot_read() {
        assertThat(RetryAfter.parse(null, NOW)).isNull();
        assertThat(RetryAfter.parse("soon", NOW)).isNull();
        assertThat(RetryAfter.parse("-5", NOW)).isNull();
    }
}
