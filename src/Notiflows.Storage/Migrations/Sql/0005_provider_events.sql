-- Inbound provider events (§14.4) find a channel's delivery by the id its provider gave the message. Partial: deliveries
-- that were never accepted by a provider (pending, skipped, failed, in-app) carry no provider_message_id.
CREATE INDEX deliveries_provider_message ON deliveries (channel_id, provider_message_id) WHERE provider_message_id IS NOT NULL;
