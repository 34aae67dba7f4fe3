"""Requests people make about their personal data, tracked against their deadline."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DataRequestKind(models.TextChoices):
    EXPORT = "EXPORT", _("Download my data")
    DELETE = "DELETE", _("Delete my account")


class DataRequestStatus(models.TextChoices):
    OPEN = "OPEN", _("Open")
    DONE = "DONE", _("Done")


class DataRequest(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=DataRequestKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=DataRequestStatus.choices, default=DataRequestStatus.OPEN, db_index=True
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    due_at = models.DateTimeField(_("due at"), db_index=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("personal data request")
        verbose_name_plural = _("personal data requests")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"
