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
}
# The build options each unit's output depends on, beyond its format and variant
UNIT_OPTIONS: dict[tuple[str, str], tuple[str, ...]] = {("pdf", "imposed"): ("creep_mm",)}
# The languages of the units set in more than one: such an edition is built for the first of
# them only (the others' editions would be the same book); every other unit, for every language.
UNIT_LANGUAGES: dict[tuple[str, str], tuple[str, ...]] = {
    ("pdf", f"parallel-{first}-{second}"): (first, second) for first, second in PARALLEL_PAIRS}

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


def edition_unit(key: tuple[str, str], creep_mm: float = 0.0):
    """The unit that renders the edition ``key`` (format, variant)."""
    module, name = UNIT_CLASSES[key]
    unit_class = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    options = {"creep_mm": creep_mm}
    arguments = {option: options[option] for option in UNIT_OPTIONS.get(key, ())}
    if key in UNIT_LANGUAGES:
        arguments["languages"] = UNIT_LANGUAGES[key]
    return unit_class(**arguments)


def edition_units(creep_mm: float = 0.0) -> dict:
    """Every edition's unit by (format, variant); ``creep_mm`` is the imposed sheets' creep
    compensation."""
    return {key: edition_unit(key, creep_mm) for key in UNIT_CLASSES}


def __getattr__(name: str):
    if name == "UNITS":
        return edition_units()
    if name in ("Format", "RenderedEdition"):
        return getattr(importlib.import_module(f"{__name__}.formats"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["FORMATS", "UNITS", "UNIT_CLASSES", "UNIT_LANGUAGES", "VARIANTS", "Format", "Key",
           "RenderedEdition", "edition_keys", "edition_languages", "edition_unit", "edition_units"]
