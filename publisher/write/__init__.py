"""Write stage: put each edition in place whole, and record it in the manifest.

Every file is written under a temporary name beside its final one and renamed when complete,
so a failed or interrupted build never leaves a half-written edition where a reader finds it.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..render.formats import RenderedEdition

MANIFEST = "manifest.json"


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
        path = output / edition.lang / relative
        write_atomically(path, data)
        records.append(FileRecord(f"{edition.lang}/{relative}", len(data), hashlib.sha256(data).hexdigest()))
    main = next(r for r in records if r.path == f"{edition.lang}/{edition.main}")
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
