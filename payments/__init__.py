"""Payment gateway adapters behind one interface (VNPay, MoMo, ZaloPay,
VietQR/payOS, Stripe, cash on delivery, sandbox). Pure Python: imports nothing
from `backend/`, so each adapter is testable alone. Built in the checkout issue."""
