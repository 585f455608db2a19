"""Another article as a translation memory: its reviewed units fill this one's.

An English text identical to a unit of a reviewed section of the other article takes that
unit's translation; a close one (difflib ratio of at least FUZZY_AT) is offered only as a
suggestion, marked as needing review. Only units without a current translation, or whose
English changed since they were translated, are filled.
"""
from __future__ import annotations

import difflib
from pathlib import Path

from .catalog import REVIEWED, Catalog, load_catalog
from .units import Tagged

FUZZY_AT = 0.75


def apply_memory(catalog: Catalog, folder: Path) -> None:
    memory = load_catalog(folder, catalog.lang)
    reviewed = {u.source.text: u for u in memory.units
                if u.section is not None and u.status == REVIEWED and not u.stale and u.target.text}
    for unit in catalog.units:
        if unit.section is None or (unit.target.text and not unit.stale):
            continue
        exact = reviewed.get(unit.source.text)
        if exact is not None:
            if exact.target.text != unit.target.text:
                unit.target = _with_nodes(exact.target, unit.target)
                unit.suggestion = f"from translation memory {folder} ({exact.id}): exact match, reviewed"
                unit.stale = False
            continue
        best, score = None, 0.0
        for text, candidate in reviewed.items():
            ratio = difflib.SequenceMatcher(a=unit.source.text, b=text, autojunk=False).ratio()
            if ratio > score:
                best, score = candidate, ratio
        if best is not None and score >= FUZZY_AT:
            unit.target = _with_nodes(best.target, unit.target)
            unit.suggestion = (f"suggestion from translation memory {folder} ({best.id}), "
                               f"{score:.0%} match; its English: {best.source.text}")
            unit.tentative = True


def _with_nodes(found, current):
    """The memory's text, its tags standing for this article's quotations and links."""
    return Tagged(found.text, {**found.nodes, **current.nodes})
