"""Storage for private files (sellers' business documents): never under MEDIA_ROOT or MEDIA_URL.

Public media (product photos) are served from `/media/` (or the bucket) by anyone; private files are
only ever streamed by a view that checks who asks. On the file system they live in
PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT (a system check refuses an overlap); with S3 under the
`private/` prefix of the bucket with a private ACL (the bucket policy must not make it public).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import Error, register
from django.core.files.storage import FileSystemStorage, Storage, storages

PRIVATE = "private"


class PrivateFileSystemStorage(FileSystemStorage):
    """FileSystemStorage rooted at PRIVATE_MEDIA_ROOT (read at each use), with no URL."""

    @property
    def base_location(self) -> Any:
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL: serve them through a view that checks permissions.")


def private_storage() -> Storage:
    """The storage of private files (STORAGES["private"])."""
    return storages[PRIVATE]


@register()
def check_private_media_root(app_configs: Any, **kwargs: Any) -> list[Error]:
    private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    public = Path(settings.MEDIA_ROOT).resolve()
    if private == public or public in private.parents or private in public.parents:
        return [
            Error(
                "PRIVATE_MEDIA_ROOT must not be inside MEDIA_ROOT (nor contain it): private files would be public.",
                id="core.E001",
            )
        ]
    return []
