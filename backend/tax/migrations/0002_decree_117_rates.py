"""The rates of Decree 117/2025/NĐ-CP from 1 July 2025 (basis points: 100 = 1 %)."""

from datetime import date

from django.db import migrations

RATES = [("GOODS", 100, 50), ("SERVICE", 500, 200), ("TRANSPORT", 300, 150)]


def seed(apps, schema_editor):
    TaxRate = apps.get_model("tax", "TaxRate")
    for category, vat, pit in RATES:
        TaxRate.objects.get_or_create(
            category=category,
            valid_from=date(2025, 7, 1),
            defaults={"vat_bp": vat, "pit_bp": pit, "source": "Nghị định 117/2025/NĐ-CP"},
        )


class Migration(migrations.Migration):
    dependencies = [("tax", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
