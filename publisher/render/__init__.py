"""Render stage: one unit per output format over the shared model and templates."""
from __future__ import annotations

from .epub import EpubFormat
from .formats import Format, RenderedEdition
from .html import HtmlFormat
from .pdf import PdfFormat

FORMATS: dict[str, Format] = {f.name: f for f in (PdfFormat(), EpubFormat(), HtmlFormat())}

__all__ = ["FORMATS", "Format", "RenderedEdition"]
