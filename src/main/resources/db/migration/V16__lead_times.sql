-- Clicks and opens past the scoring window (hub.leads.window) never count again: route leads-maintenance drops them
-- by time, through these indexes (without them each run read the whole table).
CREATE INDEX lead_click_time ON lead_click (clicked_at);
CREATE INDEX lead_open_time ON lead_open (opened_at);
