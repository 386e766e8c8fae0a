package com.emaileventhub.store;

import com.emaileventhub.store.InsightQuery.Interval;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;

/**
 * Which stored rows answer a query over send times exactly (bucket: hour, day, week, month or none). The buckets (in the query's time zone) are cut into UTC
 * days wholly inside one bucket and the range (daily rows), whole quarter hours (quarter-hour rows, while they
 * are kept) and what is left: the ragged edges of a range that does not start or end on a quarter hour, and
 * anything older than the quarter-hour rows, which is read send by send. Every zone offset in use is a
 * multiple of 15 minutes, so a quarter hour never straddles a bucket edge.
 */
public final class InsightPlan {
    private static final long Q = InsightRollups.QUARTER_MS;
    private static final long DAY = InsightRollups.DAY_MS;

    final List<Interval> days = new ArrayList<>();
    final List<Interval> quarters = new ArrayList<>();
    final List<Interval> units = new ArrayList<>();
    private final String bucket;
    private final ZoneId tz;
    private final long from;

    /** @param fineFrom the earliest time from which quarter-hour rows are certainly kept */
    public InsightPlan(long from, long to, String bucket, ZoneId tz, long fineFrom) {
        this.bucket = bucket;
        this.tz = tz;
        this.from = from;
        long start = bucketStart(from);
        while (start < to) {
            long next = next(start, to);
            cover(Math.max(start, from), Math.min(next, to), fineFrom);
            start = next;
        }
    }

    /** The start of the bucket holding the time (for bucket none: the range's from). */
    public long bucketStart(long at) {
        if (bucket.equals("none")) {
            return from;
        }
        ZonedDateTime t = Instant.ofEpochMilli(at).atZone(tz);
        ZonedDateTime s = switch (bucket) {
            case "hour" -> t.truncatedTo(ChronoUnit.HOURS);
            case "day" -> t.toLocalDate().atStartOfDay(tz);
            case "week" -> t.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay(tz);
            default -> t.toLocalDate().withDayOfMonth(1).atStartOfDay(tz);
        };
        return s.toInstant().toEpochMilli();
    }

    private long next(long start, long to) {
        if (bucket.equals("none")) {
            return to;
        }
        ZonedDateTime s = Instant.ofEpochMilli(start).atZone(tz);
        ZonedDateTime n = switch (bucket) {
            case "hour" -> s.plusHours(1);
            case "day" -> s.toLocalDate().plusDays(1).atStartOfDay(tz);
            case "week" -> s.toLocalDate().plusWeeks(1).atStartOfDay(tz);
            default -> s.toLocalDate().plusMonths(1).atStartOfDay(tz);
        };
        // hour buckets across a backward DST change: the next hour start is one hour later in UTC
        return Math.max(n.toInstant().toEpochMilli(), start + 1);
    }

    private void cover(long a, long b, long fineFrom) {
        long firstDay = ceil(a, DAY);
        long lastDay = Math.floorDiv(b, DAY) * DAY;
        if (firstDay < lastDay) {
            add(days, firstDay, lastDay);
            fine(a, firstDay, fineFrom);
            fine(lastDay, b, fineFrom);
        } else {
            fine(a, b, fineFrom);
        }
    }

    private void fine(long a, long b, long fineFrom) {
        if (a >= b) {
            return;
        }
        long q0 = Math.max(ceil(a, Q), ceil(fineFrom, Q));
        long q1 = Math.floorDiv(b, Q) * Q;
        if (q0 >= q1) {
            add(units, a, b);
            return;
        }
        add(units, a, q0);
        add(quarters, q0, q1);
        add(units, q1, b);
    }

    private static void add(List<Interval> list, long a, long b) {
        if (a >= b) {
            return;
        }
        if (!list.isEmpty() && list.get(list.size() - 1).to() == a) {
            Interval last = list.remove(list.size() - 1);
            list.add(new Interval(last.from(), b));
        } else {
            list.add(new Interval(a, b));
        }
    }

    private static long ceil(long v, long unit) {
        return -Math.floorDiv(-v, unit) * unit;
    }
}
