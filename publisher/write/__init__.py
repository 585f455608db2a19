"""Write stage: put each edition in place whole, and record it in the manifest.

Every file is written under a temporary name beside its final one and renamed when complete,
so a failed or interrupted build never leaves a half-written edition where a reader finds it.
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
    """Hold ``output`` for one build's writing.

    A second build writing to the folder while one is running is refused (WRITE-001) rather
    than mixing its files with the first's; a folder that cannot be written (not a folder, no
    permission, no space) is one message (WRITE-002), not a traceback. Editions moved into
    place before a failure stay; the manifest lists only editions whose files match it.
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
        yield
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


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
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


def record_editions(output: Path, written: list[EditionRecord]) -> Path:
    """Merge the editions just written into ``output/manifest.json``.

    Editions built earlier and not rebuilt now stay listed while their file is unchanged.
    """
    path = output / MANIFEST
    kept = {}
    if path.is_file():
        for entry in json.loads(path.read_text(encoding="utf-8")).get("editions", []):
            main = output / entry["path"]
            if main.is_file() and hashlib.sha256(main.read_bytes()).hexdigest() == entry["sha256"]:
                kept[(entry["lang"], entry["format"], entry["variant"])] = entry
    for record in written:
        kept[record.key] = {k: v for k, v in asdict(record).items() if v is not None}
    editions = [kept[key] for key in sorted(kept)]
    write_atomically(path, (json.dumps({"editions": editions}, ensure_ascii=False, indent=2) + "\n")
                     .encode("utf-8"))
    return path
