"""Alignment of a translation with the English text, section by section and block by block.

Blocks are paired by dynamic programming, near the diagonal (see BAND). Headings, figures and gaps pair only with the block
of the same id; paragraphs pair best with a paragraph that has the same numbers, the same
glossary terms, the same number of quotations and a plausible length. The first place where the best pairing has to skip a
block is where the two sides part: a missing, extra or swapped block.
"""
from __future__ import annotations

import math

from ..languages import Language
from ..load.glossary import Glossary, fold
from ..load.files import display_path
from ..model import (Article, Figure, Gap, Heading, ListBlock, ParallelSection, Section, block_inlines,
                     block_text, count_quotes)
from ..problems import Problem, excerpt
from .numbers import read_numbers

SKIP_COST = 0.6
# How far from the diagonal the pairing may stray, beyond the difference in block counts:
# a pairing further off would skip more blocks than a translator's message can help with, and
# comparing every block with every block made long articles slow.
BAND = 12
EXCERPT = 60


def describe(block, length: int = EXCERPT) -> str:
    """A block as a translator finds it: kind, file:line and how it starts."""
    return f'{block.kind} at {block.where} "{excerpt(block_text(block), length)}"'


def alignment_problems(source: Article, target: Article, languages: dict[str, Language],
                       glossary: Glossary | None) -> list[Problem]:
    problems = []
    source_ids = [s.id for s in source.sections]
    target_ids = [s.id for s in target.sections]
    by_id = {s.id: s for s in target.sections}
    folder = f"{display_path(target.folder)}/"
    for section in source.sections:
        if section.id not in by_id:
            problems.append(Problem(
                "ALIGN-001", folder, None,
                f"section {section.id!r} ({section.where.file}) has no translation",
                f"translate it into a file in {folder} with `id: {section.id}`"))
    for section in target.sections:
        if section.id not in source_ids:
            problems.append(Problem(
                "ALIGN-002", section.where.file, 1,
                f"section {section.id!r} does not exist in the English text",
                "use the id of an English section, or remove the file"))
    common_source = [i for i in source_ids if i in by_id]
    common_target = [i for i in target_ids if i in source_ids]
    if common_source != common_target:
        first = next(t for s, t in zip(common_source, common_target) if s != t)
        problems.append(Problem(
            "ALIGN-003", by_id[first].where.file, 1,
            f"section {first!r} comes where the English has {common_source[common_target.index(first)]!r}",
            "rename the files so that they sort in the English order: "
            + ", ".join(common_source)))
    if len(source.metadata.editorial_notes) != len(target.metadata.editorial_notes):
        problems.append(Problem(
            "ALIGN-007", target.metadata.where.file, None,
            f"{len(target.metadata.editorial_notes)} editorial notes, the English has "
            f"{len(source.metadata.editorial_notes)}", "translate each editorial note once"))
    pair = _Similarity(languages[source.lang], languages[target.lang], glossary)
    for section in source.sections:
        if section.id in by_id:
            problems.extend(section_problems(section, by_id[section.id], pair))
    return problems


def parallel_sections(source: Article, sides: tuple[Article, ...], languages: dict[str, Language],
                      glossary: Glossary | None) -> tuple[tuple[ParallelSection, ...], list[Problem]]:
    """The blocks of ``sides`` — the English text or translations of it — side by side,
    section by section: each row holds every side's block for one English block, paired as the
    alignment check pairs them. A side that fails the check gives no rows, but the check's own
    problems, which say where the texts part."""
    problems = [problem for side in sides if side.lang != source.lang
                for problem in alignment_problems(source, side, languages, glossary)]
    if problems:
        return (), problems
    similarity = {side.lang: _Similarity(languages[source.lang], languages[side.lang], glossary)
                  for side in sides}

    def column(section: Section, side: Article) -> list:
        if side.lang == source.lang:
            return list(section.blocks)
        target = next(s for s in side.sections if s.id == section.id)
        steps = _align(section.blocks, target.blocks, similarity[side.lang])
        return [target.blocks[j] for _, j in steps]   # the check passed: every step is a pair
    return tuple(ParallelSection(section.id, tuple(zip(*(column(section, side) for side in sides))))
                 for section in source.sections), []


def section_problems(source: Section, target: Section, pair: "_Similarity") -> list[Problem]:
    steps = _align(source.blocks, target.blocks, pair)
    for step, (i, j) in enumerate(steps):
        if i is None or j is None:
            return [_parting(source, target, steps, step)]
    problems = []
    for i, j in steps:
        a, b = source.blocks[i], target.blocks[j]
        if isinstance(a, Heading) and a.level != b.level:
            problems.append(Problem("ALIGN-005", b.where.file, b.where.line,
                                    f"heading {b.id!r} is level {b.level}, the English is level {a.level} "
                                    f"({a.where})", f"write {'#' * a.level} before the heading"))
        if count_quotes(block_inlines(a)) != count_quotes(block_inlines(b)):
            problems.append(Problem(
                "ALIGN-006", b.where.file, b.where.line,
                f"{count_quotes(block_inlines(b))} quotations, the English has "
                f"{count_quotes(block_inlines(a))} ({a.where} \"{excerpt(block_text(a), EXCERPT)}\")",
                'mark each quotation the English marks with "…"'))
        if isinstance(a, ListBlock) and len(a.items) != len(b.items):
            problems.append(Problem(
                "ALIGN-006", b.where.file, b.where.line,
                f"list of {len(b.items)} items, the English has {len(a.items)} ({a.where})",
                "translate each item as one item"))
    return problems


def _parting(source: Section, target: Section, steps, step) -> Problem:
    i, j = steps[step]
    next_source = next((s for s, _ in steps[step:] if s is not None), None)
    next_target = next((t for _, t in steps[step:] if t is not None), None)
    here_source = source.blocks[next_source] if next_source is not None else None
    here_target = target.blocks[next_target] if next_target is not None else None
    if j is None:
        message = (f"section {source.id!r}: the English {describe(source.blocks[i])} has no counterpart; "
                   f"the translation has here "
                   f"{describe(here_target) if here_target else 'nothing more'}")
        hint = "translate the missing block in its place, or put the blocks in the English order"
        where = here_target.where if here_target else target.where
    else:
        message = (f"section {source.id!r}: the translation's {describe(target.blocks[j])} has no "
                   f"counterpart in the English, which has here "
                   f"{describe(here_source) if here_source else 'nothing more'}")
        hint = "remove the extra block, or put the blocks in the English order"
        where = target.blocks[j].where
    return Problem("ALIGN-004", where.file, where.line, message, hint)


def _align(source_blocks, target_blocks, pair):
    """The cheapest pairing within a band around the diagonal: a list of (source index or
    None, target index or None)."""
    n, m = len(source_blocks), len(target_blocks)
    cost = [[math.inf] * (m + 1) for _ in range(n + 1)]
    back = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    below, above = BAND + max(0, n - m), BAND + max(0, m - n)
    for i in range(n + 1):
        for j in range(max(0, i - below), min(m, i + above) + 1):
            here = cost[i][j]
            if here == math.inf:
                continue
            if i < n and j < m:
                c = here + pair.cost(source_blocks[i], target_blocks[j])
                if c < cost[i + 1][j + 1]:
                    cost[i + 1][j + 1], back[i + 1][j + 1] = c, (i, j, "pair")
            if i < n and here + SKIP_COST < cost[i + 1][j]:
                cost[i + 1][j], back[i + 1][j] = here + SKIP_COST, (i, j, "source")
            if j < m and here + SKIP_COST < cost[i][j + 1]:
                cost[i][j + 1], back[i][j + 1] = here + SKIP_COST, (i, j, "target")
    steps = []
    i, j = n, m
    while (i, j) != (0, 0):
        pi, pj, kind = back[i][j]
        steps.append((pi if kind != "target" else None, pj if kind != "source" else None))
        i, j = pi, pj
    return steps[::-1]


class _Similarity:
    def __init__(self, source: Language, target: Language, glossary: Glossary | None):
        self.source, self.target, self.glossary = source, target, glossary
        self._cache = {}

    def features(self, block, language: Language):
        key = (id(block), language.code)
        if key not in self._cache:
            text = block_text(block)
            numbers, _ = read_numbers(text, language)
            terms = frozenset()
            if self.glossary is not None:
                folded = fold(text)
                terms = frozenset(t.id for t in self.glossary.terms if any(
                    fold(form) in folded for form in t.forms.get(language.code, ())))
            self._cache[key] = (len(text), numbers, terms)
        return self._cache[key]

    def cost(self, a, b) -> float:
        if a.kind != b.kind:
            return math.inf
        if isinstance(a, (Heading, Figure, Gap)):
            return 0.0 if a.id == b.id else math.inf
        length_a, numbers_a, terms_a = self.features(a, self.source)
        length_b, numbers_b, terms_b = self.features(b, self.target)
        ratio = (length_b / self.target.length_ratio) / max(length_a, 1)
        similarity = math.exp(-abs(math.log(max(ratio, 1e-3))) * 1.5)
        if numbers_a or numbers_b:
            shared = sum((numbers_a & numbers_b).values())
            similarity *= 0.05 + 0.95 * shared / max(sum(numbers_a.values()), sum(numbers_b.values()))
        if terms_a:
            similarity *= 0.3 + 0.7 * len(terms_a & terms_b) / len(terms_a)
        if count_quotes(block_inlines(a)) != count_quotes(block_inlines(b)):
            similarity *= 0.3
        return 1.0 - similarity
