"""Fingerprints of English sections, which translations record to know when they went stale."""
from __future__ import annotations

import hashlib
import json

from ..model import Section, block_text


def fingerprint(section: Section) -> str:
    """A hash of what a translator translates: the blocks' kinds, ids and words.

    Line wrapping and blank lines in the file do not change it; a changed word does.
    """
    shape = [section.id] + [[block.kind, getattr(block, "id", ""), getattr(block, "level", 0),
                             " ".join(block_text(block).split())] for block in section.blocks]
    digest = hashlib.sha256(json.dumps(shape, ensure_ascii=False).encode("utf-8")).hexdigest()
    return f"sha256:{digest[:32]}"
