"""Template strings through gettext: catalogs beside the templates, compiled when a build starts.

``templates/locales/<lang>/LC_MESSAGES/messages.po`` holds each language's translations of the
strings in the templates; the ``.mo`` is compiled in memory for every build, so it is never
stale and never committed. The source language needs no catalog. A catalog that lacks a string
the templates use is an error, never a silent English fallback.
"""
from __future__ import annotations

import io
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import NullTranslations, Translations

from ..load.files import display_path
from ..problems import Problem

CATALOG = Path("locales") / "{lang}" / "LC_MESSAGES" / "messages.po"
EXTRACTION_METHODS = [("**.html", "jinja2")]
EXTRACTION_OPTIONS = {"**.html": {"extensions": "jinja2.ext.i18n"}}


class Catalog(Translations):
    """A compiled catalog (empty for the source language) that can be handed to a worker
    process: it travels as its ``.mo`` bytes."""

    def __init__(self, mo: bytes = b""):
        self.mo = mo
        super().__init__(io.BytesIO(mo) if mo else None, domain="messages")

    def __reduce__(self):
        return Catalog, (self.mo,)


def template_messages(templates: Path) -> dict[str, tuple[str, int]]:
    """Every msgid the templates use, with the first place it occurs."""
    found: dict[str, tuple[str, int]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(templates), EXTRACTION_METHODS, EXTRACTION_OPTIONS):
        msgid = message[0] if isinstance(message, tuple) else message
        found.setdefault(msgid, (filename, lineno))
    return found


def load_translations(templates: Path, lang: str, source_lang: str, problems: list[Problem],
                      messages: dict[str, tuple[str, int]] | None = None) -> NullTranslations | None:
    """The language's compiled catalog; ``messages`` (from :func:`template_messages`) are the
    strings it must translate."""
    if lang == source_lang:
        return Catalog()
    path = templates / str(CATALOG).format(lang=lang)
    shown = display_path(path)
    if not path.is_file():
        problems.append(Problem("I18N-002", shown, None, f"no message catalog for {lang!r}",
                                f"create it: pybabel init -i templates/locales/messages.pot "
                                f"-d templates/locales -l {lang}"))
        return None
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang, abort_invalid=True)
    except (PoFileError, ValueError) as error:
        problems.append(Problem("I18N-002", shown, None, f"malformed catalog: {error}",
                                "fix the .po file's syntax"))
        return None
    before = len(problems)
    if messages is None:
        messages = template_messages(templates)
    for msgid, (filename, lineno) in sorted(messages.items()):
        message = catalog.get(msgid)
        if message is None or not message.string or message.fuzzy:
            state = "fuzzy" if message is not None and message.fuzzy else "untranslated"
            line = message.lineno if message is not None else None
            problems.append(Problem(
                "I18N-001", shown, line,
                f"template string {msgid!r} (templates/{filename}:{lineno}) is {state}",
                "translate it and remove any `#, fuzzy` mark; run `make messages` after "
                "changing templates"))
        else:
            for error in message.check(catalog):
                problems.append(Problem(
                    "I18N-003", shown, message.lineno,
                    f"the translation of {msgid!r} does not keep its placeholders: {error}",
                    "write each %(name)s of the English string, spelled the same, in the translation"))
    if len(problems) > before:
        return None
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    return Catalog(compiled.getvalue())
