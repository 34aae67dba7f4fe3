"""Notification channels behind one interface (e-mail, eSMS brandname SMS, Zalo ZNS, sandboxes), the
fallback planner and the retry/fallback decisions. Pure Python: imports nothing from `backend/` and no
Django, so each channel is testable alone. Built for issue 22; wired into the outbox by the backend."""
