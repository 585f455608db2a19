"""Quotations say where their wording comes from, translator's notes stand before the text, and
house spellings are data: the loader refuses malformed markers, every translated edition shows
the marks and notes, `check` and `--release` refuse an unmarked quotation."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from publisher.cli import main
from publisher.languages import LANGUAGES, SOURCE_LANGUAGE
from publisher.load.markdown import load_section
from publisher.load.spelling import load_spelling
from publisher.model import Where, block_inlines, plain_text, quotes_in
from publisher.check.extraction import Paragraph, compare
from publisher.render.context import ORIGIN_MARKS
from publisher.render.i18n import load_translations

from tests.helpers import canonical
from tests.test_editions import PDF_EXTRACTABLE, html_text, pdf_text
from tests.test_qa import RELEASE, assemble

TRANSLATIONS = [lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE]


def section_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "01-test.md"
    path.write_text(f"---\nid: test\n---\n\n# Test {{#test}}\n\n{body}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("markup, message", [
    ('["Words"]{.quote origin=guessed}', "quotation origin 'guessed' is not one of"),
    ('["Words"]{.quote}', "quotation origin None is not one of"),
    ('["Words"]{.quote origin=original}', 'origin=original needs a source="…"'),
    ('["Words"]{.quote origin=translated source="A paper"}', "origin=translated takes no source"),
    ('["Words"]{.quote origin=translated by=me}', "unknown quotation attribute 'by'"),
    ('["Words" and more]{.quote origin=translated}', 'holds one "quotation" and nothing else'),
])
def test_malformed_quotation_marker_is_refused_with_its_line(tmp_path, markup, message):
    problems = []
    load_section(section_file(tmp_path, f"A paragraph.\n\nHe said: {markup}"), problems)
    assert [p.code for p in problems] == ["LOAD-011"]
    assert problems[0].line == 9
    assert message in problems[0].message


def test_quotation_markers_are_read_into_the_model(tmp_path):
    problems = []
    section = load_section(section_file(tmp_path, (
        'He said: ["One"]{.quote origin=translated} and ["Two"]{.quote origin=original '
        'source="The Paper, 1 May 1990"}; the ["Name"]{.quote origin=phrase}.\n\n'
        '::: {.quote origin=translated}\n> A block quotation.\n:::')), problems)
    assert problems == []
    paragraph, quotation = section.blocks[1], section.blocks[2]
    assert [(q.origin, q.source) for q in quotes_in(paragraph.inlines)] == [
        ("translated", ""), ("original", "The Paper, 1 May 1990"), ("phrase", "")]
    assert (quotation.kind, quotation.origin) == ("quotation", "translated")
    assert plain_text(paragraph.inlines, origin_marks=ORIGIN_MARKS) == (
        'He said: "One"† and "Two"‡; the "Name".')


def test_release_refuses_an_unmarked_quotation(tmp_path, monkeypatch, capsys):
    root = assemble("unmarked-quotation", tmp_path / "project")
    monkeypatch.chdir(root)
    assert main(RELEASE, root=root) == 1
    lines = capsys.readouterr().err.splitlines()
    assert any(line.startswith("content/vi/01-events.md:12: QUOTE-001 ") for line in lines), lines
    assert not (root / "output" / "vi").exists()


def marked_paragraph(article, language):
    """The text of the first block with a quotation marked as translated or original, as the
    editions show it (with the marks)."""
    for block in article.all_blocks():
        if block.kind != "list" and any(q.origin in ORIGIN_MARKS for q in quotes_in(block_inlines(block))):
            return plain_text(block_inlines(block), language.quotes, origin_marks=ORIGIN_MARKS)
    return None


def edition_texts(built, lang) -> dict[str, str]:
    with zipfile.ZipFile(built / lang / "article.epub") as book:
        pages = sorted(n for n in book.namelist() if n.startswith("EPUB/text/"))
        first_chapter = html_text(book.read(pages[0]).decode("utf-8"))
        epub = "".join(html_text(book.read(n).decode("utf-8")) for n in pages)
    texts = {"html": html_text((built / "site" / lang / "index.html").read_text(encoding="utf-8")),
             "epub": epub, "epub first chapter": first_chapter}
    if lang in PDF_EXTRACTABLE:
        texts["pdf"] = pdf_text(built / lang / "article.pdf")
    return texts


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_every_edition_marks_quotations_and_explains_the_mark(built, articles, project, lang):
    language = LANGUAGES[lang]
    paragraph = marked_paragraph(articles[lang], language)
    assert paragraph is not None, f"the {lang} article has no quotation marked with its origin"
    translations = load_translations(project.templates, lang, SOURCE_LANGUAGE, [])
    note = translations.gettext("A quotation so marked is translated from the English text; its "
                                "original wording was not available to the translator.")
    for name, text in edition_texts(built, lang).items():
        if name == "epub first chapter":
            continue
        if name == "pdf":   # a folio may interrupt the paragraph at a page break
            assert not compare([Paragraph("", paragraph)], text, "poppler").missing
        else:
            assert canonical(paragraph) in canonical(text), name
        assert canonical(ORIGIN_MARKS["translated"] + note) in canonical(text), name


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_every_edition_shows_the_translators_notes_before_the_text(built, articles, project, lang):
    language = LANGUAGES[lang]
    notes = [plain_text(n, language.quotes) for n in articles[lang].metadata.translator_notes]
    heading = load_translations(project.templates, lang, SOURCE_LANGUAGE, []).gettext("Translator's notes")
    assert heading != "Translator's notes"
    first_heading = plain_text(articles[lang].sections[0].title, language.quotes, origin_marks=ORIGIN_MARKS)
    for name, text in edition_texts(built, lang).items():
        text = canonical(text)
        if not notes:
            assert canonical(heading) not in text, name
            continue
        assert canonical(heading) in text, name
        for note in notes:
            assert canonical(note) in text, name
        if name not in ("epub", "epub first chapter"):
            # before the body: above the first section (in the EPUB, in its first chapter)
            assert text.index(canonical(notes[-1])) < text.rindex(canonical(first_heading)), name


def test_house_spellings_match_words_or_anywhere(tmp_path):
    path = tmp_path / "spelling.yaml"
    path.write_text("vi:\n  match: words\n  words:\n    - {house: tiến công, refuse: [tấn công]}\n"
                    "km:\n  match: anywhere\n  words:\n    - {house: ព្យាករណ៍, refuse: [ព្យាករ]}\n",
                    encoding="utf-8")
    problems = []
    spelling = load_spelling(path, tuple(LANGUAGES), problems)
    assert problems == []
    where = Where(Path("x.md"), 3)
    assert [p.code for p in spelling.problems("Họ tấn công; tấn côngx.", "vi", where)] == ["SPELL-001"]
    assert spelling.problems("ព្យាករណ៍ស្ថានការណ៍", "km", where) == []
    found = spelling.problems("ត្រូវព្យាករស្ថានការណ៍", "km", where)
    assert [(p.code, p.line) for p in found] == [("SPELL-001", 3)]
    assert "write 'ព្យាករណ៍'" in found[0].hint


def test_malformed_house_spellings_are_refused(tmp_path):
    path = tmp_path / "spelling.yaml"
    path.write_text("vi:\n  match: everywhere\n  words: []\nkm:\n  words:\n    - {house: ក}\n",
                    encoding="utf-8")
    problems = []
    load_spelling(path, tuple(LANGUAGES), problems)
    assert [(p.code, p.line) for p in problems] == [("LOAD-008", 1), ("LOAD-008", 6)]


def test_a_quotation_in_its_original_wording_names_its_source(articles, project, built):
    """No quotation of the content may be marked so yet: render one, changed in memory."""
    import datetime as dt
    from dataclasses import replace
    from publisher.model import Paragraph, Quote, Text
    from publisher.render.context import RenderInput
    from publisher.render.html import HtmlFormat
    lang = TRANSLATIONS[0]
    article = articles[lang]
    first = article.sections[0]
    original = Paragraph((Text("He said: "), Quote((Text("Words"),), "original", "The Paper, 1 May 1990"),
                          Text(".")), first.blocks[0].where)
    changed = replace(article, sections=(replace(first, blocks=(*first.blocks, original)),))
    source = RenderInput(project, changed, LANGUAGES[lang],
                         load_translations(project.templates, lang, SOURCE_LANGUAGE, []), (),
                         dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc),
                         {("pdf", "booklet"): (built / lang / "booklet.pdf").read_bytes(),
                          ("epub", "standard"): (built / lang / "article.epub").read_bytes()})
    problems = []
    edition = HtmlFormat().render(source, problems)
    assert problems == []
    page = html_text(edition.files[edition.main].decode("utf-8")).replace("\u00a0", " ")  # numbers bound to words
    marks = LANGUAGES[lang].quotes
    assert f"He said: {marks[0]}Words{marks[1]}{ORIGIN_MARKS['original']}." in page
    assert "The Paper, 1 May 1990" in page.split(f"{marks[0]}Words")[0]   # in the note before the text
