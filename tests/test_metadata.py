"""The article's metadata: dates of any precision, an identifier and an edition date of its
own, optional source URL, author and notes; the colophon and the books' metadata follow it."""
from __future__ import annotations

import re
import uuid
import zipfile
from pathlib import Path

import pypdf
import pytest
from lxml import html as lxml_html

from publisher.cli import main
from publisher.languages import LANGUAGES
from publisher.model import plain_text
from publisher.render.context import EDITION_NAMESPACE
from publisher.render.i18n import load_translations

from tests.test_editions import html_text


def set_field(root: Path, pattern: str, replacement: str, langs=tuple(LANGUAGES)) -> None:
    for lang in langs:
        path = root / "content" / lang / "article.yaml"
        text = path.read_text(encoding="utf-8")
        assert re.search(pattern, text, flags=re.M), f"{pattern!r} not in {path}"
        path.write_text(re.sub(pattern, replacement, text, count=1, flags=re.M), encoding="utf-8")


def build_books(root: Path, capsys, *langs) -> tuple[int, list[str]]:
    """Build the EPUBs of ``langs`` (every language if none). Every edition sets its colophon
    with the same partial; the EPUB is the quickest with one (a web page brings the booklet
    and the EPUB it carries), and its colophon is read as the web page's is from ``built``."""
    status = main(["--quiet", "--format", "epub", "--lang", ",".join(langs or LANGUAGES)], root=root)
    return status, capsys.readouterr().err.splitlines()


def book_colophon(output: Path, lang: str) -> str:
    """The colophon of the EPUB in ``output``, from its chapter on, with the line-break
    opportunities the EPUB adds between Khmer words taken out."""
    with zipfile.ZipFile(output / lang / "article.epub") as book:
        chapters = [book.read(name).decode("utf-8") for name in book.namelist()
                    if name.startswith("EPUB/text/")]
    [page] = [chapter for chapter in chapters if 'epub:type="colophon"' in chapter]
    return page[page.index('epub:type="colophon"'):].replace("\u00a0", " ").replace("\u200b", "")


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_web_page_sets_the_colophon_the_epub_does(built, project, lang):
    """The tests below read the colophon of EPUBs built for them: the web page's is the same
    text, but for the name of its edition."""
    def text(section) -> str:
        return " ".join(section.text_content().replace("\u00a0", " ").replace("\u200b", "").split())
    catalog = load_translations(project.templates, lang, "en", [])
    page = lxml_html.fromstring((built / "site" / lang / "index.html").read_bytes())
    [web] = page.xpath('//section[@id="colophon"]')
    with zipfile.ZipFile(built / lang / "article.epub") as book:
        chapters = [lxml_html.fromstring(book.read(name)) for name in book.namelist()
                    if name.startswith("EPUB/text/")]
    [epub] = [section for chapter in chapters
              for section in chapter.xpath('//section[@role="doc-colophon"]')]
    web_edition, epub_edition = catalog.gettext("Web edition"), catalog.gettext("EPUB edition")
    assert web_edition in text(web) and epub_edition in text(epub)
    assert text(web).replace(web_edition, "") == text(epub).replace(epub_edition, "")


@pytest.mark.parametrize("value, english, khmer", [
    ("2024", "2024.", "ឆ្នាំ២០២៤។"),
    ("2024-03-12", "March 12, 2024.", "ថ្ងៃទី១២ ខែមីនា ឆ្នាំ២០២៤។"),
    ("2024-03/2025", "Between March 2024 and 2025.", "ក្នុងចន្លោះពី ខែមីនា ឆ្នាំ២០២៤ ដល់ ឆ្នាំ២០២៥។"),
    ("2023-12/2024-01", "Between December 2023 and January 2024.",
     "ក្នុងចន្លោះពី ខែធ្នូ ឆ្នាំ២០២៣ ដល់ ខែមករា ឆ្នាំ២០២៤។"),
])
def test_written_date_in_every_precision(project_copy, capsys, value, english, khmer):
    set_field(project_copy, r"^  date: 2024-03-12/2024-03-15$", f"  date: {value}")
    status, lines = build_books(project_copy, capsys, "en", "km")
    assert status == 0, lines
    output = project_copy / "output"
    text = " ".join(html_text(book_colophon(output, "en")).split())
    assert f"Written {english} Written over four days" in text
    assert khmer + " សរសេរក្នុង" in " ".join(html_text(book_colophon(output, "km")).split())


@pytest.mark.parametrize("value, message", [
    ("2024-13", "'2024-13' is not an EDTF date"),
    ("spring 2024", "'spring 2024' is not an EDTF date"),
    ("2024~", "'2024~' is not a plain year, month or day"),
    ("2024/..", "'2024/..' is not a plain year, month or day"),
    ("2025/2024", "'2025/2024' ends before it begins"),
])
def test_date_the_editions_cannot_write_is_refused_before_rendering(project_copy, capsys, value, message):
    set_field(project_copy, r"^  date: 2024-03-12/2024-03-15$", f"  date: {value}", ["en"])
    status, lines = build_books(project_copy, capsys, "en")
    assert status == 1
    assert lines[0] == (f"content/en/article.yaml:17: LOAD-012 written.date: {message} — write a year "
                        "(2024), a month (2024-03), a day (2024-03-12) or an interval of them (2024-03/2025)")
    assert not (project_copy / "output").exists()


def test_edition_date_must_be_a_day(project_copy, capsys):
    set_field(project_copy, r"^  date: 2024-03-15$", "  date: 2024-03", ["en"])
    status, lines = build_books(project_copy, capsys, "en")
    assert status == 1
    assert lines[0] == ("content/en/article.yaml:6: LOAD-012 edition.date: '2024-03' is not one day "
                        "— write one day, such as 2024-03-12")


def test_editions_carry_the_edition_date_of_the_content(built, articles, monkeypatch, tmp_path, project):
    day = articles["en"].metadata.edition_date.isoformat()
    with zipfile.ZipFile(built / "en" / "article.epub") as book:
        package = book.read("EPUB/content.opf").decode("utf-8")
    assert f'<meta property="dcterms:modified">{day}T00:00:00Z</meta>' in package
    assert pypdf.PdfReader(built / "en" / "article.pdf").metadata["/ModDate"].startswith(
        "D:" + day.replace("-", ""))
    from publisher.pipeline import build
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")   # 2023-11-14
    build(project, ["en"], ["epub"], tmp_path)
    with zipfile.ZipFile(tmp_path / "en" / "article.epub") as book:
        assert "2023-11-14T22:13:20Z" in book.read("EPUB/content.opf").decode("utf-8")


def test_identifier_comes_from_the_identifier_field_not_the_source(built, articles, project_copy, capsys):
    name = articles["en"].metadata.identifier
    expected = f"urn:uuid:{uuid.uuid5(EDITION_NAMESPACE, name + '#vi')}"
    assert expected in (built / "site" / "vi" / "index.html").read_text(encoding="utf-8")
    set_field(project_copy, r"^  url: .*\n", "")
    status, lines = build_books(project_copy, capsys)
    assert status == 0, lines
    page = book_colophon(project_copy / "output", "vi")
    assert expected in page and "<a href" not in page


def test_colophon_uses_the_languages_own_full_stop(built, articles):
    for lang, language in LANGUAGES.items():
        meta = articles[lang].metadata
        page = (built / "site" / lang / "index.html").read_text(encoding="utf-8").replace("\u00a0", " ")
        publisher = plain_text(meta.publisher, language.quotes)
        assert f'{publisher}{language.full_stop} <a href="{meta.source_url}">' in page
    khmer_page = html_text((built / "site" / "km" / "index.html").read_text(encoding="utf-8"))
    assert not re.search(r"[\u1780-\u17ff]\. ", khmer_page)


def test_without_author_and_notes_the_colophon_says_so_and_has_no_empty_heading(project_copy, capsys):
    set_field(project_copy, r"^  author: .*\n", "")
    for lang in LANGUAGES:
        path = project_copy / "content" / lang / "article.yaml"
        text = path.read_text(encoding="utf-8")
        start = text.index("editorial_notes:")
        end = text.index("translation:") if "translation:" in text else len(text)
        path.write_text(text[:start] + text[end:], encoding="utf-8")
    status, lines = build_books(project_copy, capsys)
    assert status == 0, lines
    for lang in LANGUAGES:
        page = book_colophon(project_copy / "output", lang)
        catalog = load_translations(project_copy / "templates", lang, "en", [])
        assert catalog.gettext("The source names no author.") in page
        assert catalog.gettext("Editorial notes") not in page
        assert "editorial-notes" not in page
    assert main(["--quiet", "--format", "pdf", "--variant", "standard", "--lang", "en"], root=project_copy) == 0
    assert "/Author" not in pypdf.PdfReader(project_copy / "output" / "en" / "article.pdf").metadata


def test_pdf_author_is_the_articles_author(built, articles):
    for lang in ("en", "vi"):
        author = plain_text(articles[lang].metadata.author)
        assert author
        assert pypdf.PdfReader(built / lang / "article.pdf").metadata["/Author"] == author


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_epub_navigation_labels_are_in_the_books_language(built, project, lang):
    with zipfile.ZipFile(built / lang / "article.epub") as book:
        nav = book.read("EPUB/nav.xhtml").decode("utf-8")
    contents = load_translations(project.templates, lang, "en", []).gettext("Contents")
    landmarks = nav[nav.index('epub:type="landmarks"'):]
    assert f'epub:type="toc">{contents}</a>' in landmarks
    assert f'<h1 id="toc-title">{contents}</h1>' in nav
    if lang != "en":
        assert "Table of Contents" not in nav and "Title Page" not in nav
