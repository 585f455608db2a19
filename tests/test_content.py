"""The article being published — content/, or the folder given with `make test CONTENT=DIR` —
loads, passes every check, and every one of its paragraphs reaches every edition.

Everything these tests expect is read from the content itself, so that the next article passes
them unchanged; each of them fails when it finds nothing to check.
"""
from __future__ import annotations

import re

import pytest

from publisher.check.extraction import measure
from publisher.cli import main
from publisher.languages import LANGUAGES, SOURCE_LANGUAGE
from publisher.pipeline import edition_input

from tests.helpers import language_marks
from tests.test_editions import PDF_EXTRACTABLE, epub_text, html_text, missing_from
from tests.test_epub import book_bodies
from tests.test_khmer import KHMER_LANGS, lay_out, missing_paragraphs, wrong_line_ends
from tests.test_parallel import PARALLEL, columns_lost

TRANSLATED = [lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE]


def test_content_has_every_language_and_sections(content_articles):
    english = [s.id for s in content_articles[SOURCE_LANGUAGE].sections]
    assert english, "the article has no sections"
    for lang in TRANSLATED:
        assert [s.id for s in content_articles[lang].sections] == english


def test_content_passes_every_check(content_project, tmp_path, capsys):
    status = main(["check", "--content", str(content_project.content),
                   "--json", str(tmp_path / "check.json")])
    printed = capsys.readouterr().out
    assert status == 0, printed
    assert re.search(r"\n0 errors, 0 warnings(, \d+ notes? for a native editor)?$", printed.rstrip()), printed


@pytest.mark.parametrize("lang", PDF_EXTRACTABLE)
def test_content_pdf_gives_back_every_paragraph(content_built, content_articles, lang):
    """pdftotext takes every paragraph back out of the PDF, in order (page furniture between
    the halves of a paragraph aside)."""
    figures = measure((content_built / lang / "article.pdf").read_bytes(), content_articles[lang],
                      LANGUAGES[lang], ("poppler",))
    assert figures["poppler"].total > 0, "the article has no text: nothing was checked"
    assert [(str(p.where), got[:80]) for p, got in figures["poppler"].missing] == []


@pytest.mark.parametrize("key", PARALLEL)
def test_content_parallel_pdf_gives_back_each_text_in_its_column(content_project, content_built,
                                                                content_checked, key):
    ready, report = content_checked
    source = edition_input(content_project, key, ready, report)
    assert columns_lost((content_built / key[0] / f"{key[2]}.pdf").read_bytes(), source, key) == []


@pytest.mark.parametrize("lang", KHMER_LANGS)
def test_content_khmer_pdf_has_every_paragraph_and_ends_lines_between_words(
        content_project, content_articles, content_glossary, lang):
    names = content_glossary.names(lang)
    paragraphs = lay_out(content_project, content_articles[lang], lang,
                         content_glossary.keep_together(lang))
    assert missing_paragraphs(paragraphs, content_articles[lang], LANGUAGES[lang]) == []
    checked, wrong = wrong_line_ends(paragraphs, names)
    assert checked, "no Khmer paragraph runs over two lines: nothing was checked"
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_content_epub_has_every_paragraph(content_built, content_articles, lang):
    text = epub_text(content_built / lang / "article.epub")
    assert missing_from(text, content_articles[lang], LANGUAGES[lang]) == []


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_content_html_has_every_paragraph(content_built, content_articles, lang):
    text = html_text((content_built / "site" / lang / "index.html").read_text(encoding="utf-8"))
    assert missing_from(text, content_articles[lang], LANGUAGES[lang]) == []


def test_content_names_in_another_language_are_marked_in_the_web_page_and_the_book(
        content_built, content_glossary):
    """Every occurrence of a glossary form ``written-in`` another language is inside an
    element of that language, in the web page and in every page of the EPUB."""
    from lxml import html as lxml_html
    for lang in LANGUAGES:
        forms = content_glossary.other_languages(lang).forms
        page = lxml_html.document_fromstring((content_built / "site" / lang / "index.html").read_bytes())
        bodies = [page.find("body"), *book_bodies(content_built, lang).values()]
        marks = [language_marks(body, forms, lang) for body in bodies]
        assert [wrong for _, found in marks for wrong in found] == [], lang
        assert (marks[0][0] and sum(found for found, _ in marks[1:])) or not forms, \
            f"the {lang} editions have none of the glossary's forms written in another language"
    assert any(content_glossary.other_languages(lang).forms for lang in LANGUAGES), "no form to look for"


def test_content_files_hold_no_invisible_break_characters(content_project):
    files = [path for lang in KHMER_LANGS for path in (content_project.content / lang).iterdir()]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not re.search("[\u200b\u200c\u200d\u2060\u00a0]", text), path


def test_no_word_of_the_article_is_in_the_code(content_project, content_articles, content_glossary):
    """The code and templates serve any article: none of the glossary's terms and names, and no
    run of four words of the English text, appears in publisher/ or templates/ (the language
    table's names of the languages excepted)."""
    from publisher.model import block_text
    ROOT = content_project.root
    files = [p for p in (ROOT / "publisher").rglob("*.py")] + \
        [p for p in (ROOT / "templates").rglob("*") if p.suffix in (".html", ".css", ".po", ".pot")]
    code = "\n".join(p.read_text(encoding="utf-8") for p in files)
    for language in LANGUAGES.values():
        code = code.replace(language.english_name, "").replace(language.native_name, "")
    strings = {form for term in content_glossary.terms for forms in term.forms.values() for form in forms}
    for block in content_articles[SOURCE_LANGUAGE].all_blocks():
        words = re.findall(r"[^\W\d_][\w'’-]*", block_text(block))
        strings |= {" ".join(words[i:i + 4]) for i in range(len(words) - 3)}
    assert strings
    folded = code.casefold()
    found = sorted(s for s in strings if len(s) > 3 and s.casefold() in folded
                   and re.search(rf"(?<![^\W\d_]){re.escape(s)}(?![^\W\d_])", code, re.I))
    assert found == []


def test_content_editions_break_no_kept_word(content_project, content_built, content_articles,
                                             content_glossary):
    """No break opportunity inside a glossary term or a word listed as never split."""
    from tests.test_pdf_text import kept_words_broken
    broken = kept_words_broken(content_project, content_built, content_articles, content_glossary)
    assert all(words == [] for words in broken.values()), broken
