-- Delivery leases: an instance claims due outbox rows by writing its id and a lease end, in a short
-- transaction (PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED), so two hub instances on one database
-- never deliver the same item at the same time. While a row is leased its next_attempt_at is the lease
-- end, so a crashed instance's items fall due again by themselves when the lease runs out.
ALTER TABLE hub_delivery ADD COLUMN lease_owner VARCHAR(128);
ALTER TABLE hub_delivery ADD COLUMN lease_until BIGINT;
-- GET /api/deliveries and replay select by destination, status and the time the item was queued.
CREATE INDEX hub_delivery_listing ON hub_delivery (destination, status, created_at, event_id);
