"""The EPUB editions as a distributor and an e-reader user meet them."""
from __future__ import annotations

import html
import io
import json
import os
import re
import struct
import subprocess
import zipfile
from pathlib import Path

import pypdf
import pytest
from lxml import etree
import weasyprint
from fontTools.ttLib import TTFont
from weasyprint.formatting_structure import boxes

from publisher.languages import LANGUAGES
from publisher.model import plain_text
from publisher.render import subset
from publisher.render.context import FONT_LICENCE_LANGUAGE, FONT_LICENCE_NAME
from publisher.render.i18n import load_translations

from tests.helpers import canonical, language_marks, marked_runs
from tests.test_editions import html_text


def unpacked(built, lang, tmp_path):
    folder = tmp_path / lang
    with zipfile.ZipFile(built / lang / "article.epub") as book:
        book.extractall(folder)
    return folder


def font_sizes(page, tags) -> dict[str, float]:
    """The font size of the first box of each of ``tags`` in a laid-out chapter."""
    found = {}

    def walk(box):
        tag = getattr(box, "element_tag", None)
        if tag in tags and tag not in found and isinstance(box, boxes.BlockBox):
            found[tag] = box.style["font_size"]
        for child in getattr(box, "children", []):
            walk(child)
    walk(page._page_box)
    return found


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_headline_is_set_a_little_larger_than_the_text(built, lang, tmp_path):
    folder = unpacked(built, lang, tmp_path)
    opening = next(p for p in sorted((folder / "EPUB" / "text").glob("*.xhtml"))
                   if 'class="headline"' in p.read_text(encoding="utf-8"))
    document = weasyprint.HTML(filename=str(opening)).render()
    sizes = font_sizes(document.pages[0], {"body", "h1"})
    assert 1.3 <= sizes["h1"] / sizes["body"] <= 2.0, sizes


def test_the_same_content_in_another_checkout_gives_the_same_books(built, rebuilt):
    """Nothing of the build's place or day gets into a book: its dates are the content's."""
    for lang in LANGUAGES:
        assert (rebuilt.project.output / lang / "article.epub").read_bytes() == \
            (built / lang / "article.epub").read_bytes(), lang


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_books_are_dated_by_the_edition_date(built, articles, lang):
    day = articles["en"].metadata.edition_date.isoformat()
    with zipfile.ZipFile(built / lang / "article.epub") as book:
        package = book.read("EPUB/content.opf").decode("utf-8")
        stamps = {info.date_time[:3] for info in book.infolist()}
    assert f">{day}</dc:date>" in package
    assert f'<meta property="dcterms:modified">{day}T00:00:00Z</meta>' in package
    assert stamps == {tuple(int(part) for part in day.split("-"))}


# What a distributor reads from the package ----------------------------------------------

def package(built, lang) -> str:
    with zipfile.ZipFile(built / lang / "article.epub") as book:
        return book.read("EPUB/content.opf").decode("utf-8")


def chapters(built, lang) -> dict[str, str]:
    with zipfile.ZipFile(built / lang / "article.epub") as book:
        return {n.removeprefix("EPUB/"): book.read(n).decode("utf-8") for n in book.namelist()
                if n.startswith("EPUB/text/")}


def refined(opf: str, element: str) -> list[tuple[str, str]]:
    """(text, role) of each dc:creator or dc:contributor."""
    found = []
    for ident, text in re.findall(rf'<dc:{element} id="([^"]+)">([^<]*)</dc:{element}>', opf):
        role = re.search(rf'refines="#{ident}" property="role"[^>]*>([^<]+)<', opf)
        found.append((html.unescape(text), role[1] if role else None))
    return found


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_book_credits_the_original_publisher_and_the_translation(built, articles, lang):
    meta = articles[lang].metadata
    opf = package(built, lang)
    creators = refined(opf, "creator")
    assert (plain_text(meta.publisher, LANGUAGES[lang].quotes), "isb" if meta.author else "aut") in creators
    if meta.author:
        assert (plain_text(meta.author, LANGUAGES[lang].quotes), "aut") in creators
    contributors = refined(opf, "contributor")
    if meta.translation:
        assert contributors == [(plain_text(meta.translation.method, LANGUAGES[lang].quotes), "trl")]
    else:
        assert contributors == []


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_accessibility_metadata_is_true_of_the_book(built, articles, project, lang):
    opf = package(built, lang)
    values = lambda name: re.findall(rf'<meta property="schema:{name}">([^<]*)</meta>', opf)
    has_pictures = any(b.kind == "figure" and b.image for b in articles[lang].all_blocks())
    with zipfile.ZipFile(built / lang / "article.epub") as book:
        images = [n for n in book.namelist() if n.startswith("EPUB/media/")]
        pages = "".join(chapters(built, lang).values())
    assert len(images) == 1 + has_pictures   # the cover, and the figures' pictures
    assert ("visual" in values("accessMode")) == has_pictures
    assert ("alternativeText" in values("accessibilityFeature")) == has_pictures
    assert values("accessModeSufficient") == ["textual"]
    assert values("accessibilityHazard") == ["none"]
    assert 'role="img"' not in pages.replace('<svg role="img"', "")
    [summary] = values("accessibilitySummary")
    catalog = load_translations(project.templates, lang, "en", [])
    first = catalog.gettext("The text is in reading order, with headings, a table of contents and "
                            "landmarks; the fonts it needs are embedded, and the reader may change "
                            "their size and the colours.")
    assert summary.startswith(html.escape(first, quote=False))
    assert '<meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>' in opf


def book_bodies(built, lang) -> dict[str, object]:
    """The body of each page of the book a reader reads (the chapters and the contents), parsed."""
    with zipfile.ZipFile(built / lang / "article.epub") as book:
        return {n: etree.fromstring(book.read(n)).find("{*}body") for n in book.namelist()
                if n.endswith(".xhtml")}


def test_names_written_in_another_language_are_marked_with_it_in_the_book(built, glossary):
    """As in the web page: each occurrence of a glossary form ``written-in`` another language
    is inside an element of that language, in the chapters and the contents."""
    for lang in LANGUAGES:
        forms = glossary.other_languages(lang).forms
        marks = [language_marks(body, forms, lang) for body in book_bodies(built, lang).values()]
        assert [wrong for _, found in marks for wrong in found] == [], lang
        assert sum(found for found, _ in marks) or not forms, f"the {lang} book has none of the forms"
    assert any(glossary.other_languages(lang).forms for lang in LANGUAGES), "no form to look for"


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_only_words_in_another_language_are_marked_in_the_book(built, glossary, lang):
    """Besides the English font licence (its own chapter), what the book marks as another
    language is a glossary form written in it, or the licence's English name."""
    allowed = set(glossary.other_languages(lang).forms)
    if lang != FONT_LICENCE_LANGUAGE:
        allowed.add((FONT_LICENCE_NAME, FONT_LICENCE_LANGUAGE))
    runs = [run for body in book_bodies(built, lang).values() if body.find(".//*[@class='licence']") is None
            for run in marked_runs(body, lang)]
    assert runs, "nothing in the book is in another language: nothing was checked"
    assert set(runs) <= allowed


@pytest.mark.parametrize("lang", [code for code in LANGUAGES if code != FONT_LICENCE_LANGUAGE])
def test_the_colophon_names_the_font_licence_in_its_own_language(built, lang):
    [colophon] = [body for body in book_bodies(built, lang).values()
                  if body.find(".//*[@id='about-this-edition']") is not None]
    assert language_marks(colophon, [(FONT_LICENCE_NAME, FONT_LICENCE_LANGUAGE)], lang) == (1, [])


@pytest.mark.parametrize("lang", [code for code in LANGUAGES if code != "en"])
def test_the_english_font_licence_is_marked_as_english(built, lang):
    [licence] = [page for page in chapters(built, lang).values() if "SIL OPEN FONT LICENSE" in page]
    assert '<div class="licence" lang="en">' in licence
    body = licence[licence.index('<div class="licence" lang="en">'):]
    assert "SIL OPEN FONT LICENSE" in body[:body.index("</div>")]


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_chapter_titles_are_their_headings(built, articles, lang):
    headline = plain_text(articles[lang].metadata.headline, LANGUAGES[lang].quotes)
    for name, page in chapters(built, lang).items():
        title = html.unescape(re.search(r"<title>(.*?)</title>", page)[1])
        heading = re.search(r"<h1\b[^>]*>(.*?)</h1>", page, re.S)
        expected = canonical(html_text(heading[1])) if heading else canonical(headline)
        assert canonical(title) == expected, name
        assert not title.endswith(".xhtml")


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_landmarks_lead_to_the_cover_contents_text_and_back_matter(built, articles, project, lang):
    with zipfile.ZipFile(built / lang / "article.epub") as book:
        nav = book.read("EPUB/nav.xhtml").decode("utf-8")
    catalog = load_translations(project.templates, lang, "en", [])
    landmarks = nav[nav.index('epub:type="landmarks"'):]
    entries = {kind: (href, canonical(html_text(label))) for href, kind, label in
               re.findall(r'<a href="([^"]+)" epub:type="([^"]+)">(.*?)</a>', landmarks)}
    pages = chapters(built, lang)
    first_section = articles[lang].sections[0].id
    assert entries["cover"][0] == "text/cover.xhtml"
    assert entries["toc"] == ("#toc", canonical(catalog.gettext("Contents")))
    assert f'id="{first_section}"' in pages[entries["bodymatter"][0]]
    assert entries["bodymatter"][1] == canonical(catalog.gettext("Start of the text"))
    assert 'id="about-this-edition"' in pages[entries["backmatter"][0]]
    for anchor in ("about-this-edition", "font-licence"):
        [page] = [p for p in pages.values() if f'id="{anchor}"' in p]
        assert '<body epub:type="backmatter">' in page
    if lang != "en":
        assert not {"Cover", "Contents", "Start of the text"} & {html_text(label) for *_, label in
                                                                  re.findall(r'(<a [^>]+>)(.*?)</a>', landmarks)}


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_reading_order_and_depth_of_the_contents(built, articles, lang):
    opf = package(built, lang)
    spine = re.findall(r'<itemref idref="([^"]+)"', opf)
    assert spine[0] == "cover_xhtml" and spine.index("nav") > 1   # after the cover and title chapter
    with zipfile.ZipFile(built / lang / "article.epub") as book:
        ncx = book.read("EPUB/toc.ncx").decode("utf-8")
    levels = {b.level for b in articles[lang].all_blocks() if b.kind == "heading"}
    assert f'<meta name="dtb:depth" content="{max(levels)}" />' in ncx


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_cover_image_is_large_enough_for_distributors(built, lang):
    opf = package(built, lang)
    href = re.search(r'<item properties="cover-image" id="[^"]+" href="([^"]+)" media-type="image/png"', opf)[1]
    with zipfile.ZipFile(built / lang / "article.epub") as book:
        image = book.read(f"EPUB/{href}")
    width, height = struct.unpack(">II", image[16:24])
    assert image[:8] == b"\x89PNG\r\n\x1a\n" and max(width, height) >= 1600


# Fonts cut down to the book's text -------------------------------------------------------

def book_text(built, lang) -> str:
    with zipfile.ZipFile(built / lang / "article.epub") as book:
        return "\n".join(html.unescape(re.sub(r"<[^>]+>", "\n", book.read(n).decode("utf-8")))
                         for n in book.namelist() if n.endswith(".xhtml"))


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_subset_fonts_draw_every_character_and_glyph_of_the_book(built, project, lang):
    text = book_text(built, lang)
    with zipfile.ZipFile(built / lang / "article.epub") as book:
        shipped = {face.file: book.read(f"EPUB/fonts/{face.file}")
                   for family in LANGUAGES[lang].fonts for face in family.faces}
    covered = set()
    for name, data in shipped.items():
        full = (project.fonts / name).read_bytes()
        assert len(data) < len(full), name
        assert subset.shaping_differences(full, data, text) == [], name
        covered |= set(TTFont(io.BytesIO(data)).getBestCmap())
    assert {c for c in text if not c.isspace() and ord(c) not in covered} == set()


def test_khmer_book_keeps_the_split_vowels(built):
    text = book_text(built, "km")
    assert set("ើឿៀោៅ") <= set(text), "the sample's Khmer text should hold every split vowel"


@pytest.mark.parametrize("lang, limit", [("en", 200_000), ("vi", 200_000), ("km", 450_000)])
def test_books_are_small_enough_for_phones(built, lang, limit):
    assert (built / lang / "article.epub").stat().st_size < limit


# DAISY Ace ----------------------------------------------------------------------------------

ACE = Path(__file__).resolve().parent.parent / "node_modules" / ".bin" / "ace-puppeteer"


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_daisy_ace_finds_no_violation(built, lang, tmp_path):
    assert ACE.exists(), "DAISY Ace is not installed: run `make` (npm ci installs it into node_modules/)"
    environment = dict(os.environ, PUPPETEER_EXECUTABLE_PATH=os.environ.get(
        "PUPPETEER_EXECUTABLE_PATH", "/usr/bin/chromium"))
    run = subprocess.run([str(ACE), "--force", "--silent", "--outdir", str(tmp_path),
                          str(built / lang / "article.epub")],
                         capture_output=True, text=True, env=environment, check=False)
    assert run.returncode == 0, run.stderr
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    violations = [f"{check['earl:test']['dct:title']} ({check['earl:test']['earl:impact']}) in "
                  f"{group['earl:testSubject']['url']}: {check['earl:result']['dct:description']}"
                  for group in report["assertions"] for check in group["assertions"]]
    assert violations == []
    assert report["earl:result"]["earl:outcome"] == "pass"
    assert "dcterms:conformsTo" in report["a11y-metadata"]["present"]


# The printed edition's pages --------------------------------------------------------------

def alnum(text: str) -> str:
    return "".join(c for c in text if c.isalnum())


# The booklet's text block, in points from the page's top: below the running head, above the folio.
TEXT_BLOCK = {"-x": 0, "-y": 57, "-W": 420, "-H": 482}


def printed_page_openings(pdf) -> list[str]:
    """The first letters and digits of each page's text block, as poppler reads them
    (ActualText included); empty for a page without text."""
    count = len(pypdf.PdfReader(pdf).pages)
    crop = [str(v) for option in TEXT_BLOCK.items() for v in option]
    return [alnum(subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", *crop, str(pdf), "-"],
                                 capture_output=True, text=True, check=True).stdout.split("\n\n")[0])
            for n in range(1, count + 1)]


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_page_list_leads_to_where_each_printed_page_begins(built, lang):
    openings = printed_page_openings(built / lang / "booklet.pdf")
    with zipfile.ZipFile(built / lang / "article.epub") as book:
        nav = book.read("EPUB/nav.xhtml").decode("utf-8")
        page_list = nav[nav.index('epub:type="page-list"'):]
        entries = re.findall(r'<a href="([^"#]+)#([^"]+)">([^<]+)</a>', page_list)
        expected = [(LANGUAGES[lang].to_digits(str(n)), opening) for n, opening in enumerate(openings, 1)
                    if opening]
        assert [label for *_, label in entries] == [label for label, _ in expected]
        for (file, anchor, label), (_, opening) in zip(entries, expected):
            page = book.read("EPUB/" + file).decode("utf-8")
            marker = re.search(rf'<span epub:type="pagebreak" role="doc-pagebreak" id="{anchor}" '
                               rf'aria-label="{label}"></span>', page)
            assert marker, (file, anchor)
            following = alnum(html.unescape(re.sub(r"<[^>]+>", "", page[marker.end():])))
            assert following.startswith(opening[:8]), (label, opening[:20], following[:20])
        ncx = book.read("EPUB/toc.ncx").decode("utf-8")
    ncx_targets = re.findall(r'<text>([^<]+)</text>\s*</navLabel>\s*<content src="([^"]+)" />\s*</pageTarget>', ncx)
    assert ncx_targets == [(label, f"{file}#{anchor}") for file, anchor, label in entries]
    opf = package(built, lang)
    assert re.search(r'<dc:source id="page-source">urn:uuid:[^<]+</dc:source>', opf)
    assert '<meta refines="#page-source" property="source-of">pagination</meta>' in opf


def test_a_cover_that_cannot_be_rasterised_is_a_render_problem(project_copy, monkeypatch, capsys):
    from publisher.cli import main
    monkeypatch.setenv("PATH", "/nonexistent")   # no pdftoppm
    status = main(["--quiet", "--lang", "en", "--format", "epub"], root=project_copy)
    lines = capsys.readouterr().err.splitlines()
    assert status == 1
    assert any("RENDER-001" in line and "poppler-utils" in line for line in lines), lines
    assert not (project_copy / "output" / "en" / "article.epub").exists()
