package com.emaileventhub.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The intake pace on a clock of its own: a group waits while the furthest working destination is beyond the bound,
 * and only then; no longer than the pace-wait; and a withdrawn or stale report never holds intake.
 */
class IntakePaceTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final List<Long> sleeps = new ArrayList<>();
    /** Run at each sleep, after the clock moved: what the destinations report meanwhile. */
    private Runnable meanwhile = () -> { };

    private IntakePace pace(long maxLagMillis, long maxWaitMillis) {
        return new IntakePace(Duration.ofMillis(maxLagMillis), Duration.ofMillis(maxWaitMillis), now::get, millis -> {
            sleeps.add(millis);
            now.addAndGet(millis);
            meanwhile.run();
        });
    }

    @Test
    void destinations_within_the_bound_never_hold_a_group() {
        IntakePace pace = pace(30_000, 1_000);
        pace.await(() -> 0);
        pace.report("archive", 29_000);
        pace.report("insight", 30_000);
        pace.await(() -> 0);
        assertThat(sleeps).isEmpty();
        assertThat(pace.lagMillis()).isEqualTo(30_000);
        assertThat(pace.heldGroups()).isZero();
    }

    @Test
    void a_group_waits_until_the_furthest_destination_is_back_within_the_bound() {
        IntakePace pace = pace(30_000, 1_000);
        pace.report("archive", 45_000);
        pace.report("insight", 10_000);
        meanwhile = () -> {
            if (sleeps.size() == 3) {
                pace.report("archive", 31_000);   // still behind
            }
            if (sleeps.size() == 5) {
                pace.report("archive", 0);   // caught up
            }
        };
        pace.await(() -> 0);
        assertThat(sleeps).hasSize(5).allMatch(ms -> ms == IntakePace.CHECK_MILLIS);
        assertThat(pace.waitedMillis()).isEqualTo(5 * IntakePace.CHECK_MILLIS);
        assertThat(pace.heldGroups()).isEqualTo(1);
        sleeps.clear();
        pace.await(() -> 0);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void a_group_waits_no_longer_than_the_pace_wait() {
        IntakePace pace = pace(30_000, 15);
        meanwhile = () -> pace.report("archive", 60_000);   // fresh, and never catching up
        pace.report("archive", 60_000);
        pace.await(() -> 0);
        assertThat(sleeps.stream().mapToLong(Long::longValue).sum()).isEqualTo(15);
        assertThat(sleeps.get(sleeps.size() - 1)).isEqualTo(1);   // the last step is cut to the wait left
        pace.await(() -> 0);
        assertThat(pace.heldGroups()).isEqualTo(2);
        assertThat(pace.waitedMillis()).isEqualTo(30);
    }

    @Test
    void a_withdrawn_or_stale_report_does_not_hold_intake() {
        IntakePace pace = pace(30_000, 1_000);
        pace.report("archive", 3_600_000);
        pace.withdraw("archive");
        pace.await(() -> 0);
        assertThat(sleeps).isEmpty();

        pace.report("insight", 3_600_000);
        now.addAndGet(IntakePace.STALE_MILLIS + 1);   // its destination has not finished a round since
        assertThat(pace.lagMillis()).isZero();
        pace.await(() -> 0);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void a_stale_report_ends_a_wait() {
        IntakePace pace = pace(30_000, 60_000);
        pace.report("insight", 3_600_000);
        pace.await(() -> 0);   // the destination never reports again: its report stops counting after STALE_MILLIS
        long waited = sleeps.stream().mapToLong(Long::longValue).sum();
        assertThat(waited).isGreaterThan(IntakePace.STALE_MILLIS).isLessThanOrEqualTo(IntakePace.STALE_MILLIS
                + IntakePace.CHECK_MILLIS);
    }

    @Test
    void a_zero_bound_never_paces() {
        IntakePace pace = pace(0, 1_000);
        pace.report("archive", 3_600_000);
        pace.await(() -> 0);
        assertThat(sleeps).isEmpty();
        assertThat(IntakePace.off().maxLag()).isZero();
    }

    @Test
    void the_lag_is_the_furthest_fresh_report() {
        IntakePace pace = pace(30_000, 1_000);
        pace.report("archive", 5_000);
        now.addAndGet(5_000);
        pace.report("leads", 2_000);
        pace.report("insight", -4);   // a clock step back reads as caught up
        assertThat(pace.lagMillis()).isEqualTo(5_000);
        now.addAndGet(IntakePace.STALE_MILLIS - 4_000);
        assertThat(pace.lagMillis()).isEqualTo(2_000);
    }

    @Test
    void while_behind_one_group_per_pace_wait_goes_through_whoever_leads_it() {
        IntakePace pace = pace(30_000, 100);
        pace.report("archive", 60_000);
        meanwhile = () -> pace.report("archive", 60_000);   // behind all along
        long start = now.get();
        pace.await(() -> 0);   // opens the paced stretch, and goes through a whole pace-wait later
        assertThat(now.get() - start).isEqualTo(100);
        // other leaders asking meanwhile: the turn just taken is gone until the next pace-wait
        assertThat(pace.letThrough(start + 100)).isFalse();
        assertThat(pace.letThrough(start + 199)).isFalse();
        assertThat(pace.letThrough(start + 200)).isTrue();
        assertThat(pace.letThrough(start + 200)).isFalse();
        assertThat(pace.letThrough(start + 300)).isTrue();
    }

    @Test
    void a_group_whose_oldest_request_waited_four_pace_waits_goes_through_without_a_turn() {
        IntakePace pace = pace(30_000, 100);
        pace.report("archive", 60_000);
        pace.await(() -> 0);   // opens the stretch
        sleeps.clear();
        meanwhile = () -> {
            pace.report("archive", 60_000);
            pace.letThrough(now.get());   // another leader takes every turn first
        };
        long queuedAt = now.get() - 150;   // the oldest request in the queue came 150 ms before this leader led
        pace.await(() -> now.get() - queuedAt);
        long waited = sleeps.stream().mapToLong(Long::longValue).sum();
        assertThat(waited).isBetween(IntakePace.MOST_TURNS * 100 - 150,
                IntakePace.MOST_TURNS * 100 - 150 + IntakePace.CHECK_MILLIS);
    }

    @Test
    void a_destination_catching_up_does_not_hold_intake_and_one_falling_behind_again_does() {
        IntakePace pace = pace(30_000, 1_000);
        pace.report("archive", 3_600_000);   // back from an outage, an hour of rows to work off
        now.addAndGet(IntakePace.TREND_MILLIS);
        pace.report("archive", 3_590_000);   // its lag fell over the window: it drains faster than intake takes
        pace.await(() -> 0);
        assertThat(sleeps).isEmpty();
        assertThat(pace.lagMillis()).isEqualTo(3_590_000);   // the gauge still shows how far behind it is
        now.addAndGet(IntakePace.TREND_MILLIS / 2);
        pace.report("archive", 3_595_000);   // within the window: the trend stands
        pace.await(() -> 0);
        assertThat(sleeps).isEmpty();
        now.addAndGet(IntakePace.TREND_MILLIS / 2);
        pace.report("archive", 3_600_000);   // over a whole window it fell behind again
        meanwhile = () -> pace.report("archive", 0);
        pace.await(() -> 0);
        assertThat(sleeps).hasSize(1);
        assertThat(pace.heldGroups()).isEqualTo(1);
    }
}
