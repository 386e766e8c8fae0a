-- Per-attempt history of a delivery item: one row per failed attempt (retried, refused, given up, or a
-- configuration error), none for a plain success, which hub_delivery records already (status delivered,
-- updated_at). Keyed by the item's attempt count after the outcome, so a configuration error (which does
-- not use up an attempt) or an attempt after a replay (which resets the count) overwrites the entry of
-- the same count: at most max-attempts + 1 rows per item. Rows go with their item (ON DELETE CASCADE).
CREATE TABLE hub_delivery_attempt (
    destination  VARCHAR(64)  NOT NULL,
    event_id     VARCHAR(32)  NOT NULL,
    attempt      INT          NOT NULL,
    at           BIGINT       NOT NULL,
    status       VARCHAR(16)  NOT NULL,
    error        VARCHAR(500),
    PRIMARY KEY (destination, event_id, attempt),
    CONSTRAINT hub_delivery_attempt_item FOREIGN KEY (destination, event_id)
        REFERENCES hub_delivery (destination, event_id) ON DELETE CASCADE
);
