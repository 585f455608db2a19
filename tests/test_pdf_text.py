"""Text that survives: every PDF gives its text back to poppler and pdfium, Khmer included;
the pages look the same as without ActualText; no line breaks inside a kept word."""
from __future__ import annotations

import json
import re
import subprocess
import zipfile

import pytest
import weasyprint
import weasyprint.draw.text

from publisher.check.extraction import (TARGET, Fidelity, Paragraph, extract_text, measure,
                                        normalise, text_problems)
from publisher.check.segmentation import word_break_notes
from publisher.languages import LANGUAGES
from publisher.load.words import WordEntry
from publisher.model import KeepTogether
from publisher.render import UNITS, actual_text, edition_languages
from publisher.render.pdf import PdfFormat
from publisher.scripts.khmer import KHMER

PDF = "application/pdf"


def pdf_editions(built):
    """The PDFs whose pages follow the text (imposed sheets do not; test_booklet checks that
    each half of a sheet gives back its booklet page's text)."""
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    return [e for e in manifest["editions"]
            if e["media_type"] == PDF and UNITS[(e["format"], e["variant"])].in_reading_order]


@pytest.fixture(scope="module")
def pdfs(built):
    editions = pdf_editions(built)
    assert {e["lang"] for e in editions} == set(LANGUAGES), "every language has a PDF"
    return editions


def test_every_paragraph_comes_back_from_every_pdf(built, articles, pdfs):
    """pdftotext gives back each paragraph, in order; a failure names the first that does not.
    (A parallel edition's two texts are read column by column in test_parallel.)"""
    for edition in pdfs:
        lang = edition["lang"]
        if len(edition_languages((lang, edition["format"], edition["variant"]))) > 1:
            continue
        figures = measure((built / edition["path"]).read_bytes(), articles[lang], LANGUAGES[lang],
                          ("poppler",))
        poppler = figures["poppler"]
        assert poppler.total > 0
        if poppler.missing:
            paragraph, got = poppler.missing[0]
            pytest.fail(f"{edition['path']}: {paragraph.where} does not come back whole\n"
                        f"source:    {normalise(paragraph.text)[:300]}\n"
                        f"extracted: {got[:300]}")
        assert poppler.share >= TARGET


def test_the_build_records_the_figures_in_the_manifest(pdfs):
    for edition in pdfs:
        assert edition["text_fidelity"]["poppler"] >= TARGET, edition["path"]
        assert 0 < edition["text_fidelity"]["pdfium"] <= 1


HARD_CLUSTERS = ["ស្ត្រី", "ព្រះ", "ក្នុង", "ជឿ", "រៀន", "ធ្វើ", "កោះ", "នៅ", "ប្រទេស", "១៩៧៩",
                 "ប៉ុល\u2060ពត"]


@pytest.fixture(scope="module")
def hard_clusters_pdf(project):
    fonts = project.fonts.resolve().as_uri()
    html = (f'<html lang="km"><style>@font-face {{ font-family: K; src: url("{fonts}/'
            f'NotoSerifKhmer-Regular.ttf") }} body {{ font-family: K; font-size: 14pt }}</style>'
            f'<p>{" ".join(HARD_CLUSTERS)}</p></html>')
    return weasyprint.HTML(string=html).write_pdf()


@pytest.mark.parametrize("word", HARD_CLUSTERS)
def test_known_hard_clusters_come_back_exactly(hard_clusters_pdf, word):
    words = extract_text(hard_clusters_pdf, "poppler").split()
    assert word.replace("\u2060", "") in words


@pytest.fixture(scope="module")
def khmer_with_and_without_actual_text(project, articles, glossary, monkeypatch_module):
    """The Khmer PDF edition drawn with ActualText and by WeasyPrint's own text drawing (what
    it was before), from the same input."""
    from tests.test_khmer import KHMER_LANGS
    from publisher.render.context import RenderInput
    from publisher.render.i18n import load_translations
    import datetime as dt
    lang = KHMER_LANGS[0]
    source = RenderInput(project, articles[lang], LANGUAGES[lang],
                         load_translations(project.templates, lang, "en", []),
                         glossary.keep_together(lang), dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))
    now = PdfFormat().render(source, [])
    monkeypatch_module.setattr(weasyprint.draw.text, "draw_first_line", actual_text._original)
    before = PdfFormat().render(source, [])
    monkeypatch_module.undo()
    return lang, now.files[now.main], before.files[before.main]


@pytest.fixture(scope="module")
def monkeypatch_module():
    patcher = pytest.MonkeyPatch()
    yield patcher
    patcher.undo()


def test_pdfium_gets_more_khmer_back_than_without_actual_text(articles, khmer_with_and_without_actual_text):
    lang, now, before = khmer_with_and_without_actual_text
    old = measure(before, articles[lang], LANGUAGES[lang])
    new = measure(now, articles[lang], LANGUAGES[lang])
    print(f"{lang} pdfium: {new['pdfium'].share:.4f} with ActualText, {old['pdfium'].share:.4f} without; "
          f"poppler: {new['poppler'].share:.4f}, {old['poppler'].share:.4f}")
    assert new["pdfium"].share >= old["pdfium"].share
    assert new["poppler"].share > old["poppler"].share


def test_pages_look_the_same_and_embed_the_same_fonts(khmer_with_and_without_actual_text, tmp_path):
    _, now_pdf, before = khmer_with_and_without_actual_text
    (tmp_path / "before.pdf").write_bytes(before)
    now = tmp_path / "now.pdf"
    now.write_bytes(now_pdf)
    for name, path in (("before", tmp_path / "before.pdf"), ("now", now)):
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(tmp_path / name)], check=True)
    before_pages = sorted(tmp_path.glob("before-*.png"))
    assert before_pages
    for page in before_pages:
        assert page.read_bytes() == (tmp_path / page.name.replace("before", "now")).read_bytes(), page.name

    def fonts(path):
        listing = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True,
                                 text=True).stdout.splitlines()[2:]
        return sorted(re.sub(r"^[A-Z]{6}\+", "", line.split()[0]) for line in listing)
    assert fonts(tmp_path / "before.pdf") == fonts(now)


def test_every_pdf_opens_cleanly_in_poppler_and_pdfium(built, pdfs):
    import pypdfium2
    for edition in pdfs:
        path = built / edition["path"]
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True)
        assert info.returncode == 0 and info.stderr == "", info.stderr
        text = subprocess.run(["pdftotext", str(path), "/dev/null"], capture_output=True, text=True)
        assert text.returncode == 0 and text.stderr == "", text.stderr
        document = pypdfium2.PdfDocument(str(path))
        assert len(document) > 0
        document.close()


def test_actual_text_follows_the_pinned_weasyprint():
    """Fails when WeasyPrint changes the function the ActualText extension follows."""
    assert weasyprint.__version__ == actual_text.PINNED_VERSION
    assert actual_text.followed_source_digest() == actual_text.FOLLOWED_SOURCE_SHA256
    assert weasyprint.draw.text.draw_first_line is actual_text.draw_first_line


def test_a_pdf_below_the_target_is_a_warning_and_refused_in_a_release():
    short = Fidelity("poppler", matched=90, total=100,
                     missing=[(Paragraph("content/km/01.md:3", "ក្នុង"), "ក្នុ")])
    [warning] = text_problems({"poppler": short}, "km/article.pdf", release=False)
    [error] = text_problems({"poppler": short}, "km/article.pdf", release=True)
    assert (warning.code, warning.is_error, error.code, error.is_error) == ("TEXT-001", False, "TEXT-002", True)
    assert str(warning).startswith("km/article.pdf: TEXT-001 only 0.9000 of the source text comes back "
                                   "from the PDF with pdftotext (target 0.99); first lost: content/km/01.md:3")


# Break opportunities only between words ------------------------------------------------

def kept_words_broken(project, built, articles, glossary) -> dict[str, list[str]]:
    """For each language whose editions get break opportunities: the glossary terms and
    listed words that hold one in the EPUB or in the PDF's page. Fails if there is nothing to
    check."""
    import datetime as dt
    from publisher.load.words import load_words
    from publisher.render.context import RenderInput
    from publisher.render.i18n import load_translations
    from publisher.render.pdf import print_html
    words_list = load_words(project.content, tuple(LANGUAGES), [])
    found = {}
    for lang, language in LANGUAGES.items():
        if language.script is not KHMER:
            continue
        keep = glossary.keep_together(lang, words_list.never_split(lang))
        words = [w for w in keep.phrases + keep.words if re.search(r"[\u1780-\u17ff]", w)]
        assert words, "the glossary has Khmer terms to keep whole: nothing to check"
        with zipfile.ZipFile(built / lang / "article.epub") as book:
            text = "".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xhtml"))
        source = RenderInput(project, articles[lang], language,
                             load_translations(project.templates, lang, "en", []), keep,
                             dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))
        text += print_html(source)
        found[lang] = sorted({w for w in words for m in re.finditer(
            "\u200b?".join("[ \u00a0]" if c == " " else re.escape(c) for c in w), text)
            if "\u200b" in m.group()})
    assert found, "no language gets break opportunities: nothing was checked"
    return found


def test_no_edition_breaks_inside_a_kept_word(project, built, articles, glossary):
    """Glossary terms and listed words never hold a break opportunity, in any edition."""
    assert all(broken == [] for broken in kept_words_broken(project, built, articles, glossary).values())


def test_listed_words_and_glossary_terms_get_no_break_opportunity():
    keep = KeepTogether(("ប៉ុល ពត",), ("ហ្វាស៊ីស",))
    text = "របបហ្វាស៊ីសប៉ុល ពត"
    assert "\u200b" in KHMER.add_break_opportunities(text)
    processed = KHMER.add_break_opportunities(text, keep)
    assert "ហ្វាស៊ីស" in processed and "ប៉ុល\u00a0ពត" in processed


def test_words_the_segmenters_split_differently_are_reported_until_decided(articles):
    from dataclasses import replace
    from publisher.model import Paragraph as Block, Text, Where
    article = articles["km"]
    first = article.sections[0]
    where = Where(first.where.file, 5)
    article = replace(article, sections=(replace(first, blocks=(Block((Text("របបហ្វាស៊ីស។"),), where),)),))
    notes = [n for n in word_break_notes(article, LANGUAGES["km"], KeepTogether(), {})
             if "ហ្វាស៊ីស" in n.message]
    assert [str(n) for n in notes] == [
        f"{where}: WORD-001 ហ្វាស៊ីស: ICU breaks it ហ្វា|ស៊ី|ស, khmercut keeps it whole — a native "
        "editor decides: list it in content/words.yaml under km with `break: never` or "
        "`break: allowed`, `status: reviewed`"]
    decided = {"ហ្វាស៊ីស": WordEntry("ហ្វាស៊ីស", "fascist", "allowed", "reviewed", 3)}
    assert not [n for n in word_break_notes(article, LANGUAGES["km"], KeepTogether(), decided)
                if "ហ្វាស៊ីស" in n.message]
