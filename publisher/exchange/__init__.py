"""Translators' files: export a translation as PO or XLIFF units, import it back.

``export`` reads the content (load), ``import_translation`` checks the edited units against the
current English, writes them into a copy of the content, runs every check there and only then
writes the changed files and refreshes the sections the file says were reviewed.
"""
from __future__ import annotations

from pathlib import Path

from .apply import import_translation
from .catalog import load_catalog
from .formats import READERS, SUFFIXES, WRITERS, format_of
from .memory import apply_memory

__all__ = ["export", "import_translation", "default_path", "SUFFIXES"]


def default_path(output: Path, lang: str, kind: str) -> Path:
    return output / "exchange" / f"{lang}{SUFFIXES[kind]}"


def export(content: Path, lang: str, kind: str, path: Path, memory: Path | None = None,
           previous: Path | None = None) -> int:
    """Write ``lang``'s units to ``path`` as ``kind`` (po, xliff or xliff12); return how many.

    ``previous``, a file exported before the English changed, gives the English a stale unit
    was translated from (the content keeps only its fingerprint)."""
    catalog = load_catalog(content, lang)
    if memory is not None:
        apply_memory(catalog, memory)
    if previous is not None:
        earlier = {item.id: item.source for item in READERS[format_of(previous)](previous).units}
        for unit in catalog.units:
            if unit.stale and earlier.get(unit.id, unit.source.text) != unit.source.text:
                unit.previous_source = earlier[unit.id]
    path.parent.mkdir(parents=True, exist_ok=True)
    WRITERS[kind](catalog, path)
    return len(catalog.units)
