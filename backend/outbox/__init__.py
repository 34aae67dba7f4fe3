"""The transactional outbox: side effects that must survive (e-mails, refunds, gateway calls)
are rows written in the caller's transaction and delivered after commit, with retries."""
