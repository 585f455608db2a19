"""Translation QA: numbers, terms, untranslated text, brackets, length and staleness.

These are the checks of professional translation QA tools (Xbench, CheckMate, pofilter),
applied block by block to translations whose structure already matches the English.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..languages import Language
from ..load.glossary import Glossary, fold
from ..model import Article, Quotation, Section, Where, block_inlines, block_text, plain_text, quotes_in, walk_blocks
from ..problems import Problem, excerpt
from .alignment import describe
from .numbers import read_numbers
from .stale import changed_blocks, fingerprint

SHORTEST_FOR_LENGTH = 80          # characters of English below which length says little
LENGTH_BOUNDS = (0.6, 1.67)       # allowed ratio to the language's usual one
ENGLISH_RUN = 3                   # consecutive English words that make a left-over sentence
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
ROMAN = re.compile(r"^[IVXLC]+$")


@dataclass(frozen=True)
class Pair:
    """An English text and its translation, with where the translation is."""
    source: str
    target: str
    where: Where
    checks_untranslated: bool = True


def qa_problems(source: Article, target: Article, source_language: Language,
                target_language: Language, glossary: Glossary | None) -> list[Problem]:
    problems = []
    vocabulary = {w.lower() for text in _texts(source) for w in WORD.findall(text)}
    protected = [form for term in (glossary.terms if glossary else ())
                 for form in term.forms.get(target.lang, ())]
    for pair in pairs(source, target):
        problems += _numbers(pair, source_language, target_language)
        problems += _terms(pair, glossary, target.lang)
        if pair.checks_untranslated:
            problems += _untranslated(pair, vocabulary, protected)
        problems += _brackets(pair)
        problems += _length(pair, target_language)
    by_id = {s.id: s for s in source.sections}
    for section in target.sections:
        if section.id in by_id:
            problems += stale_problems(by_id[section.id], section)
    problems += unmarked_quotation_problems(target)
    return problems


def unmarked_quotation_problems(target: Article) -> list[Problem]:
    """A translation says of each quotation where its wording comes from: translated from the
    source text, or the original's wording with its citation (or that it is only a phrase)."""
    hint = ('mark it ["…"]{.quote origin=translated}, or origin=original source="…" where the '
            'original wording is known, or origin=phrase for a name or set phrase')
    problems = []
    for section in target.sections:
        for block in walk_blocks(section.blocks):
            if isinstance(block, Quotation):
                if block.origin is None:
                    problems.append(Problem("QUOTE-001", block.where.file, block.where.line,
                                            "the block quotation does not say where its wording comes from",
                                            "wrap it in ::: {.quote origin=…} … :::"))
                continue
            if block.kind == "list":    # its items come next
                continue
            for quote in quotes_in(block_inlines(block)):
                if quote.origin is None:
                    problems.append(Problem("QUOTE-001", block.where.file, block.where.line,
                                            f'the quotation "{excerpt(plain_text(quote.children), 40)}" '
                                            "does not say where its wording comes from", hint))
    return problems


def pairs(source: Article, target: Article):
    """Blocks paired one to one, in sections whose block kinds match (others fail alignment)."""
    meta_s, meta_t = source.metadata, target.metadata
    yield Pair(plain_text(meta_s.headline), plain_text(meta_t.headline), meta_t.where)
    yield Pair(plain_text(meta_s.standfirst), plain_text(meta_t.standfirst), meta_t.where)
    yield Pair(plain_text(meta_s.written_basis), plain_text(meta_t.written_basis), meta_t.where,
               checks_untranslated=False)
    by_id = {s.id: s for s in target.sections}
    for section in source.sections:
        other = by_id.get(section.id)
        if other is None or [b.kind for b in section.blocks] != [b.kind for b in other.blocks]:
            continue
        for a, b in zip(section.blocks, other.blocks):
            yield Pair(block_text(a), block_text(b), b.where)


def stale_problems(source: Section, target: Section) -> list[Problem]:
    current = fingerprint(source)
    hint = (f"update the translation from {source.where.file}, then run "
            f"`python build.py refresh --lang {target.where.file.parts[-2]} --section {target.id}`")
    if target.source_fingerprint is None:
        return [Problem("STALE-002", target.where.file, 1,
                        f"section {target.id!r} records no source-fingerprint", hint)]
    if target.source_fingerprint != current:
        detail = ""
        if target.source_blocks:
            changed, removed = changed_blocks(target.source_blocks, source)
            parts = [describe(b, 50) for b in changed[:3]]
            if len(changed) > 3:
                parts.append(f"{len(changed) - 3} more")
            if removed:
                parts.append(f"{removed} block{'s' * (removed > 1)} removed")
            detail = "; changed since: " + "; ".join(parts) if parts else ""
        return [Problem("STALE-001", target.where.file, 1,
                        f"section {target.id!r} was translated from an earlier English text"
                        f"{detail}", hint)]
    return []


def _texts(article: Article):
    yield plain_text(article.metadata.headline)
    yield plain_text(article.metadata.standfirst)
    for block in article.all_blocks():
        yield block_text(block)


def _numbers(pair: Pair, source_language: Language, target_language: Language) -> list[Problem]:
    wanted, _ = read_numbers(pair.source, source_language)
    found, wrong = read_numbers(pair.target, target_language)
    problems = [Problem("NUM-002", pair.where.file, pair.where.line,
                        f"{token!r} is not a number as {target_language.english_name} writes it",
                        f"write digits {target_language.digits[:3]}…, {target_language.decimal_sign!r} "
                        f"for decimals and {target_language.group_sign!r} between thousands",
                        pair.source, pair.target) for token in wrong]
    missing, extra = wanted - found, found - wanted
    if missing or extra:
        parts = []
        if missing:
            parts.append("missing " + ", ".join(_number_list(missing)))
        if extra:
            parts.append("not in the English " + ", ".join(_number_list(extra)))
        problems.append(Problem("NUM-001", pair.where.file, pair.where.line,
                                "numbers differ from the English: " + "; ".join(parts),
                                "give every number and date of the English, in this language's form",
                                pair.source, pair.target))
    return problems


def _number_list(counter) -> list[str]:
    return [f"{value}" + (f" ×{count}" if count > 1 else "") for value, count in sorted(counter.items())]


def _terms(pair: Pair, glossary: Glossary | None, lang: str) -> list[Problem]:
    if glossary is None:
        return []
    matches = glossary.occurrences(pair.source, "en")
    # a term inside a longer one ("Military Region" in "Eastern Military Region") is not required
    outer = [(s, e, t) for s, e, t in matches
             if not any(s2 <= s and e <= e2 and (e2 - s2) > (e - s) for s2, e2, _ in matches)]
    problems, seen = [], set()
    target = fold(pair.target)
    for _, _, term in outer:
        if term.id in seen:
            continue
        seen.add(term.id)
        forms = term.forms.get(lang, ())
        if not any(fold(form) in target for form in forms):
            problems.append(Problem(
                "TERM-001", pair.where.file, pair.where.line,
                f"the English uses {term.forms['en'][0]!r}; the translation lacks "
                + " or ".join(repr(f) for f in forms),
                f"use the glossary's form (content/glossary.yaml:{term.line}, {term.id})",
                pair.source, pair.target))
    return problems


def _untranslated(pair: Pair, vocabulary: set[str], protected: list[str]) -> list[Problem]:
    if " ".join(pair.source.split()) == " ".join(pair.target.split()) and WORD.search(pair.source):
        return [Problem("UNTR-001", pair.where.file, pair.where.line,
                        "the translation is identical to the English", "translate the text",
                        pair.source, pair.target)]
    text = pair.target
    for form in protected:
        text = text.replace(form, " ")
    run, longest = [], []
    for token in re.findall(r"\S+", text):
        word = token.strip(".,;:!?()\"'“”‘’[]")
        if WORD.fullmatch(word) and word.lower() in vocabulary and not ROMAN.match(word):
            run.append(word)
            if len(run) > len(longest):
                longest = list(run)
        else:
            run = []
    if len(longest) >= ENGLISH_RUN:
        return [Problem("UNTR-002", pair.where.file, pair.where.line,
                        f"English words left in the translation: {' '.join(longest)!r}",
                        "translate them, or add the term to the glossary if it stays in English",
                        pair.source, pair.target)]
    return []


def _brackets(pair: Pair) -> list[Problem]:
    problems = []
    for open_, close in ("()", "[]"):
        # "1) … 2) …" leaves brackets unbalanced on purpose: compare with the English balance
        balance = pair.target.count(open_) - pair.target.count(close)
        if balance != pair.source.count(open_) - pair.source.count(close):
            problems.append(Problem("PUNCT-001", pair.where.file, pair.where.line,
                                    f"{pair.target.count(open_)} × {open_} but {pair.target.count(close)} × {close}",
                                    "close every bracket", pair.source, pair.target))
        elif pair.target.count(open_) != pair.source.count(open_):
            problems.append(Problem("PUNCT-002", pair.where.file, pair.where.line,
                                    f"{pair.target.count(open_)} × {open_}{close}, the English has "
                                    f"{pair.source.count(open_)}",
                                    "keep the English brackets, no more and no fewer",
                                    pair.source, pair.target))
    return problems


def _length(pair: Pair, language: Language) -> list[Problem]:
    if len(pair.source) < SHORTEST_FOR_LENGTH:
        return []
    ratio = len(pair.target) / len(pair.source) / language.length_ratio
    if LENGTH_BOUNDS[0] <= ratio <= LENGTH_BOUNDS[1]:
        return []
    which = "shorter" if ratio < 1 else "longer"
    return [Problem("LEN-001", pair.where.file, pair.where.line,
                    f"{ratio:.2f} times the usual length of a {language.english_name} translation: "
                    f"far {which} than the English suggests",
                    "check that nothing is summarised, left out or added", pair.source, pair.target)]


def review_gate(article: Article) -> list[Problem]:
    """What stops a translation from being released: drafts and an unreviewed translation."""
    problems = [Problem("REVIEW-001", s.where.file, 1, f"section {s.id!r} is a draft",
                        "have a native editor review it, then run `python build.py refresh "
                        f"--lang {article.lang} --section {s.id} --reviewed`")
                for s in article.sections if s.status != "reviewed"]
    translation = article.metadata.translation
    if translation is not None and translation.review != "reviewed":
        problems.append(Problem("REVIEW-002", article.metadata.where.file, None,
                                f"translation.review is {translation.review!r}",
                                "set `review: reviewed` once a native editor has reviewed the whole text"))
    return problems
