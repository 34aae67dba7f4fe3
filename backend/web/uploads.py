"""Files a form keeps across a validation error: a photo chosen on the product form, the spreadsheet
of an import's dry run. Nobody should choose the same file twice.

The file goes to the default storage under `staged/<day>/<random>`; the page carries a token signed
for the user who sent it (and only usable by them, for `MAX_AGE`). Using the file deletes it;
folders of days older than `KEEP_DAYS` are swept whenever something new is staged.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePosixPath
from typing import IO, Any

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

SALT = "web.staged-upload"
ROOT = "staged"
MAX_AGE = 24 * 3600
KEEP_DAYS = 2
MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class StagedFile:
    token: str
    name: str  # in the storage
    original_name: str

    @property
    def url(self) -> str:
        return str(default_storage.url(self.name))

    def content(self) -> bytes:
        with default_storage.open(self.name, "rb") as handle:
            data: bytes = handle.read()
        return data

    def as_upload(self) -> ContentFile[bytes]:
        """The file again, like the upload it was (a name and a size)."""
        return ContentFile(self.content(), name=self.original_name)


def _sweep(today: str) -> None:
    """Forget staged files of days long gone (a form that was never sent again)."""
    with contextlib.suppress(OSError, NotImplementedError):
        days, _files = default_storage.listdir(ROOT)
        oldest = (timezone.localdate() - timedelta(days=KEEP_DAYS)).isoformat()
        for day in days:
            if day < oldest and day != today:
                for name in default_storage.listdir(f"{ROOT}/{day}")[1]:
                    default_storage.delete(f"{ROOT}/{day}/{name}")


def stage(*, user_id: int | None, content: bytes | IO[bytes], original_name: str) -> StagedFile:
    """Keep `content` for the user's next submission of the same form."""
    data = content if isinstance(content, bytes) else content.read()
    today = timezone.localdate().isoformat()
    _sweep(today)
    suffix = PurePosixPath(original_name or "").suffix.lower()[:8]
    name = default_storage.save(f"{ROOT}/{today}/{uuid.uuid4().hex}{suffix}", ContentFile(data[:MAX_BYTES]))
    token = signing.dumps({"n": name, "u": user_id, "o": original_name[:200]}, salt=SALT, compress=True)
    return StagedFile(token=token, name=name, original_name=original_name[:200])


def staged(*, user_id: int | None, tokens: list[str]) -> list[StagedFile]:
    """The files behind `tokens` that this user staged and that are still there (others are ignored)."""
    found = []
    for token in tokens[:20]:
        try:
            data: dict[str, Any] = signing.loads(token, salt=SALT, max_age=MAX_AGE)
        except signing.BadSignature:
            continue
        name = str(data.get("n", ""))
        if data.get("u") != user_id or not name.startswith(f"{ROOT}/") or not default_storage.exists(name):
            continue
        found.append(StagedFile(token=token, name=name, original_name=str(data.get("o", ""))))
    return found


def discard(files: list[StagedFile]) -> None:
    for file in files:
        with contextlib.suppress(OSError):
            default_storage.delete(file.name)
