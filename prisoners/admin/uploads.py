"""Where an admin upload waits between its preview and its confirmation:
one private directory per token under settings.IMPORT_DIR, vouched for by
the session that made it or by one of the user's background imports, and
removed once imported, refused, or left unconfirmed for KEEP_SECONDS."""

from __future__ import annotations

import os
import secrets
import shutil
import stat
import time
from pathlib import Path

from django.conf import settings

from ..models import ImportJob
from . import mapping
from .import_jobs import upload_files

# Uploads wait at most this long unconfirmed.
KEEP_SECONDS = 24 * 60 * 60
PRIVATE = 0o700


def store() -> Path:
    """settings.IMPORT_DIR, made if missing, readable by this user only
    (uploads hold unpublished records); a looser mode is tightened."""
    directory = Path(settings.IMPORT_DIR)
    directory.mkdir(mode=PRIVATE, parents=True, exist_ok=True)
    if stat.S_IMODE(directory.stat().st_mode) != PRIVATE:
        directory.chmod(PRIVATE)
    return directory


def keep(request, files) -> str:
    """Store the uploaded ``files`` under a new token, vouched for by this session."""
    _forget_old_uploads()
    token = secrets.token_urlsafe(16)
    directory = store() / token
    directory.mkdir(mode=PRIVATE)
    for number, upload in enumerate(files):
        path = directory / f"{number}.csv"
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    request.session[f"import-{token}"] = [f.name for f in files]
    return token


def stored(request, token: str) -> list[tuple[str, Path]] | None:
    """The upload behind ``token``, if this session made it or it is one of
    this user's background imports (the token is never used as a path before
    the session or a job vouches for it)."""
    names = request.session.get(f"import-{token}")
    if not names and token:
        job = ImportJob.objects.filter(user=request.user, token=token).first()
        names = job.names if job else None
    directory = store() / token
    if not names or not directory.is_dir():
        return None
    return upload_files(directory, names)


def discard(request, token: str) -> None:
    """Forget the upload, its answers and its files."""
    request.session.pop(f"import-{token}", None)
    request.session.pop(f"import-{token}-choices", None)
    mapping.forget(request, token)
    shutil.rmtree(store() / token, ignore_errors=True)


def _forget_old_uploads() -> None:
    """Uploads left unconfirmed for KEEP_SECONDS are removed."""
    for directory in store().iterdir():
        if directory.stat().st_mtime < time.time() - KEEP_SECONDS:
            shutil.rmtree(directory, ignore_errors=True)
