"""The article's metadata file, ``article.yaml``."""
from __future__ import annotations

from dataclasses import replace
import re
from pathlib import Path

from ..dates import ACCEPTED, DateError, DateSpan, format_point, parse_date
from ..languages import LANGUAGES
from ..model import Metadata, Translation, Where
from ..problems import Problem
from .files import display_path, read_yaml
from .markdown import parse_texts

REVIEW_STATES = ("not-reviewed", "reviewed")


def load_metadata(path: Path, lang: str, source_lang: str, problems: list[Problem]) -> Metadata | None:
    shown = display_path(path)
    doc = read_yaml(path, problems)
    if doc is None:
        return None
    before = len(problems)

    def field(*keys, kind=str, required=True):
        value = doc.data
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        name = ".".join(keys)
        if value is None:
            if required:
                problems.append(Problem("LOAD-008", shown, doc.line(*keys[:-1]) if len(keys) > 1 else 1,
                                        f"missing field {name}", f"add `{name}` to {path.name}"))
            return None
        if kind is list:
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                problems.append(Problem("LOAD-008", shown, doc.line(*keys),
                                        f"{name} must be a list of texts", "write one `- text` line per entry"))
                return None
            return tuple(v.strip() for v in value)
        if kind is DateSpan:
            return _date(value, name, doc.line(*keys), language_row, shown, problems, day_only=keys[0] == "edition")
        if not isinstance(value, str) or not value.strip():
            problems.append(Problem("LOAD-008", shown, doc.line(*keys),
                                    f"{name} must be a text, found {type(value).__name__}",
                                    f"write `{keys[-1]}: some text`"))
            return None
        return value.strip()

    language_row = LANGUAGES.get(lang)
    is_source = lang == source_lang
    language = field("language")
    if language is not None and language != lang:
        problems.append(Problem("LOAD-008", shown, doc.line("language"),
                                f"language is {language!r} but the file is in {display_path(path.parent)}/",
                                f"write `language: {lang}`"))
    translation = None
    if not is_source:
        method, review = field("translation", "method"), field("translation", "review")
        if review is not None and review not in REVIEW_STATES:
            problems.append(Problem("LOAD-008", shown, doc.line("translation", "review"),
                                    f"translation.review {review!r} is not one of {', '.join(REVIEW_STATES)}",
                                    "write `review: not-reviewed` until a native editor has reviewed it"))
        translation = Translation(source_lang, method or "", review or "")
    texts = {name: (field(*keys, required=name in REQUIRED_TEXTS), doc.line(*keys))
             for name, keys in TEXT_FIELDS.items()}
    texts = {name: entry for name, entry in texts.items() if entry[0] is not None}
    notes = field("editorial_notes", kind=list, required=False) or ()
    # The source language states what every edition shares; a translation may restate it.
    identifier = field("identifier", required=is_source)
    source_url = field("source", "url", required=False)
    if source_url is not None and not WEB_ADDRESS.fullmatch(source_url):
        problems.append(Problem("LOAD-015", shown, doc.line("source", "url"),
                                f"source.url {source_url!r} is not a web address",
                                "write where the source was published (https://…), or leave source.url out"))
    written = field("written", "date", kind=DateSpan)
    edition = field("edition", "date", kind=DateSpan, required=is_source)
    translator_notes = field("translator_notes", kind=list, required=False) or ()
    short_title = field("booklet", "short_title", required=False)
    occasion = field("booklet", "occasion", required=False)
    if occasion is not None and not OCCASION.fullmatch(occasion):
        problems.append(Problem("LOAD-008", shown, doc.line("booklet", "occasion"),
                                f"booklet.occasion {occasion!r} is not a date interval",
                                "write the event's date and the commemoration's, e.g. "
                                "`occasion: 1979-01-07/2024-01-07`"))
    if len(problems) > before:
        return None
    entries = list(texts.values()) + [(note, doc.line("editorial_notes", i)) for i, note in enumerate(notes)]
    entries += [(note, doc.line("translator_notes", i)) for i, note in enumerate(translator_notes)]
    if translation is not None:
        entries.append((translation.method, doc.line("translation", "method")))
    if short_title is not None:
        entries.append((short_title, doc.line("booklet", "short_title")))
    parsed = parse_texts(entries, shown, problems)
    if parsed is None or len(problems) > before:
        return None
    booklet = {"occasion": occasion}
    if short_title is not None:
        booklet["short_title"] = parsed.pop()
    values = {name: () for name in TEXT_FIELDS} | dict(zip(texts, parsed))
    if translation is not None:
        translation = Translation(translation.source_language, parsed[-1], translation.review)
    return Metadata(language=lang, translation=translation, where=Where(shown, 1),
                    source_url=source_url, written=written, identifier=identifier,
                    edition_date=edition.start.first_day if edition else None,
                    editorial_notes=tuple(parsed[len(texts):len(texts) + len(notes)]),
                    translator_notes=tuple(parsed[len(texts) + len(notes):
                                                  len(texts) + len(notes) + len(translator_notes)]),
                    **values, **booklet)


def _date(value, name: str, line: int, language, shown, problems: list[Problem], day_only: bool):
    """An EDTF date the editions can write in the file's language, or None after saying why."""
    try:
        span = parse_date(value)
        if day_only and (span.end is not None or span.start.precision != "day"):
            raise DateError(f"{span.text!r} is not one day")
        if language is not None:
            for point in (span.start, span.end):
                if point is not None:
                    format_point(point, language)
    except (DateError, ValueError, KeyError) as error:
        problems.append(Problem("LOAD-012", shown, line, f"{name}: {error}",
                                "write one day, such as 2024-03-12" if day_only else f"write {ACCEPTED}"))
        return None
    return span


def inherit_source_metadata(metadata: Metadata, source: Metadata) -> Metadata:
    """A translation's metadata with what it leaves out taken from the source language's."""
    return replace(metadata, identifier=metadata.identifier or source.identifier,
                   edition_date=metadata.edition_date or source.edition_date,
                   source_url=metadata.source_url or source.source_url)


# ``source.url``: a citation the editions print and link to, never fetch; only a web address.
WEB_ADDRESS = re.compile(r"https?://[^\s/]\S*", re.I)

# The optional ``booklet.occasion``: the event's date and its commemoration's (EDTF interval).
OCCASION = re.compile(r"\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}")

# Metadata fields that are running text, parsed like the body (quotations get their marks).
TEXT_FIELDS = {
    "headline": ("headline",), "standfirst": ("standfirst",),
    "publisher": ("source", "publisher"), "author": ("source", "author"),
    "written_basis": ("written", "basis"), "rights": ("rights",),
}
REQUIRED_TEXTS = ("headline", "standfirst", "publisher", "rights")
