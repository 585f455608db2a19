"""Render stage: one unit per edition — a format and its variant — over the shared model and
templates.

The units are imported when an edition is rendered, not when this package is: WeasyPrint and
pandoc take half a second to import, and a build with nothing to do needs neither.
"""
from __future__ import annotations

import importlib

# (format, variant) → the module and class of its unit
UNIT_CLASSES: dict[tuple[str, str], tuple[str, str]] = {
    ("pdf", "standard"): ("pdf", "PdfFormat"),
    ("pdf", "booklet"): ("booklet", "BookletFormat"),
    ("pdf", "print"): ("booklet", "PrintFormat"),
    ("pdf", "imposed"): ("booklet", "ImposedFormat"),
    ("pdf", "archival"): ("archival", "ArchivalFormat"),
    ("epub", "standard"): ("epub", "EpubFormat"),
    ("html", "standard"): ("html", "HtmlFormat"),
}
# The build options each unit's output depends on, beyond its format and variant
UNIT_OPTIONS: dict[tuple[str, str], tuple[str, ...]] = {("pdf", "imposed"): ("creep_mm",)}

FORMATS: tuple[str, ...] = tuple(dict.fromkeys(name for name, _ in UNIT_CLASSES))
VARIANTS: tuple[str, ...] = tuple(dict.fromkeys(variant for _, variant in UNIT_CLASSES))


def edition_unit(key: tuple[str, str], creep_mm: float = 0.0):
    """The unit that renders the edition ``key`` (format, variant)."""
    module, name = UNIT_CLASSES[key]
    unit_class = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    options = {"creep_mm": creep_mm}
    return unit_class(**{option: options[option] for option in UNIT_OPTIONS.get(key, ())})


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


__all__ = ["FORMATS", "UNITS", "UNIT_CLASSES", "VARIANTS", "Format", "RenderedEdition",
           "edition_unit", "edition_units"]
