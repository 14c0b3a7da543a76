-- The User API feed (§7.2) and its badge counts (§15.1) read one user's in-app entries in one channel, newest first:
-- an index led by (recipient_id, channel_id) and ending in id serves the page without sorting and the counts without
-- touching other channels' deliveries. Partial on the in-app channel type, which every feed query names
-- (FeedStore.IsEntry), so email, SMS and push deliveries never enter it.
CREATE INDEX deliveries_feed ON deliveries (recipient_id, channel_id, id) WHERE channel_type = 'in_app';
