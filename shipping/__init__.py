"""Carrier adapters behind one interface (GHN, GHTK, Viettel Post, sandbox): quotes, shipments,
labels, status notifications, status queries, COD remittance statements and master data.

Pure Python: imports nothing from `backend/` and no Django (tests/shipping/test_purity.py), so
each adapter is testable alone against recorded HTTP exchanges. See the README section "Carriers"."""
