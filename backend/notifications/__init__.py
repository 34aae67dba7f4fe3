"""Every message the platform sends to a person: templated (vi/en), written with its event through the
outbox, delivered over the `messaging/` channels with retries and fallback, with its status recorded."""
