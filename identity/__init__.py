"""Seller identity verification behind one interface (VNeID, manual review by a province officer, sandbox)
and the Vietnamese identity number validators (CCCD, tax code). Pure Python: imports nothing from
`backend/` and no Django. Built for issue 20; wired into the sellers app by the backend."""
