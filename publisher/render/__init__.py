"""Render stage: one unit per edition — a format and its variant — over the shared model and
templates."""
from __future__ import annotations

from .archival import ArchivalFormat
from .booklet import BookletFormat, ImposedFormat, PrintFormat
from .epub import EpubFormat
from .formats import Format, RenderedEdition
from .html import HtmlFormat
from .pdf import PdfFormat


def edition_units(creep_mm: float = 0.0) -> dict[tuple[str, str], Format]:
    """Every edition's unit by (format, variant); ``creep_mm`` is the imposed sheets' creep
    compensation."""
    units = (PdfFormat(), BookletFormat(), PrintFormat(), ImposedFormat(creep_mm), ArchivalFormat(),
             EpubFormat(), HtmlFormat())
    return {(unit.name, unit.variant): unit for unit in units}


UNITS = edition_units()
FORMATS: tuple[str, ...] = tuple(dict.fromkeys(name for name, _ in UNITS))
VARIANTS: tuple[str, ...] = tuple(dict.fromkeys(variant for _, variant in UNITS))

__all__ = ["FORMATS", "UNITS", "VARIANTS", "Format", "RenderedEdition", "edition_units"]
