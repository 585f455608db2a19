"""Khmer: canonical, shapeable text; lines that break only between words and stay in the text
block; malformed Khmer reported with file, line and the offending cluster."""
from __future__ import annotations

import datetime as dt
import re

import icu
import pytest
from weasyprint.formatting_structure import boxes

from publisher.check import article_texts
from publisher.languages import LANGUAGES
from publisher.model import Where
from publisher.render.context import RenderInput
from publisher.render.i18n import load_translations
from publisher.render.pdf import print_html, render_html_document
from publisher.scripts.khmer import KHMER
from tests.helpers import canonical

KHMER_LANGS = [lang for lang, language in LANGUAGES.items() if language.script is KHMER]
KHMER_CHAR = re.compile(r"[\u1780-\u17ff]")


@pytest.mark.parametrize("lang", KHMER_LANGS)
def test_every_khmer_text_is_canonical_and_shapes_cleanly(articles, project, lang):
    font = project.fonts / LANGUAGES[lang].fonts[0].faces[0].file
    problems = []
    texts = [(t, w) for t, w in article_texts(articles[lang]) if KHMER_CHAR.search(t)]
    assert texts, "no Khmer text: nothing was checked"
    for text, where in texts:
        problems += KHMER.text_problems(text, where) + KHMER.shaping_problems(text, font, where)
    assert problems == []


def test_non_canonical_order_is_reported_with_the_cluster():
    [problem] = KHMER.text_problems("ការពារសិទ្ធិស្រ្តី", Where("content/km/x.md", 9))
    assert str(problem) == (
        "content/km/x.md:9: KHMER-001 Khmer cluster ស្រ្តី (U+179F U+17D2 U+179A U+17D2 U+178F U+17B8) "
        "is not in canonical order — write ស្ត្រី (U+179F U+17D2 U+178F U+17D2 U+179A U+17B8)")


def test_vowel_without_base_does_not_shape(project):
    font = project.fonts / "NotoSerifKhmer-Regular.ttf"
    [problem] = KHMER.shaping_problems("ប្រជាជន ាកម្ពុជា", font, Where("content/km/x.md", 4))
    assert str(problem) == (
        "content/km/x.md:4: KHMER-002 Khmer cluster ា (U+17B6) does not shape (dotted circle) in "
        "NotoSerifKhmer-Regular.ttf — check the cluster: a vowel or sign needs a base consonant before it")


def test_latin_letter_inside_a_khmer_word():
    [problem] = KHMER.text_problems("ប្រជាជនKម្ពុជា", Where("content/km/x.md", 2))
    assert problem.code == "KHMER-003"
    assert problem.line == 2


@pytest.mark.parametrize("broken, expected", [
    ("ស្ត្រី", "KHMER-001 Khmer cluster ស្រ្តី"),
    ("ា", "KHMER-002 Khmer cluster ា (U+17B6) does not shape"),
    ("Xក", "KHMER-003 Latin letter inside a Khmer word"),
])
def test_malformed_khmer_stops_the_khmer_editions(project_copy, capsys, broken, expected):
    from publisher.cli import main
    path = project_copy / "content" / "km" / "01-opening.md"
    text = path.read_text(encoding="utf-8")
    word = "បណ្ណាល័យ"
    line = next(i for i, l in enumerate(text.split("\n"), 1) if l.startswith(word))
    replacement = {"ស្ត្រី": "ស្រ្តី", "ា": " ា", "Xក": "Xក"}[broken]
    lines = text.split("\n")
    lines[line - 1] = lines[line - 1].replace(word, word + " " + replacement if broken != "ស្ត្រី"
                                               else word + replacement, 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    status = main(["--quiet", "--lang", "km"], root=project_copy)
    err = capsys.readouterr().err.splitlines()
    assert status == 1
    assert any(l.startswith(f"content/km/01-opening.md:{line}: {expected}") for l in err), err
    assert not (project_copy / "output" / "km").exists()


# Line breaking, checked on the laid-out print edition, which knows where each line ends
# (text taken out of the PDF is checked in test_pdf_text).

def lay_out(project, article, lang, keep):
    """Each paragraph of the print edition: its whole text and its lines as laid out."""
    source = RenderInput(project, article, LANGUAGES[lang],
                         load_translations(project.templates, lang, "en", []),
                         keep, dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))
    document, _ = render_html_document(source, print_html(source))
    paragraphs = {}
    for page in document.render().pages:
        for box, parent in _walk(page._page_box, None):
            if isinstance(box, boxes.LineBox) and _is_running_text(parent):
                texts = [t for t, _ in _walk(box, None) if isinstance(t, boxes.TextBox)]
                if not texts:
                    continue
                right = max(t.position_x + t.margin_width() for t in texts)
                limit = parent.content_box_x() + parent.width
                element = parent.element
                entry = paragraphs.setdefault(id(element), ("".join(element.itertext()), []))
                entry[1].append(("".join(t.text for t in texts), right, limit))
    return list(paragraphs.values())


@pytest.fixture(scope="module", params=KHMER_LANGS)
def laid_out(request, project, articles, glossary):
    lang = request.param
    return lang, lay_out(project, articles[lang], lang, glossary.keep_together(lang)), glossary.names(lang)


def _is_running_text(box) -> bool:
    """Paragraphs, headings and notes; not the table of contents, whose lines hold leaders."""
    return box.element_tag in ("p", "h1", "h2", "h3", "h4", "dd") or (
        box.element_tag == "li" and box.element.find("a") is None)


def _walk(box, parent):
    """Boxes of the page body, depth first; page-number margin boxes are left out."""
    yield box, parent
    for child in getattr(box, "children", None) or []:
        if not isinstance(child, boxes.MarginBox):
            yield from _walk(child, box)


def _plain(text: str) -> str:
    """Text as laid out: no break opportunities, and white space collapsed."""
    return re.sub(r"\s+", " ", text.replace("\u200b", "").replace("\u00a0", " ")).strip()


def test_no_line_runs_past_the_text_block(laid_out):
    _, paragraphs, _ = laid_out
    over = [(text[-20:], round(right - limit, 2)) for _, lines in paragraphs
            for text, right, limit in lines if right > limit + 0.01]
    assert over == []


NOT_AT_LINE_START = "។៕”)%ៗ"
NOT_AT_LINE_END = "“("


def test_every_line_ends_between_words(laid_out):
    """A line ends where ICU's Khmer dictionary sees a word boundary, never inside a name,
    and leaves no closing mark to start the next line."""
    _, paragraphs, names = laid_out
    checked, wrong = wrong_line_ends(paragraphs, names)
    assert checked, "no Khmer paragraph of the print edition runs over two lines: nothing was checked"
    assert wrong == [], "\n".join(wrong)


def wrong_line_ends(paragraphs, names) -> tuple[int, list[str]]:
    """How many line ends of Khmer paragraphs were checked, and those in the wrong place."""
    words = icu.BreakIterator.createWordInstance(icu.Locale("km"))
    checked, wrong = 0, []
    for whole, lines in paragraphs:
        plain = _plain(whole)
        if len(lines) < 2 or not KHMER_CHAR.search(plain):
            continue
        words.setText(plain)
        boundaries = set(words)
        inside_names = {i for name in names for m in re.finditer(re.escape(name), plain)
                        for i in range(m.start() + 1, m.end())}
        cursor = 0
        ends = []
        for text, _, _ in lines:
            line = _plain(text).strip()
            start = plain.find(line, cursor)
            assert start >= 0, f"line {line!r} not found in its paragraph"
            cursor = start + len(line)
            ends.append((start, cursor))
        for (_, end), (next_start, _) in zip(ends, ends[1:]):
            checked += 1
            if end not in boundaries or end in inside_names \
                    or plain[next_start] in NOT_AT_LINE_START or plain[end - 1] in NOT_AT_LINE_END:
                wrong.append(f"…{plain[max(0, end - 12):end]}|{plain[next_start:next_start + 12]}…")
    return checked, wrong


def missing_paragraphs(paragraphs, article, language) -> list[str]:
    """The blocks of the article whose text is not in the laid-out paragraphs."""
    from publisher.model import block_inlines, plain_text
    from publisher.render.context import ORIGIN_MARKS
    laid = canonical("".join(text for _, lines in paragraphs for text, _, _ in lines))
    blocks = list(article.all_blocks())
    assert blocks, "the article has no blocks: nothing was checked"
    return [str(block.where) for block in blocks
            if canonical(plain_text(block_inlines(block), language.quotes,
                                    origin_marks=ORIGIN_MARKS)) not in laid]


def test_every_paragraph_is_in_the_laid_out_pdf(laid_out, articles):
    lang, paragraphs, _ = laid_out
    assert missing_paragraphs(paragraphs, articles[lang], LANGUAGES[lang]) == []


def test_source_files_hold_no_invisible_break_characters(project):
    for lang in KHMER_LANGS:
        for path in (project.content / lang).iterdir():
            text = path.read_text(encoding="utf-8")
            assert not re.search("[\u200b\u200c\u200d\u2060\u00a0]", text), path


def test_names_are_never_split(glossary):
    names = [name for name in glossary.names("km") if " " in name]
    assert names, "the glossary has no Khmer name of two words: nothing to check"
    text = "អ្នកគ្រូ " + " និង ".join(names) + "។"
    processed = KHMER.add_break_opportunities(text, glossary.keep_together("km"))
    for name in names:
        assert name.replace(" ", "\u00a0") in processed


def test_space_before_khan_is_reported():
    [problem] = KHMER.text_problems("ប្រជាជនកម្ពុជា ។", Where("content/km/x.md", 5))
    assert str(problem) == ("content/km/x.md:5: KHMER-004 space before ។: 'ប្រជាជនកម្ពុជា ។' — "
                            "write ។ straight after the word it closes")


def test_khmer_text_must_close_with_koomuut(project_copy, capsys):
    from publisher.cli import main
    path = project_copy / "content" / "km" / "03-today.md"
    text = path.read_text(encoding="utf-8").rstrip("\n")
    assert text.endswith("៕")
    path.write_text(text[:-1] + "។\n", encoding="utf-8")
    status = main(["--quiet", "--lang", "km", "--format", "html", "--variant", "standard"], root=project_copy)
    lines = capsys.readouterr().err.splitlines()
    assert status == 1
    assert lines[0].startswith("content/km/03-today.md:")
    assert lines[0].endswith("PUNCT-003 the last paragraph does not end with ៕ — end the text with ៕")


def test_every_character_out_of_order_is_found(articles):
    """The order check asks khmerspell one syllable at a time; it must find what khmerspell
    finds on the whole text, wherever two neighbours are swapped, doubled or one is lost."""
    from khmerspell.khnormal import khnormal
    texts = [text for text, _ in article_texts(articles["km"]) if re.search("[\u1780-\u17ff]", text)]
    assert texts
    checked = 0
    for text in texts:
        for i in range(0, len(text) - 1, 7):
            for changed in (text[:i] + text[i + 1] + text[i] + text[i + 2:],
                            text[:i] + text[i] + text[i:], text[:i] + text[i + 1:]):
                reported = any(p.code == "KHMER-001" for p in KHMER.text_problems(changed, Where("t", 1)))
                assert reported == (khnormal(changed) != changed), changed[max(0, i - 5):i + 6]
                checked += 1
    assert checked > 100
