"""Private files in S3: the bucket's `private/` prefix, private ACL, signed URLs, never overwritten."""

from __future__ import annotations

from typing import Any

from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    def __init__(self, **settings: Any) -> None:
        defaults = {"location": "private", "default_acl": "private", "querystring_auth": True, "file_overwrite": False}
        super().__init__(**{**defaults, **settings})
