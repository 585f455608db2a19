"""Translation units: what a translator's tool shows, one per text of the article.

A unit is a paragraph, a heading, a list item, a paragraph of a block quotation, a figure's
caption or alt text, a gap's note, or a text of the metadata. Its id names the section and
the nearest block before it that has an id of its own (the section's heading, a subheading,
a figure, a gap) and counts blocks from there::

    opening:opening            the heading of section "opening"
    opening:opening.2          the second block after it
    years:first-shelves.3.2    the second item of the list that is the third block after
                               the heading "first-shelves"
    opening:reading-room:caption, opening:reading-room:alt
    meta:headline, meta:editorial_notes.1, meta:translator_notes.1

(Ids are XML name tokens, as XLIFF 2 requires.)

Editing a paragraph's words never changes an id, and adding a paragraph changes the ids only
of the blocks that follow it up to the next block with an id. Because a position alone could
still point at another paragraph after such an edit, every unit also carries the English it
was made from, and an import refuses a unit whose English is no longer the current one.

Inline markup becomes numbered tags (``<q1>…</q1>`` a quotation, ``<em1>`` emphasis,
``<strong1>``, ``<a1>`` a link) that CAT tools protect; what the tags stand for (a
quotation's origin marker, a link's address) stays in the content and is put back on import.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import (Emphasis, Figure, Gap, Heading, Inline, Link, ListBlock, Paragraph, Quotation,
                     Quote, Section, Strong, Text, Where)

META = "meta"
TAG_NAMES = {Quote: "q", Emphasis: "em", Strong: "strong", Link: "a"}
TAG = re.compile(r"<(/?)(q|em|strong|a)(\d+)>")


@dataclass(frozen=True)
class Leaf:
    """One text of a section, as it stands in its file."""
    key: str
    kind: str                  # heading, paragraph, caption, alt, note
    inlines: tuple[Inline, ...]
    where: Where
    top: int                   # index of the top-level block it belongs to


def section_leaves(section: Section) -> list[Leaf]:
    """Every text of a section with its stable key."""
    leaves: list[Leaf] = []
    anchor, count = section.id, 0
    for index, block in enumerate(section.blocks):
        if isinstance(block, (Heading, Figure, Gap)) and block.id:
            anchor, count = block.id, 0
            base = f"{section.id}:{block.id}"
            if isinstance(block, Heading):
                leaves.append(Leaf(base, "heading", block.inlines, block.where, index))
            elif isinstance(block, Figure):
                leaves.append(Leaf(base + ":caption", "caption", block.caption,
                                   Where(block.where.file, block.where.line + 1), index))
                leaves.append(Leaf(base + ":alt", "alt", (Text(block.alt),), block.where, index))
            else:
                leaves.append(Leaf(base, "note", block.note,
                                   Where(block.where.file, block.where.line + 1), index))
            continue
        count += 1
        leaves.extend(_nested(f"{section.id}:{anchor}.{count}", block, index))
    return leaves


def _nested(key: str, block, top: int) -> list[Leaf]:
    if isinstance(block, (Paragraph, Heading)):
        return [Leaf(key, "paragraph", block.inlines, block.where, top)]
    if isinstance(block, Quotation):
        inner = block.blocks
    elif isinstance(block, ListBlock):
        out = []
        for number, item in enumerate(block.items, 1):
            if len(item) == 1:
                out.extend(_nested(f"{key}.{number}", item[0], top))
            else:
                for sub, child in enumerate(item, 1):
                    out.extend(_nested(f"{key}.{number}.{sub}", child, top))
        return out
    else:
        inner = ()
    if len(inner) == 1:
        return _nested(key, inner[0], top)
    return [leaf for number, child in enumerate(inner, 1) for leaf in _nested(f"{key}.{number}", child, top)]


# Inline markup ⇄ tagged text -------------------------------------------------------------

@dataclass
class Tagged:
    """Tagged text and what each of its tags stands for."""
    text: str
    nodes: dict[str, Inline] = field(default_factory=dict)   # "q1" → the Quote it stands for


def to_tagged(inlines: tuple[Inline, ...]) -> Tagged:
    counters: dict[str, int] = {}
    nodes: dict[str, Inline] = {}

    def walk(items) -> str:
        out = []
        for node in items:
            if isinstance(node, Text):
                out.append(node.text)
                continue
            name = TAG_NAMES[type(node)]
            counters[name] = counters.get(name, 0) + 1
            tag = f"{name}{counters[name]}"
            nodes[tag] = node
            out.append(f"<{tag}>{walk(node.children)}</{tag}>")
        return "".join(out)

    return Tagged(walk(inlines), nodes)


def tags_of(text: str) -> list[str]:
    return [m.group(0) for m in TAG.finditer(text)]


def tag_problem(text: str, expected: str) -> str | None:
    """Why ``text``'s tags do not stand in for ``expected``'s, or None when they do."""
    found, wanted = tags_of(text), tags_of(expected)
    if sorted(found) != sorted(wanted):
        missing = sorted(set(wanted) - set(found))
        extra = sorted(set(found) - set(wanted))
        parts = ([f"missing {' '.join(missing)}"] if missing else []) + (
            [f"not in the source {' '.join(extra)}"] if extra else [])
        return "; ".join(parts) or "a tag is repeated"
    stack: list[str] = []
    for match in TAG.finditer(text):
        closing, name = match.group(1), match.group(2) + match.group(3)
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            return f"</{name}> closes a tag it does not match"
    return f"<{stack[-1]}> is not closed" if stack else None


def tagged_to_markdown(text: str, nodes: dict[str, Inline]) -> str:
    """Markdown for tagged text whose tags have been checked; ``nodes`` says what each tag is
    (a quotation keeps its origin marker, a link its address)."""
    out: list[str] = []
    position = 0
    stack: list[str] = []
    for match in TAG.finditer(text):
        out.append(_escape(text[position:match.start()]))
        position = match.end()
        name = match.group(2) + match.group(3)
        node = nodes[name]
        if not match.group(1):
            stack.append(name)
            out.append(_open(node))
        else:
            stack.pop()
            out.append(_close(node))
    out.append(_escape(text[position:]))
    return "".join(out)


def _open(node) -> str:
    if isinstance(node, Quote):
        return ("[" if node.origin else "") + '"'
    return {Emphasis: "*", Strong: "**", Link: "["}[type(node)]


def _close(node) -> str:
    if isinstance(node, Quote):
        if not node.origin:
            return '"'
        source = f' source="{node.source}"' if node.source else ""
        return f'"]{{.quote origin={node.origin}{source}}}'
    if isinstance(node, Link):
        return f"]({node.url})"
    return {Emphasis: "*", Strong: "**"}[type(node)]


MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<])")


def _escape(text: str) -> str:
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)
