"""Fingerprints of English sections, which translations record to know when they went stale.

A translation records the fingerprint of the whole English section it translates and a short
one of each English block, so that when the English changes the check can say which
paragraphs changed, not only that the section did.
"""
from __future__ import annotations

import difflib
import hashlib
import json

from ..model import Block, Section, block_text


def _shape(block: Block) -> list:
    return [block.kind, getattr(block, "id", ""), getattr(block, "level", 0),
            " ".join(block_text(block).split())]


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode("utf-8")).hexdigest()


def fingerprint(section: Section) -> str:
    """A hash of what a translator translates: the blocks' kinds, ids and words.

    Line wrapping and blank lines in the file do not change it; a changed word does.
    """
    return f"sha256:{_digest([section.id] + [_shape(b) for b in section.blocks])[:32]}"


def block_fingerprints(section: Section) -> str:
    """Eight hex digits for each block, in order, separated by spaces."""
    return " ".join(_digest(_shape(b))[:8] for b in section.blocks)


def changed_blocks(recorded: str, section: Section) -> tuple[list[Block], int]:
    """The English blocks that are new or changed since ``recorded``, and how many went away."""
    old = recorded.split()
    new = block_fingerprints(section).split()
    changed, removed = [], 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag in ("replace", "insert"):
            changed.extend(section.blocks[j1:j2])
        if tag in ("replace", "delete"):
            removed += max(0, (i2 - i1) - (j2 - j1)) if tag == "replace" else i2 - i1
    return changed, removed
