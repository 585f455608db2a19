"""Translations keep the English structure: same sections, same blocks, same quotations.

The sample's translations must pass; translations broken on purpose (a paragraph missing, one too
many, two swapped) must fail with a message that tells a translator where to look.
"""
from __future__ import annotations

from dataclasses import replace
import pytest

from publisher.check.alignment import _Similarity, alignment_problems, section_problems
from publisher.languages import LANGUAGES, SOURCE_LANGUAGE
from publisher.load import load_article
from publisher.model import count_quotes, block_inlines

from tests.conftest import SAMPLE

TRANSLATED = [lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE]
SECTIONS = [s.id for s in load_article(SAMPLE, SOURCE_LANGUAGE, SOURCE_LANGUAGE)[0].sections]


def sections(articles, lang, section_id):
    source = next(s for s in articles[SOURCE_LANGUAGE].sections if s.id == section_id)
    target = next(s for s in articles[lang].sections if s.id == section_id)
    return source, target


def paragraphs(section):
    return [i for i, b in enumerate(section.blocks) if b.kind == "paragraph"]


@pytest.fixture(scope="module")
def similarity(glossary):
    return {lang: _Similarity(LANGUAGES[SOURCE_LANGUAGE], LANGUAGES[lang], glossary) for lang in TRANSLATED}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_same_sections_in_the_same_order(articles, lang):
    assert [s.id for s in articles[lang].sections] == SECTIONS
    assert alignment_problems(articles[SOURCE_LANGUAGE], articles[lang], LANGUAGES, None) == []


@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize("section_id", SECTIONS)
def test_section_is_aligned(articles, similarity, lang, section_id):
    source, target = sections(articles, lang, section_id)
    assert [(b.kind, getattr(b, "id", None), getattr(b, "level", None)) for b in target.blocks] == \
           [(b.kind, getattr(b, "id", None), getattr(b, "level", None)) for b in source.blocks]
    assert [count_quotes(block_inlines(b)) for b in target.blocks] == \
           [count_quotes(block_inlines(b)) for b in source.blocks]
    assert section_problems(source, target, similarity[lang]) == []


@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize("section_id", SECTIONS)
def test_missing_paragraph_is_found_where_it_is_missing(articles, similarity, lang, section_id):
    source, target = sections(articles, lang, section_id)
    for k in paragraphs(target):
        broken = replace(target, blocks=target.blocks[:k] + target.blocks[k + 1:])
        problems = section_problems(source, broken, similarity[lang])
        assert [p.code for p in problems] == ["ALIGN-004"]
        assert f"the English paragraph at {source.blocks[k].where} " in problems[0].message


@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize("section_id", SECTIONS)
def test_extra_paragraph_is_found(articles, similarity, lang, section_id):
    source, target = sections(articles, lang, section_id)
    stray = next(b for s in articles[lang].sections if s.id != section_id for b in s.blocks
                 if b.kind == "paragraph")
    k = paragraphs(target)[len(paragraphs(target)) // 2]
    broken = replace(target, blocks=target.blocks[:k] + (stray,) + target.blocks[k:])
    problems = section_problems(source, broken, similarity[lang])
    assert [p.code for p in problems] == ["ALIGN-004"]
    assert f"the translation's paragraph at {stray.where} " in problems[0].message
    assert (problems[0].file, problems[0].line) == (stray.where.file, stray.where.line)


@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize("section_id", SECTIONS)
def test_swapped_paragraphs_are_found(articles, similarity, lang, section_id):
    source, target = sections(articles, lang, section_id)
    found = 0
    for k in paragraphs(target):
        if k + 1 not in paragraphs(target):
            continue
        blocks = list(target.blocks)
        blocks[k], blocks[k + 1] = blocks[k + 1], blocks[k]
        problems = section_problems(source, replace(target, blocks=tuple(blocks)), similarity[lang])
        assert [p.code for p in problems] == ["ALIGN-004"], f"swap of blocks {k} and {k + 1}"
        assert problems[0].line in (target.blocks[k].where.line, target.blocks[k + 1].where.line)
        found += 1
    assert found > 0


def test_message_names_section_both_sides_and_what_to_do(articles, similarity):
    source, target = sections(articles, "vi", "opening")
    broken = replace(target, blocks=target.blocks[:2] + target.blocks[3:])
    [problem] = section_problems(source, broken, similarity["vi"])
    assert str(problem) == (
        "tests/sample/content/vi/01-opening.md:13: ALIGN-004 section 'opening': the English "
        "paragraph at tests/sample/content/en/01-opening.md:9 \"Its founder, the teacher Chea "
        "Sophal, liked to say that \"a …\" has no counterpart; the translation has here figure at "
        "tests/sample/content/vi/01-opening.md:13 \"Phòng đọc như những bạn đọc đầu tiên từng "
        "biết.\" — translate the missing block in its place, or put the blocks in the English order")


def test_heading_level_and_quotation_count_differences(articles, similarity):
    source, target = sections(articles, "km", "opening")
    heading, quoting = target.blocks[0], target.blocks[2]
    unquoted = replace(quoting, inlines=tuple(
        n for n in quoting.inlines if n.__class__.__name__ != "Quote"))
    broken = replace(target, blocks=(replace(heading, level=2), target.blocks[1], unquoted)
                     + target.blocks[3:])
    problems = section_problems(source, broken, similarity["km"])
    assert [p.code for p in problems] == ["ALIGN-005", "ALIGN-006"]
    assert str(problems[0]) == (
        "tests/sample/content/km/01-opening.md:7: ALIGN-005 heading 'opening' is level 2, the "
        "English is level 1 (tests/sample/content/en/01-opening.md:5) — write # before the heading")
    assert str(problems[1]).startswith(
        "tests/sample/content/km/01-opening.md:11: ALIGN-006 0 quotations, the English has 1 "
        "(tests/sample/content/en/01-opening.md:9 \"Its founder, the teacher Chea Sophal")


def test_section_the_english_lacks_and_missing_section(project_copy, capsys):
    from publisher.cli import main
    content = project_copy / "content" / "vi"
    (content / "05-extra.md").write_text("---\nid: epilogue\n---\n\n# V. Lời kết {#epilogue}\n\nMột đoạn.\n",
                                         encoding="utf-8")
    (content / "02-years.md").unlink()
    status = main(["--quiet", "--lang", "vi", "--format", "html", "--variant", "standard"], root=project_copy)
    lines = capsys.readouterr().err.splitlines()
    assert status == 1
    assert ("content/vi/: ALIGN-001 section 'years' (content/en/02-years.md) has no translation — "
            "translate it into a file in content/vi/ with `id: years`") in lines
    assert ("content/vi/05-extra.md:1: ALIGN-002 section 'epilogue' does not exist in the English "
            "text — use the id of an English section, or remove the file") in lines
    assert not (project_copy / "output" / "vi").exists()


def test_vietnamese_in_nfd_or_legacy_encoding_writes_no_vietnamese_edition(project_copy, capsys):
    import unicodedata
    from publisher.cli import main
    path = project_copy / "content" / "vi" / "01-opening.md"
    path.write_text(unicodedata.normalize("NFD", path.read_text(encoding="utf-8")), encoding="utf-8")
    legacy = project_copy / "content" / "vi" / "02-years.md"
    legacy.write_bytes(legacy.read_text(encoding="utf-8").encode("utf-16"))
    status = main(["--quiet", "--lang", "vi"], root=project_copy)
    lines = capsys.readouterr().err.splitlines()
    assert status == 1
    assert any(l.startswith("content/vi/01-opening.md:7: LOAD-002 text is not in Unicode NFC") for l in lines)
    assert any(l.startswith("content/vi/02-years.md:1: LOAD-001 not valid UTF-8") for l in lines)
    assert lines[-1] == "not built: vi (existing editions left as they were)"
    assert not (project_copy / "output" / "vi").exists()
