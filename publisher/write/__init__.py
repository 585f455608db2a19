"""Write stage: put each edition in place whole, and record it in the manifest.

Every file is written under a temporary name beside its final one and renamed when complete,
so a failed or interrupted build never leaves a half-written edition where a reader finds it,
and the manifest lists, at every moment, only editions whose files are on disk with the
checksums it records: a build killed at any point leaves a consistent output folder.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..inputs import files_intact, recorded_editions
from ..languages import LANGUAGES
from ..problems import Problem

if TYPE_CHECKING:
    from ..render.formats import RenderedEdition

MANIFEST = "manifest.json"
LOCK = ".build.lock"


class OutputUnavailable(Exception):
    """The output folder cannot take this build's editions; ``problem`` says why."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


@contextmanager
def output_folder(output: Path):
    """Hold ``output`` for one build's writing; yields its :class:`Manifest`.

    A second build writing to the folder while one is running is refused (WRITE-001) rather
    than mixing its files with the first's; a folder that cannot be written (not a folder, no
    permission, no space) is one message (WRITE-002), not a traceback. Editions moved into
    place before a failure stay; the manifest lists only editions whose files match it. The
    temporary files of a build killed outright (SIGKILL, a power cut) are removed first.
    """
    def unwritable(error: OSError) -> OutputUnavailable:
        return OutputUnavailable(Problem(
            "WRITE-002", error.filename or output, None, f"cannot write the editions: {error.strerror}",
            "check that the output folder is a folder you may write to, with free space"))
    try:
        output.mkdir(parents=True, exist_ok=True)
        handle = open(output / LOCK, "a")
    except OSError as error:
        raise unwritable(error) from error
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise OutputUnavailable(Problem(
            "WRITE-001", output, None, "another build is writing to this folder",
            "wait for it to finish, or build into another folder with --output")) from None
    try:
        remove_stale_temporaries(output)
        yield Manifest(output)
    except OSError as error:
        raise unwritable(error) from error
    finally:
        handle.close()


@dataclass(frozen=True)
class FileRecord:
    path: str     # relative to output/
    bytes: int
    sha256: str


@dataclass(frozen=True)
class EditionRecord:
    lang: str
    format: str
    variant: str
    media_type: str
    path: str
    bytes: int
    sha256: str
    files: tuple[FileRecord, ...]
    text_fidelity: dict[str, float] | None = None
    inputs: str | None = None    # fingerprint of what the edition is made from (see publisher/inputs.py)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.lang, self.format, self.variant)


TEMPORARY = ".{name}.*.part"   # what write_atomically names a file while it writes it


def remove_stale_temporaries(output: Path) -> None:
    """Delete the temporary files of the editions and the manifest left by a build that was
    killed before it could; called with the lock held, so no build is writing them."""
    stale = list(output.glob(TEMPORARY.format(name=MANIFEST)))
    for lang in LANGUAGES:
        stale += (output / lang).rglob(TEMPORARY.format(name="*"))
    for path in stale:
        if path.is_file() and not path.is_symlink():
            path.unlink()


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    prefix, suffix = TEMPORARY.format(name=path.name).split("*")
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_edition(edition: RenderedEdition, output: Path, inputs: str | None = None) -> EditionRecord:
    records = []
    for relative, data in sorted(edition.files.items()):
        path = output / edition.place / relative
        write_atomically(path, data)
        records.append(FileRecord(f"{edition.place}/{relative}", len(data), hashlib.sha256(data).hexdigest()))
    main = next(r for r in records if r.path == f"{edition.place}/{edition.main}")
    return EditionRecord(edition.lang, edition.format, edition.variant, edition.media_type,
                         main.path, main.bytes, main.sha256, tuple(records), edition.text_fidelity,
                         inputs)


class Manifest:
    """``output/manifest.json`` while a build writes into ``output``.

    It keeps the editions listed before whose files are all still there with their checksums,
    and is written again before and after each edition is moved into place: an edition being
    replaced is first taken out of it, so the manifest never lists a file that differs from
    what it records, whenever the build is stopped.
    """

    def __init__(self, output: Path):
        self.output = output
        self.path = output / MANIFEST
        self.entries = {key: entry for key, entry in recorded_editions(output).items()
                        if files_intact(output, entry)}

    def write_edition(self, edition: RenderedEdition, inputs: str | None = None) -> EditionRecord:
        """Move ``edition`` into place and list it."""
        key = (edition.lang, edition.format, edition.variant)
        if self.entries.pop(key, None) is not None:
            self._save()
        record = write_edition(edition, self.output, inputs)
        self.entries[key] = {k: v for k, v in asdict(record).items() if v is not None}
        self._save()
        return record

    def _save(self) -> None:
        editions = [self.entries[key] for key in sorted(self.entries)]
        write_atomically(self.path, (json.dumps({"editions": editions}, ensure_ascii=False, indent=2)
                                     + "\n").encode("utf-8"))
