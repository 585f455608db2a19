"""Render stage: one unit per edition — a format and its variant — over the shared model and
templates.

The units are imported when an edition is rendered, not when this package is: WeasyPrint and
pandoc take half a second to import, and a build with nothing to do needs neither.
"""
from __future__ import annotations

import importlib

from ..languages import PARALLEL_PAIRS

Key = tuple[str, str, str]   # an edition: (lang, format, variant)

# (format, variant) → the module and class of its unit
UNIT_CLASSES: dict[tuple[str, str], tuple[str, str]] = {
    ("pdf", "standard"): ("pdf", "PdfFormat"),
    ("pdf", "booklet"): ("booklet", "BookletFormat"),
    ("pdf", "print"): ("booklet", "PrintFormat"),
    ("pdf", "imposed"): ("booklet", "ImposedFormat"),
    ("pdf", "archival"): ("archival", "ArchivalFormat"),
    ("epub", "standard"): ("epub", "EpubFormat"),
    ("html", "standard"): ("html", "HtmlFormat"),
    **{("pdf", f"parallel-{first}-{second}"): ("parallel", "ParallelFormat")
       for first, second in PARALLEL_PAIRS},
    **{("html", f"parallel-{first}-{second}"): ("parallel_page", "ParallelPageFormat")
       for first, second in PARALLEL_PAIRS},
}
# The build options each unit's output depends on, beyond its format and variant, and their
# values when none is given
UNIT_OPTIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("pdf", "imposed"): ("creep_mm",),
    ("html", "standard"): ("base_url",),
    **{("html", f"parallel-{first}-{second}"): ("base_url",) for first, second in PARALLEL_PAIRS},
}
DEFAULT_OPTIONS: dict[str, object] = {"creep_mm": 0.0, "base_url": None}
# The editions of the same language a unit carries inside its own (the web page offers the
# booklet and the EPUB for download): they are built first, and its fingerprint covers theirs.
UNIT_NEEDS: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {
    ("html", "standard"): (("pdf", "booklet"), ("epub", "standard")),
    **{("html", f"parallel-{first}-{second}"): (("pdf", f"parallel-{first}-{second}"),)
       for first, second in PARALLEL_PAIRS},
}
# Units whose editions name every language (the site's language switcher and its landing
# page): every language's message catalog is among their inputs.
EVERY_LANGUAGE: frozenset[tuple[str, str]] = frozenset({("html", "standard")})
# The languages of the units set in more than one: such an edition is built for the first of
# them only (the others' editions would be the same book); every other unit, for every language.
UNIT_LANGUAGES: dict[tuple[str, str], tuple[str, ...]] = {
    (fmt, f"parallel-{first}-{second}"): (first, second)
    for first, second in PARALLEL_PAIRS for fmt in ("pdf", "html")}

FORMATS: tuple[str, ...] = tuple(dict.fromkeys(name for name, _ in UNIT_CLASSES))
VARIANTS: tuple[str, ...] = tuple(dict.fromkeys(variant for _, variant in UNIT_CLASSES))


def edition_languages(key: Key) -> tuple[str, ...]:
    """The languages the edition ``key`` is set in: its own, and its partner's in a parallel
    edition."""
    lang, fmt, variant = key
    return UNIT_LANGUAGES.get((fmt, variant), (lang,))


def edition_keys(languages, formats, variants) -> list[Key]:
    """The editions of ``languages`` × ``formats`` × ``variants`` there are, language by
    language in the units' order: a parallel edition only under its first language."""
    return [(lang, fmt, variant) for lang in languages for fmt, variant in UNIT_CLASSES
            if fmt in formats and variant in variants
            and edition_languages((lang, fmt, variant))[0] == lang]


def edition_unit(key: tuple[str, str], **options):
    """The unit that renders the edition ``key`` (format, variant), with the build ``options``
    it takes (see UNIT_OPTIONS)."""
    module, name = UNIT_CLASSES[key]
    unit_class = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    options = {**DEFAULT_OPTIONS, **options}
    arguments = {option: options[option] for option in UNIT_OPTIONS.get(key, ())}
    if key in UNIT_LANGUAGES:
        arguments["languages"] = UNIT_LANGUAGES[key]
    return unit_class(**arguments)


def edition_units(**options) -> dict:
    """Every edition's unit by (format, variant), with the build ``options``."""
    return {key: edition_unit(key, **options) for key in UNIT_CLASSES}


def with_needs(keys: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """``keys`` (lang, format, variant) and the editions they need, each needed edition
    before the first edition that needs it."""
    ordered: dict[tuple[str, str, str], None] = {}
    for lang, fmt, variant in keys:
        for need in UNIT_NEEDS.get((fmt, variant), ()):
            ordered[(lang, *need)] = None
        ordered[(lang, fmt, variant)] = None
    return list(ordered)


def __getattr__(name: str):
    if name == "UNITS":
        return edition_units()
    if name in ("Format", "RenderedEdition"):
        return getattr(importlib.import_module(f"{__name__}.formats"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["DEFAULT_OPTIONS", "EVERY_LANGUAGE", "FORMATS", "UNITS", "UNIT_CLASSES", "UNIT_LANGUAGES",
           "UNIT_NEEDS", "UNIT_OPTIONS", "VARIANTS", "Format", "Key", "RenderedEdition", "edition_keys",
           "edition_languages", "edition_unit", "edition_units", "with_needs"]
