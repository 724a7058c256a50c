"""Stored files that follow the database transaction.

A file written to storage inside a transaction outlives a rollback: the row
that pointed to it is gone, the bytes stay (private storage fills with orphans
nobody can find or delete). ``atomic_with_files`` is ``transaction.atomic``
that also deletes every file saved through it when the block fails, including
when the commit itself fails (a deferred constraint, a lost connection).

Use it as the outermost transaction of an entry point (``durable=True``): a
rollback of an enclosing transaction after the block has left cannot be seen
from here.
"""

import contextlib
import logging
from collections.abc import Iterator

from django.core.files.base import File
from django.db import transaction
from django.db.models.fields.files import FieldFile

logger = logging.getLogger(__name__)


class StoredFiles:
    """The files saved inside one ``atomic_with_files`` block."""

    def __init__(self) -> None:
        self._written: list[tuple[object, str]] = []

    def save(self, fieldfile: FieldFile, name: str, content: File) -> None:
        """``fieldfile.save(name, content, save=False)``, remembered for
        deletion if the transaction does not commit. The model row is saved by
        the caller, in the same transaction."""
        fieldfile.save(name, content, save=False)
        self._written.append((fieldfile.storage, fieldfile.name))

    def delete_all(self) -> None:
        """Delete what was written; a storage error is logged, never raised
        (the original error is the one the caller must see)."""
        for storage, name in reversed(self._written):
            try:
                storage.delete(name)
            except Exception:
                logger.exception("could not delete orphaned file %s", name)
        self._written.clear()


@contextlib.contextmanager
def atomic_with_files(*, durable: bool = False) -> Iterator[StoredFiles]:
    """``with atomic_with_files(durable=True) as files: ... files.save(f, name,
    content)``: the block's transaction, and the files saved through ``files``
    deleted from storage if the block raises or the commit fails."""
    files = StoredFiles()
    try:
        with transaction.atomic(durable=durable):
            yield files
    except BaseException:
        files.delete_all()
        raise
