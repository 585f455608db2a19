"""Arbitrary text and structures (Hypothesis) fed to the loader, the checks, the number and
date readers, the reading of the manifest, and a build.

The contract: problems in content are reported as :class:`publisher.problems.Problem` values
— file, line, code, message — never as an exception. The loaders and the checks raise nothing
whatever they are given; the date reader raises only its own ``DateError``, which the loader
turns into LOAD-012; the number reader raises nothing. A build on arbitrary content either
writes its editions whole and lists them, or leaves the output folder as it was; it never
leaves a partial edition or a temporary file.

Runs are deterministic (``derandomize``, no example database), so the same examples run on
every machine; inputs that once broke something are kept as ``@example`` cases.
``FUZZ_SCALE=N`` runs N times as many examples from random seeds, to search further.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import re
import shutil
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from publisher.check import check_article
from publisher.check.qa import qa_problems, review_gate
from publisher.check.numbers import read_numbers
from publisher.check.segmentation import word_break_notes
from publisher.dates import DateError, DateSpan, format_point, parse_date
from publisher.inputs import outdated
from publisher.languages import LANGUAGES, SOURCE_LANGUAGE
from publisher.load import load_article
from publisher.load.glossary import load_glossary
from publisher.load.spelling import load_spelling
from publisher.load.words import load_words
from publisher.model import (Emphasis, Figure, Gap, Heading, Link, ListBlock, Paragraph, Quotation, Quote,
                             Section, Strong, Text, Where)
from publisher.pipeline import build
from publisher.problems import Problem
from publisher.project import Project
from publisher.write import Manifest

from tests.conftest import ROOT, SAMPLE

# FUZZ_SCALE=N runs N times as many examples, from random seeds: a longer search for bugs.
SCALE = int(os.environ.get("FUZZ_SCALE", "0"))
FUZZ = settings(derandomize=not SCALE, database=None, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def fuzz(examples: int) -> settings:
    return settings(FUZZ, max_examples=examples * max(SCALE, 1))

# Text ------------------------------------------------------------------------------------

KHMER = st.characters(min_codepoint=0x1780, max_codepoint=0x17FF)
VIETNAMESE = st.sampled_from("aăâeêioôơuưyđAĂÂĐƠƯáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
                             "\u0300\u0301\u0303\u0309\u0323")
PUNCTUATION = st.sampled_from(" \n\t0123456789០១២៣៤៥៦៧៨៩.,;:!?()[]{}\"'«»“”‘’-–—។៖៕/\\#*_`<>|&%$~^=+")
ANYTHING = st.characters(codec="utf-8")
TEXT = st.text(st.one_of(KHMER, VIETNAMESE, PUNCTUATION, ANYTHING, st.sampled_from("ABCabc ")), max_size=60)

# Pieces of Markdown and of this project's markup, to reach past the first syntax error.
MARKUP = st.sampled_from([
    "# ", "## ", "### ", "####### ", " {#", "{#id}", "}", "\n", "\n\n", "> ", "- ", "1. ", "* ", "    ",
    "```\n", "~~~", "---\n", "***", "|a|b|\n|-|-|\n", '"', "'", "“", "*", "**", "_", "[", "]", "](", ")",
    "<", ">", "<b>", "</b>", "<img src=x>", "<!-- ", " -->", "&amp;", "&#0;", "\\", "`", "![", "[^1]",
    "[^1]: note", "[ref]: https://example.org", "<https://example.org>", "https://example.org",
    "mailto:a@example.org", "javascript:alert(1)", "file:///etc/passwd", "$x$", "^", "~", "::: ",
    ":::", "::::::::::", "{.figure #f alt=\"a\"}", "{.figure #g image=\"reading-room.png\" alt=\"b\"}",
    "{.gap #gap}", "{.quote origin=translated}", "{.quote origin=original source=\"s\"}",
    "{.quote origin=phrase}", "{.quote}", "[\"q\"]{.quote origin=translated}", "{.unknown}", "{-}",
    "\u200b", "\ufeff", "\u202e", "\r", "\x00", "\x0c",
])
MARKDOWN = st.lists(st.one_of(MARKUP, TEXT), max_size=30).map("".join)
FRONT_KEYS = st.sampled_from(["id", "status", "source-fingerprint", "source-blocks", "title", ""])

# Text the loader accepts, in well-formed blocks: to reach the checks with what it loads.
PROSE = st.text(st.one_of(KHMER, VIETNAMESE, st.sampled_from("abcxyzABC 0123456789០១២៣៤៥៦៧៨៩.,;:!?()-–—។៕")),
                min_size=1, max_size=50).map(lambda text: unicodedata.normalize("NFC", " ".join(text.split()) or "a"))
BLOCK = st.one_of(
    PROSE, PROSE.map(lambda t: f'{t} "{t}" {t}'), PROSE.map(lambda t: f"*{t}* and **{t}**"),
    PROSE.map(lambda t: f"[{t}](https://example.org/{len(t)})"),
    st.tuples(st.integers(2, 6), PROSE, st.integers(0, 99)).map(lambda h: f"{'#' * h[0]} {h[1]} {{#h{h[2]}}}"),
    st.lists(PROSE, min_size=1, max_size=3).map(lambda items: "\n".join(f"- {i}" for i in items)),
    PROSE.map(lambda t: f"> {t}"),
    PROSE.map(lambda t: f'::: {{.quote origin=translated}}\n> "{t}"\n:::'),
    st.tuples(PROSE, st.integers(0, 99)).map(lambda f: f'::: {{.figure #f{f[1]} alt="{f[0]}"}}\n{f[0]}\n:::'),
    st.tuples(PROSE, st.integers(0, 99)).map(lambda g: f"::: {{.gap #g{g[1]}}}\n{g[0]}\n:::"))
STRUCTURED = st.lists(BLOCK, min_size=1, max_size=6).map("\n\n".join)


@st.composite
def section_files(draw, own_id: str) -> str:
    """A section file: mostly front matter, with the id ``own_id`` or another section's,
    then a body; sometimes anything at all."""
    if draw(st.integers(0, 4)) == 0:
        return draw(st.one_of(TEXT, MARKDOWN))
    front = draw(st.dictionaries(FRONT_KEYS, st.one_of(yaml_values(), TEXT), max_size=3))
    if draw(st.integers(0, 4)):
        front["id"] = draw(st.sampled_from([own_id] * 4 + ["opening", "today"]))
    head = yaml.safe_dump(front, allow_unicode=True) if draw(st.integers(0, 4)) else draw(TEXT)
    return f"---\n{head}---\n\n{draw(st.one_of(MARKDOWN, STRUCTURED))}"


@functools.cache   # a strategy is made and validated once, not at every draw of those using it
def yaml_values():
    """Anything YAML may hold."""
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), TEXT,
                        st.dates(), st.datetimes(), st.sampled_from(["2024", "2024-03", "2024-03-12/2024-03-15",
                                                                     "2024-13", "2024?", "..", "[1]"]))
    return st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                         st.dictionaries(TEXT, inner, max_size=3)),
                        max_leaves=8)


@st.composite
def mutated_yaml(draw, original: dict) -> str:
    """``original`` with some of its values, at any depth, replaced by anything, some keys
    removed or added; or an arbitrary document."""
    if draw(st.integers(0, 5)) == 0:
        return draw(st.one_of(TEXT, yaml_values().map(lambda v: yaml.safe_dump(v, allow_unicode=True))))
    data = json.loads(json.dumps(original, default=str))

    def paths(value, prefix=()):
        yield prefix
        if isinstance(value, dict):
            for key, inner in value.items():
                yield from paths(inner, prefix + (key,))
        elif isinstance(value, list):
            for index, inner in enumerate(value):
                yield from paths(inner, prefix + (index,))

    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(list(paths(data))))
        if not path:
            continue
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        if draw(st.booleans()):
            parent[path[-1]] = draw(yaml_values())
        elif isinstance(parent, dict):
            del parent[path[-1]]
    return yaml.safe_dump(data, allow_unicode=True)


# The loader --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    """A copy of the sample article, whose files the examples overwrite one at a time."""
    folder = tmp_path_factory.mktemp("fuzz") / "content"
    shutil.copytree(SAMPLE, folder)
    return folder


def assert_problems(problems: list) -> None:
    assert all(isinstance(p, Problem) for p in problems)
    for problem in problems:
        str(problem)


def load_with(content: Path, name: str, data: bytes, lang: str):
    """Load ``lang`` with ``data`` as the file ``name`` of the sample, then put it back."""
    path = content / name
    original = path.read_bytes() if path.exists() else None
    path.write_bytes(data)
    try:
        article, problems = load_article(content, lang, SOURCE_LANGUAGE)
    finally:
        if original is None:
            path.unlink()
        else:
            path.write_bytes(original)
    assert_problems(problems)
    if article is None:
        assert any(p.is_error for p in problems)
    return article, problems


@st.composite
def section_cases(draw) -> tuple[str, str, str]:
    """(language, file, text): a file added to a language of the sample, or one of its files
    replaced, or its front matter changed."""
    lang = draw(st.sampled_from(list(LANGUAGES)))
    if draw(st.booleans()):
        return lang, f"{lang}/99-fuzz.md", draw(section_files("fuzz"))
    name = f"{lang}/{draw(st.sampled_from(SECTION_FILES))}"
    original = (SAMPLE / name).read_text(encoding="utf-8")
    front, body = original.removeprefix("---\n").split("\n---\n", 1)
    if draw(st.booleans()):
        return lang, name, f"---\n{draw(mutated_yaml(yaml.safe_load(front)))}---\n{body}"
    return lang, name, draw(section_files(yaml.safe_load(front)["id"]))


SECTION_FILES = ["01-opening.md", "02-years.md", "03-today.md"]
# A translation's recorded English that is not text, with the English changed since.
NOT_TEXT_FINGERPRINTS = re.sub(r"^source-blocks: .*$", "source-blocks: [1, 2]", re.sub(
    r"^source-fingerprint: .*$", "source-fingerprint: 5", (SAMPLE / "vi" / SECTION_FILES[0]).read_text(
        encoding="utf-8"), flags=re.M), flags=re.M)


@fuzz(40)
@example(case=("vi", f"vi/{SECTION_FILES[0]}", NOT_TEXT_FINGERPRINTS))
@given(case=section_cases())
def test_the_loader_takes_any_section_file(content, case):
    lang, name, text = case
    article, _ = load_with(content, name, text.encode("utf-8"), lang)
    if article is not None:
        check_everything(article)


@fuzz(40)
@given(data=st.binary(max_size=300), name=st.sampled_from(["en/02-years.md", "vi/article.yaml", "km/03-today.md"]))
def test_the_loader_takes_any_bytes(content, data, name):
    load_with(content, name, data, name.split("/")[0])


@fuzz(40)
@given(data=st.data(), lang=st.sampled_from(list(LANGUAGES)))
def test_the_loader_takes_any_metadata(content, data, lang):
    original = yaml.safe_load((SAMPLE / lang / "article.yaml").read_text(encoding="utf-8"))
    text = data.draw(mutated_yaml(original))
    article, _ = load_with(content, f"{lang}/article.yaml", text.encode("utf-8"), lang)
    if article is not None:
        check_everything(article)


GLOSSARY_ENTRY = st.fixed_dictionaries(
    {"id": st.one_of(st.sampled_from(["a", "b"]), yaml_values())},
    optional={"kind": st.one_of(st.sampled_from(["person", "place", "term"]), yaml_values()),
              "en": st.one_of(st.lists(TEXT, max_size=2), yaml_values()),
              "vi": st.one_of(st.lists(TEXT, max_size=2), yaml_values()),
              "km": st.one_of(st.lists(TEXT, max_size=2), yaml_values()),
              "status": st.one_of(st.fixed_dictionaries({"vi": st.sampled_from(["verified", "draft"]),
                                                         "km": st.sampled_from(["verified", "draft"])}),
                                  yaml_values()),
              "unbreakable": yaml_values(), "note": yaml_values(),
              "written-in": st.one_of(st.dictionaries(st.one_of(st.sampled_from(list(LANGUAGES)), TEXT),
                                                      st.one_of(st.sampled_from(["vi", "km-Latn", "km"]),
                                                                TEXT, yaml_values()), max_size=3),
                                      yaml_values())})
WORD_ENTRY = st.fixed_dictionaries({"word": st.one_of(TEXT, yaml_values())},
                                   optional={"break": st.one_of(st.sampled_from(["never", "allowed"]), yaml_values()),
                                             "status": st.one_of(st.sampled_from(["reviewed", "draft"]), yaml_values()),
                                             "gloss": yaml_values()})
SPELLING_ENTRY = st.fixed_dictionaries({"house": st.one_of(TEXT, yaml_values())},
                                       optional={"refuse": st.one_of(st.lists(TEXT, max_size=2), yaml_values()),
                                                 "note": yaml_values()})
LANGUAGE_KEYS = st.one_of(st.sampled_from(list(LANGUAGES)), TEXT)


@fuzz(40)
@example(glossary=[{"id": "a", "kind": "person", "en": ["A"], "vi": ["A"], "km": ["A"], "status": True}],
         words={}, spelling={})
@given(glossary=st.one_of(st.lists(GLOSSARY_ENTRY, max_size=3), yaml_values()),
       words=st.dictionaries(LANGUAGE_KEYS, st.one_of(st.lists(WORD_ENTRY, max_size=3), yaml_values()), max_size=3),
       spelling=st.dictionaries(LANGUAGE_KEYS, st.one_of(
           st.fixed_dictionaries({"words": st.lists(SPELLING_ENTRY, max_size=3)},
                                 optional={"match": st.one_of(st.sampled_from(["words", "anywhere"]), yaml_values())}),
           yaml_values()), max_size=3))
def test_the_shared_files_take_any_structure(tmp_path_factory, glossary, words, spelling):
    folder = tmp_path_factory.mktemp("shared")
    for name, value in (("glossary.yaml", glossary), ("words.yaml", words), ("spelling.yaml", spelling)):
        (folder / name).write_text(yaml.safe_dump(value, allow_unicode=True), encoding="utf-8")
    problems: list[Problem] = []
    languages = tuple(LANGUAGES)
    loaded_glossary = load_glossary(folder / "glossary.yaml", languages, problems)
    loaded_words = load_words(folder, languages, problems)
    loaded_spelling = load_spelling(folder / "spelling.yaml", languages, problems)
    assert_problems(problems)
    for lang in languages:
        if loaded_glossary is not None:
            loaded_glossary.keep_together(lang, loaded_words.never_split(lang))
            for term in loaded_glossary.terms:
                for form in term.forms.get(lang, ()):
                    assert_problems(loaded_spelling.problems(form, lang, Where(Path("glossary.yaml"), term.line)))
        assert_problems(loaded_spelling.problems("Phnom Penh ភ្នំពេញ", lang, Where(Path("x"), 1)))


# The checks --------------------------------------------------------------------------------

SAMPLE_ARTICLES = {}


def check_everything(article) -> None:
    """Every check of a build and of ``build.py check`` on ``article``, against the sample's
    English."""
    english, glossary = SAMPLE_ARTICLES["en"], SAMPLE_ARTICLES["glossary"]
    language = LANGUAGES[article.lang]
    problems = check_article(article, language, ROOT / "fonts", source=english, languages=LANGUAGES,
                             glossary=glossary, template_strings=["Contents", "{name} — %s"])
    problems += word_break_notes(article, language, glossary.keep_together(article.lang), {})
    if article.lang != SOURCE_LANGUAGE:
        problems += qa_problems(english, article, LANGUAGES[SOURCE_LANGUAGE], language, glossary)
        problems += review_gate(article)
    assert_problems(problems)


@pytest.fixture(scope="module", autouse=True)
def sample_articles(articles, glossary):
    SAMPLE_ARTICLES.update(articles, glossary=glossary)


WHERE = Where(Path("content/fuzz.md"), 1)
IDS = st.sampled_from(["opening", "years", "today", "first-shelves", "reading-room", "left-out", "x"])


@functools.cache
def inlines(depth: int = 2):
    leaf = TEXT.map(Text)
    if depth == 0:
        return st.lists(leaf, max_size=3).map(tuple)
    inner = inlines(depth - 1)
    node = st.one_of(leaf, leaf, inner.map(Emphasis), inner.map(Strong),
                     st.builds(Quote, inner, st.sampled_from([None, "translated", "phrase"])),
                     st.builds(Quote, inner, st.just("original"), TEXT.filter(str.strip)),
                     st.builds(Link, inner, st.one_of(TEXT, st.just("https://example.org"))))
    return st.lists(node, max_size=4).map(tuple)


@functools.cache
def blocks(depth: int = 1):
    simple = st.one_of(
        st.builds(Paragraph, inlines(), st.just(WHERE)),
        st.builds(Heading, st.integers(1, 6), IDS, inlines(), st.just(WHERE)),
        st.builds(Figure, IDS, inlines(), TEXT, st.sampled_from([None, "reading-room.png"]), st.just(WHERE)),
        st.builds(Gap, IDS, inlines(), st.just(WHERE)))
    if depth == 0:
        return simple
    inner = st.lists(blocks(depth - 1), min_size=1, max_size=3).map(tuple)
    return st.one_of(simple, simple,
                     st.builds(Quotation, inner, st.just(WHERE), st.sampled_from([None, "translated", "phrase"])),
                     st.builds(ListBlock, st.booleans(), st.lists(inner, min_size=1, max_size=3).map(tuple),
                               st.just(WHERE)))


@st.composite
def changed_articles(draw):
    """A sample article with sections and blocks dropped, repeated, moved or replaced by
    arbitrary ones, and its metadata's texts replaced; with what the loader guarantees: at
    least one section, and ids that are not empty and used once."""
    lang = draw(st.sampled_from(list(LANGUAGES)))
    article = SAMPLE_ARTICLES[lang]
    sections = [list(s.blocks) for s in article.sections]
    for _ in range(draw(st.integers(1, 5))):
        target = draw(st.sampled_from(sections))
        action = draw(st.sampled_from(["replace", "insert", "drop", "repeat", "move"]))
        at = draw(st.integers(0, max(len(target) - 1, 0)))
        if action == "insert" or not target:
            target.insert(at, draw(blocks()))
        elif action == "replace":
            target[at] = draw(blocks())
        elif action == "drop":
            del target[at]
        elif action == "repeat":
            target.insert(at, target[at])
        else:
            draw(st.sampled_from(sections)).append(target.pop(at))
    new_sections = [replace(s, blocks=tuple(b), id=draw(st.one_of(st.just(s.id), IDS)),
                            source_fingerprint=draw(st.one_of(st.just(s.source_fingerprint), TEXT, st.none())),
                            source_blocks=draw(st.one_of(st.just(s.source_blocks), TEXT, st.none())))
                    for s, b in zip(article.sections, sections)]
    order = draw(st.permutations(new_sections))
    kept = unique_ids(order[:draw(st.integers(1, len(order)))])
    metadata = replace(article.metadata, headline=draw(inlines()), standfirst=draw(inlines()),
                       editorial_notes=tuple(draw(st.lists(inlines(), max_size=2))),
                       translator_notes=tuple(draw(st.lists(inlines(), max_size=2))))
    return replace(article, sections=tuple(kept), metadata=metadata)


def unique_ids(sections: list[Section]) -> list[Section]:
    """The sections with their ids, and those of their headings, figures and gaps, made unique
    as the loader requires (LOAD-005): a repeated id gets a number."""
    seen: set[str] = set()

    def own(identifier: str) -> str:
        number, candidate = 1, identifier
        while candidate in seen:
            number += 1
            candidate = f"{identifier}-{number}"
        seen.add(candidate)
        return candidate

    def renamed(block):
        if isinstance(block, (Heading, Figure, Gap)):
            return replace(block, id=own(block.id))
        if isinstance(block, Quotation):
            return replace(block, blocks=tuple(map(renamed, block.blocks)))
        if isinstance(block, ListBlock):
            return replace(block, items=tuple(tuple(map(renamed, item)) for item in block.items))
        return block

    out = []
    for section in sections:
        section = replace(section, id=own(section.id))
        seen.discard(section.id)   # the section's own heading may carry its id
        blocks = tuple(map(renamed, section.blocks))
        seen.add(section.id)
        out.append(replace(section, blocks=blocks))
    return out


@fuzz(40)
@given(article=changed_articles())
def test_the_checks_take_any_article(article):
    check_everything(article)


@fuzz(150)
@given(text=TEXT, lang=st.sampled_from(list(LANGUAGES)))
def test_the_checks_take_any_text(text, lang):
    article = SAMPLE_ARTICLES[lang]
    first = article.sections[0]
    paragraph = Paragraph((Text(text),), WHERE)
    check_everything(replace(article, sections=(replace(first, blocks=first.blocks + (paragraph,)),)
                             + article.sections[1:]))


# The number and date readers ---------------------------------------------------------------

NUMBERS = st.lists(st.one_of(st.text("0123456789០១២៣៤៥៦៧៨៩", min_size=1, max_size=6),
                             st.sampled_from([".", ",", " ", "\u00a0", "\u202f", "-", "%", "March", "tháng",
                                              "ខែមីនា", "ខែ", "May", "may", "năm", "ថ្ងៃទី"]),
                             TEXT), max_size=12).map("".join)


@fuzz(300)
@given(text=NUMBERS, lang=st.sampled_from(list(LANGUAGES)))
def test_the_number_reader_takes_any_text(text, lang):
    found, wrong = read_numbers(text, LANGUAGES[lang])
    assert all(count > 0 for count in found.values())
    assert all(isinstance(token, str) and token for token in wrong)


EDTF = st.lists(st.sampled_from(["2024", "1979", "0000", "9999", "-", "/", "..", "?", "~", "%", "X", "XX",
                                 "03", "13", "00", "31", "29", "02", "21", "Y", "E", "S", "T", "Z", ":",
                                 "12:00", "[", "]", "{", "}", ",", " ", "u", "-1"]),
                max_size=8).map("".join)


@fuzz(300)
@given(value=st.one_of(EDTF, TEXT, st.integers(), st.floats(), st.dates(), st.datetimes(), st.none(),
                       st.booleans()))
def test_the_date_reader_raises_only_its_own_error(value):
    try:
        span = parse_date(value)
    except DateError:
        return
    assert isinstance(span, DateSpan)
    assert span.end is None or span.start.first_day <= span.end.last_day
    for language in LANGUAGES.values():
        for point in (span.start, span.end):
            if point is not None:
                assert format_point(point, language)


# The manifest ------------------------------------------------------------------------------

JSON = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT),
                    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)),
                    max_leaves=10)
EDITION_ENTRY = st.fixed_dictionaries(
    {}, optional={"lang": st.one_of(st.just("en"), JSON), "format": st.one_of(st.just("html"), JSON),
                  "variant": st.one_of(st.just("standard"), JSON), "inputs": JSON,
                  "files": st.one_of(st.lists(st.fixed_dictionaries({}, optional={
                      "path": st.one_of(st.just("en/index.html"), JSON), "sha256": JSON})), JSON)})


@pytest.fixture(scope="module")
def one_page(tmp_path_factory) -> Path:
    """An output folder with one file, whose manifest the examples overwrite."""
    output = tmp_path_factory.mktemp("output")
    (output / "en").mkdir()
    (output / "en" / "index.html").write_text("<p>a page</p>", encoding="utf-8")
    return output


@fuzz(40)
@example(manifest=5)
@given(manifest=st.one_of(JSON, st.fixed_dictionaries({"editions": st.one_of(st.lists(EDITION_ENTRY, max_size=3),
                                                                               JSON)})))
def test_a_damaged_manifest_lists_nothing_it_cannot_vouch_for(one_page, manifest):
    output = one_page
    (output / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    key = (SOURCE_LANGUAGE, "html", "standard")
    assert outdated([key], {key: "inputs"}, output) == [key]
    assert Manifest(output).entries == {}


# A build -----------------------------------------------------------------------------------

def files(output: Path) -> dict[str, str]:
    return {p.relative_to(output).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(output.rglob("*")) if p.is_file() and p.name != ".build.lock"}


@pytest.fixture(scope="module")
def project_with_output(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("fuzz-build")
    shutil.copytree(SAMPLE, root / "content")
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / "fonts").symlink_to(ROOT / "fonts")
    output = root / "output"
    assert not build(Project(root), [SOURCE_LANGUAGE], ["pdf", "html"], output, variants=["standard"],
                     jobs=1).problems
    return root, output


@fuzz(6)
@given(text=st.one_of(MARKDOWN, st.text(st.one_of(VIETNAMESE, st.sampled_from("abc ABC.,")), min_size=1, max_size=80)))
def test_a_build_on_any_paragraph_writes_whole_editions_or_nothing(project_with_output, text):
    root, output = project_with_output
    section = root / "content" / "en" / "03-today.md"
    original = section.read_text(encoding="utf-8")
    before = files(output)
    section.write_text(original + "\n" + text + "\n", encoding="utf-8")
    try:
        report = build(Project(root), [SOURCE_LANGUAGE], ["pdf", "html"], output, variants=["standard"], jobs=1)
    finally:
        section.write_text(original, encoding="utf-8")
    assert_problems(report.problems)
    after = files(output)
    assert not [name for name in after if name.endswith(".part")]
    editions = json.loads((output / "manifest.json").read_text(encoding="utf-8"))["editions"]
    listed = {file["path"]: file["sha256"] for edition in editions for file in edition["files"]}
    for name, digest in listed.items():
        assert after[name] == digest
    written = {file.path for record in report.written for file in record.files}
    for name in before:
        assert after[name] == before[name] or name in written or name == "manifest.json"
    if report.failed and not report.written:
        assert after == before
