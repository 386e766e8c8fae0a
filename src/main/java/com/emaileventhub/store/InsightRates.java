package com.emaileventhub.store;

import java.util.Arrays;
import java.util.List;

/** The rates of the insight contract: name, numerator and denominator (indexes into {@link InsightCounts#NAMES}). */
public final class InsightRates {
    /** One rate; {@link #numerator(long[])} and {@link #denominator(long[])} read a counts vector. */
    public record Rate(String name, int[] numeratorIndexes, int denominatorIndex) {
        public long numerator(long[] counts) {
            return Arrays.stream(numeratorIndexes).mapToLong(i -> counts[i]).sum();
        }

        public long denominator(long[] counts) {
            return counts[denominatorIndex];
        }

        /** The rate, or null when the denominator is 0. */
        public Double value(long[] counts) {
            long den = denominator(counts);
            return den == 0 ? null : (double) numerator(counts) / den;
        }
    }

    private static final List<String> C = InsightCounts.NAMES;
    public static final List<Rate> ALL = List.of(
            new Rate("delivery_rate", idx("delivered"), C.indexOf("sent")),
            new Rate("bounce_rate", idx("hard_bounced", "soft_bounced"), C.indexOf("sent")),
            new Rate("hard_bounce_rate", idx("hard_bounced"), C.indexOf("sent")),
            new Rate("complaint_rate", idx("complained"), C.indexOf("delivered")),
            new Rate("unsubscribe_rate", idx("unsubscribed"), C.indexOf("delivered")),
            new Rate("open_rate", idx("opened"), C.indexOf("delivered")),
            new Rate("click_rate", idx("clicked"), C.indexOf("delivered")),
            new Rate("click_to_open_rate", idx("clicked"), C.indexOf("opened")));

    private InsightRates() {
    }

    /** The rate of that name, or null. */
    public static Rate byName(String name) {
        return ALL.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }

    private static int[] idx(String... names) {
        return Arrays.stream(names).mapToInt(C::indexOf).toArray();
    }
}
