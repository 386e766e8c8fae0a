package com.emaileventhub.esp.fuzz;

import java.util.Set;

/**
 * What the fuzzer sends, and what the hub may answer. {@code mayAccept}: the request can still be a valid
 * vendor payload (a mutation that keeps the shape); otherwise a 2xx is a defect. {@code statuses}: the only
 * answers allowed when not empty.
 */
enum FuzzCategory {
    VALID(true, Set.of(200)),
    MUTATED(true, Set.of()),
    WRONG_TYPES(true, Set.of()),
    HUGE_STRING(true, Set.of()),
    SANE_BIG_NUMBER(true, Set.of()),
    HUGE_EXPONENT(false, Set.of(400)),
    DEEP_NESTING(true, Set.of()),
    TOO_DEEP(false, Set.of(400)),
    TRAILING_CONTENT(false, Set.of(400)),
    TRUNCATED(false, Set.of(400)),
    INVALID_UTF8(false, Set.of(400)),
    EMPTY_BODY(false, Set.of(400)),
    RANDOM_BYTES(false, Set.of(400)),
    WRONG_CONTENT_TYPE(false, Set.of(415)),
    HUGE_HEADERS(true, Set.of()),
    UNSIGNED(false, Set.of(401));

    final boolean mayAccept;
    final Set<Integer> statuses;

    FuzzCategory(boolean mayAccept, Set<Integer> statuses) {
        this.mayAccept = mayAccept;
        this.statuses = statuses;
    }
}
