from django.apps import AppConfig


class TaxConfig(AppConfig):
    name = "backend.tax"
    label = "tax"
    verbose_name = "Thuế khấu trừ"

    def ready(self) -> None:
        from backend.orders.signals import refund_written, sale_written
        from backend.tax import withholding

        sale_written.connect(withholding.on_sale_recorded, dispatch_uid="tax.sale")
        refund_written.connect(withholding.on_refund_recorded, dispatch_uid="tax.refund")
