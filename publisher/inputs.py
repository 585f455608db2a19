"""What each edition is made from, and which editions are already up to date.

An edition's *inputs* fingerprint is a SHA-256 over the files it is made from — its
language's content folder (both languages' for a parallel edition) and the English one, the
article's shared files (glossary, word list, house spellings, images), every template and
stylesheet, its languages' message catalogs (every language's for the web pages, which name
them all), the fonts, the pipeline's own code and its pinned dependencies — and over the
options that change its bytes (format, variant, the imposed sheets' creep, the site's base
URL, ``SOURCE_DATE_EPOCH``), and over the fingerprints of the editions it carries (the web
page's downloads).
The edition date is in the content, so it is covered. ``output/manifest.json`` records the
fingerprint of each edition as ``inputs``; an edition whose fingerprint, files and checksums
are unchanged is not built again.

Only the standard library is used here: a build decides what to redo before it imports
WeasyPrint, pandoc, fontTools or ICU.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from .languages import LANGUAGES, SOURCE_LANGUAGE
from .render import DEFAULT_OPTIONS, EVERY_LANGUAGE, UNIT_NEEDS, UNIT_OPTIONS, Key, edition_languages

CODE = Path(__file__).resolve().parent
PINNED = "requirements.txt"
CATALOGS = Path("locales")   # under templates/: one folder per language


class Fingerprints:
    """Fingerprints of one project's editions; each folder is read once per build."""

    def __init__(self, project, **options):
        self.project = project
        self.options = {**DEFAULT_OPTIONS, **options}
        self._folders: dict[tuple, list[tuple[str, str]]] = {}

    def _files(self, folder: Path, leave_out: tuple[str, ...] = (),
               suffix: str = "") -> list[tuple[str, str]]:
        """(relative path, SHA-256) of every file under ``folder`` whose name ends with
        ``suffix``, less the subfolders ``leave_out``, in a fixed order."""
        cache_key = (folder, leave_out, suffix)
        if cache_key not in self._folders:
            found = []
            for directory, subfolders, names in os.walk(folder):
                relative = Path(directory).relative_to(folder)
                subfolders[:] = sorted(d for d in subfolders
                                       if (relative / d).as_posix() not in leave_out)
                for name in sorted(n for n in names if n.endswith(suffix)):
                    path = Path(directory, name)
                    found.append(((relative / name).as_posix(),
                                  hashlib.sha256(path.read_bytes()).hexdigest()))
            self._folders[cache_key] = found
        return self._folders[cache_key]

    def _file(self, path: Path) -> str | None:
        return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None

    def of(self, key: Key) -> str:
        lang, fmt, variant = key
        project = self.project
        others = tuple(code for code in LANGUAGES
                       if code not in (*edition_languages(key), SOURCE_LANGUAGE))
        catalogs_read = () if (fmt, variant) in EVERY_LANGUAGE else others
        parts = {
            "content": self._files(project.content, others),
            "templates": self._files(project.templates,
                                     tuple((CATALOGS / code).as_posix() for code in catalogs_read)),
            "fonts": self._files(project.fonts),
            "code": self._files(CODE, suffix=".py"),   # not the compiled files beside them
            "pinned": self._file(project.root / PINNED),
            "python": sys.version,
            "edition": [lang, fmt, variant],
            "options": {name: self.options[name] for name in UNIT_OPTIONS.get((fmt, variant), ())},
            "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH"),
            "needs": [self.of((lang, *need)) for need in UNIT_NEEDS.get((fmt, variant), ())],
        }
        return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def recorded_editions(output: Path) -> dict[Key, dict]:
    """The editions ``output/manifest.json`` lists, by key; none if there is no manifest, and
    none of the entries a hand may have broken."""
    path = output / "manifest.json"
    try:
        entries = json.loads(path.read_text(encoding="utf-8")).get("editions", [])
    except (OSError, ValueError, AttributeError):
        return {}
    if not isinstance(entries, list):
        return {}
    return {(e["lang"], e["format"], e["variant"]): e for e in entries
            if isinstance(e, dict) and all(isinstance(e.get(k), str) for k in ("lang", "format", "variant"))}


def files_intact(output: Path, entry: dict) -> bool:
    """Every file of a recorded edition is still there with the checksum recorded."""
    files = entry.get("files")
    if not isinstance(files, list) or not files:
        return False
    for file in files:
        try:
            if hashlib.sha256((output / file["path"]).read_bytes()).hexdigest() != file["sha256"]:
                return False
        except (OSError, KeyError, TypeError):
            return False
    return True


def outdated(wanted: list[Key], fingerprints: dict[Key, str], output: Path) -> list[Key]:
    """The editions of ``wanted`` whose inputs changed since they were built, or whose files
    are missing or altered: the ones to build."""
    recorded = recorded_editions(output)
    return [key for key in wanted
            if key not in recorded or recorded[key].get("inputs") != fingerprints[key]
            or not files_intact(output, recorded[key])]
