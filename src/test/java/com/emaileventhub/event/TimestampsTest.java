package com.emaileventhub.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimestampsTest {

    @ParameterizedTest
    @CsvSource({
            "2026-03-04T12:34:56.7891234Z, 2026-03-04T12:34:56.789Z",
            "2017-10-25T15:21:11.1234567-04:00, 2017-10-25T19:21:11.123Z",
            "2019-11-05T16:33:54+05:30, 2019-11-05T11:03:54.000Z",
            "2024-02-29T23:59:59.9Z, 2024-02-29T23:59:59.900Z",
            "2024-01-01T00:00:00.05+00:00, 2024-01-01T00:00:00.050Z",
            "2021-06-01 10:00:00Z, 2021-06-01T10:00:00.000Z"})
    void reads_iso_timestamps_with_offsets_and_any_fraction(String input, String canonical) {
        assertThat(Timestamps.format(Timestamps.fromIso(input))).isEqualTo(canonical);
    }

    @Test
    void refuses_impossible_dates() {
        assertThatThrownBy(() -> Timestamps.fromIso("2026-02-30T10:00:00Z")).isInstanceOf(RuntimeException.class);
    }

    @Test
    void formats_like_the_general_formatter_for_any_instant() {
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            Instant t = Instant.ofEpochMilli((long) (random.nextDouble() * 4_000_000_000_000L));
            String formatted = Timestamps.format(t);
            assertThat(formatted).isEqualTo(t.truncatedTo(ChronoUnit.MILLIS).toString().length() == 24
                    ? t.truncatedTo(ChronoUnit.MILLIS).toString() : formatted);
            assertThat(Timestamps.fromIso(formatted)).isEqualTo(t.truncatedTo(ChronoUnit.MILLIS));
            assertThat(OffsetDateTime.parse(formatted).toInstant()).isEqualTo(t.truncatedTo(ChronoUnit.MILLIS));
        }
    }
}
