"""manage.py import_sellers FILE.xlsx|FILE.csv [--commit] [--actor EMAIL] [--report REPORT.csv|REPORT.xlsx]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backend.accounts.models import User
from backend.core.errors import DomainError
from backend.reports.exports import import_report_file
from backend.reports.imports import ImportReport, import_sellers


def print_report(report: ImportReport, write: Any) -> None:
    for p in report.problems:
        mark = "SKIP" if p.skipped else "note"
        suggestion = f" → {p.suggestion}" if p.suggestion else ""
        write(f"{mark} {p.sheet}:{p.row} [{p.column}] {p.problem}{suggestion}")
    verb = "written" if report.committed else "would be written (dry run)"
    write(
        f"{report.rows_read} rows read, {report.rows_skipped} skipped; {verb}: "
        f"{report.sellers_created} new sellers (PENDING), {report.sellers_merged} merged into existing, "
        f"{report.products_created} products"
    )


class Command(BaseCommand):
    help = "Import legacy sellers and products (dry run unless --commit)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--commit", action="store_true", help="Write the valid rows (one transaction).")
        parser.add_argument("--actor", help="E-mail of the importing admin (default: the first superuser).")
        parser.add_argument("--report", help="Also write the problems to this .csv or .xlsx file.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if options["actor"]:
            actor = User.objects.filter(email__iexact=options["actor"]).first()
        else:
            actor = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if actor is None:
            raise CommandError("No importing admin: pass --actor EMAIL (a province admin or superuser).")
        try:
            report = import_sellers(
                actor=actor, file_name=path.name, content=path.read_bytes(), commit=options["commit"]
            )
        except DomainError as exc:
            raise CommandError(str(exc.details[0].message)) from None
        print_report(report, self.stdout.write)
        if options["report"]:
            target = Path(options["report"])
            target.write_bytes(import_report_file(report, fmt="xlsx" if target.suffix.lower() == ".xlsx" else "csv"))
            self.stdout.write(f"report written to {target}")
