"""Products whose search documents must be (re)written.

A mark is written in the same transaction as the change it follows, and
removed only once the index has accepted the document, so a search engine
outage loses no write: the marks wait, and the sync and reconcile tasks
catch up when the engine is back.
"""

from __future__ import annotations

from django.db import models


class PendingDocument(models.Model):
    product_id = models.BigIntegerField(unique=True)
    marked_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = "pending search document"

    def __str__(self) -> str:
        return f"product {self.product_id}"
