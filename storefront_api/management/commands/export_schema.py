"""Write the live schema as SDL to storefront_api/schema.graphql (or --out)."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from graphql import print_schema

SCHEMA_FILE = Path(settings.BASE_DIR) / "storefront_api" / "schema.graphql"


def schema_sdl() -> str:
    from storefront_api.schema import schema

    return print_schema(schema.graphql_schema) + "\n"


class Command(BaseCommand):
    help = "Export the GraphQL schema (SDL) for clients and the contract check."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", default=str(SCHEMA_FILE))

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        out.write_text(schema_sdl(), encoding="utf-8")
        self.stdout.write(f"Wrote {out}")
