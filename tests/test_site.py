"""The web edition as a site: what its pages carry, read from the files the build writes (on the
sample article; the browser tests are in test_site_browser.py)."""
from __future__ import annotations

import base64
import hashlib
import io
import re
import shutil

import pytest
from fontTools.ttLib import TTFont
from lxml import html as lxml_html

from publisher.languages import LANGUAGES, SOURCE_LANGUAGE
from publisher.model import plain_text
from publisher.pipeline import build
from publisher.render.context import FONT_LICENCE_LANGUAGE, FONT_LICENCE_NAME
from publisher.render.html import DESCRIPTION_LENGTH
from publisher.render.webfonts import texts_by_language

from tests.helpers import language_marks, marked_runs


def page(folder, lang=None):
    path = folder / "site" / (f"{lang}/index.html" if lang else "index.html")
    return lxml_html.document_fromstring(path.read_bytes())


def meta(document, key):
    found = document.xpath(f'//meta[@name="{key}" or @property="{key}"]/@content')
    return found[0] if found else None


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_a_page_describes_itself_in_at_most_160_characters_from_the_standfirst(built, articles, lang):
    document = page(built, lang)
    description = meta(document, "description")
    standfirst = " ".join(plain_text(articles[lang].metadata.standfirst, LANGUAGES[lang].quotes).split())
    assert 0 < len(description) <= DESCRIPTION_LENGTH
    assert standfirst.startswith(description.removesuffix("…").replace("\u00a0", " ")) or description == standfirst
    assert meta(document, "og:description") == description
    assert meta(document, "og:title") == document.findtext(".//title")
    assert meta(document, "og:image") == "cover.png"
    assert (built / "site" / lang / "cover.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_language_is_an_alternate_and_the_landing_page_the_default(built, lang):
    document = page(built, lang)
    alternates = dict((link.get("hreflang"), link.get("href"))
                      for link in document.xpath('//link[@rel="alternate"]'))
    assert alternates == {**{code: f"../{code}/index.html" for code in LANGUAGES},
                          "x-default": "../index.html"}
    assert not document.xpath('//link[@rel="canonical"]'), "no canonical address without a base URL"


def test_with_a_base_url_the_links_search_engines_read_are_absolute(built, project, tmp_path):
    output = tmp_path / "output"
    shutil.copytree(built, output)
    base = "https://example.org/commemoration/"
    report = build(project, list(LANGUAGES), ["html"], output, base_url=base)
    assert not report.problems
    assert {key[1] for key in report.rendered} == {"html"}, "the downloads are not built again"
    for lang in LANGUAGES:
        document = page(output, lang)
        assert document.xpath('//link[@rel="canonical"]/@href') == [f"{base}{lang}/"]
        assert meta(document, "og:url") == f"{base}{lang}/"
        assert meta(document, "og:image") == f"{base}{lang}/cover.png"
        alternates = {link.get("hreflang"): link.get("href") for link in document.xpath('//link[@rel="alternate"]')}
        assert alternates == {**{code: f"{base}{code}/" for code in LANGUAGES}, "x-default": base}
    assert page(output).xpath('//link[@rel="canonical"]/@href') == [base]


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_switcher_names_each_language_in_its_own_language_and_marks_this_one(built, lang):
    links = page(built, lang).xpath('//nav[@class="languages"]//a')
    assert [(a.get("lang"), a.text_content(), a.get("href")) for a in links] == [
        (code, language.native_name, f"../{code}/index.html") for code, language in LANGUAGES.items()]
    assert [a.get("lang") for a in links if a.get("aria-current") == "page"] == [lang]


def test_the_landing_page_offers_every_language_in_its_own_words(built):
    choices = page(built).xpath('//ul[@class="choices"]/li')
    assert [li.get("lang") for li in choices] == list(LANGUAGES)
    for li in choices:
        assert li.xpath(".//a/@href") == [f"{li.get('lang')}/index.html"]
        assert li.xpath('.//span[@class="choice-name"]')[0].text == LANGUAGES[li.get("lang")].native_name
    assert page(built).get("lang") == SOURCE_LANGUAGE
    assert (built / "site" / "robots.txt").read_text() == "User-agent: *\nAllow: /\n"


def test_names_written_in_another_language_are_marked_with_it(built, glossary):
    """A screen reader says a Khmer name in Latin letters (km-Latn) or a Vietnamese one in the
    English page in its own language: every occurrence of a glossary form ``written-in``
    another language is inside an element of that language, in the text and the contents."""
    for lang in LANGUAGES:
        forms = glossary.other_languages(lang).forms
        found, wrong = language_marks(page(built, lang).find("body"), forms, lang)
        assert wrong == [], lang
        assert found or not forms, f"the {lang} page has none of the forms: nothing was checked"
    assert any(glossary.other_languages(lang).forms for lang in LANGUAGES), "no form to look for"


def test_a_name_is_marked_once_as_a_whole_word_inside_quotations_emphasis_and_links():
    """The mark goes round the name inside the markup around it, never round part of a word or
    of a longer name, never twice, and never into a link's address."""
    from publisher.model import Emphasis, KeepTogether, Link, OtherLanguages, Quote, Text
    from publisher.render.context import InlineRenderer
    names = OtherLanguages((("Chea", "km-Latn"), ("Chea Sophal", "km-Latn"), ("Mai Lan", "vi")))
    render = InlineRenderer(LANGUAGES["en"], KeepTogether(), False, "q", names)
    html = render((Text("Chea Sophal’s "), Quote((Text("ask "), Emphasis((Text("Mai Lan"),)))),
                   Text(" at "), Link((Text("Chea Sophal"),), "https://example.org/Mai Lan"),
                   Text(" Cheap Mai Land, Chea")))
    assert html == ('<span lang="km-Latn">Chea Sophal</span>’s <q class="quote">“ask <em><span lang="vi">'
                    'Mai Lan</span></em>”</q> at <a href="https://example.org/Mai Lan"><span lang="km-Latn">'
                    'Chea Sophal</span></a> Cheap Mai Land, <span lang="km-Latn">Chea</span>')
    assert InlineRenderer(LANGUAGES["en"], KeepTogether(), False, "q")((Text("Mai Lan"),)) == "Mai Lan"


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_only_words_in_another_language_are_marked_in_the_text(built, glossary, lang):
    """What the page marks as another language is a glossary form written in it, the font
    licence's English name, or a language's name in its own language (the links to the bilingual
    pages); Khmer names in Khmer script are Khmer, nothing to mark."""
    allowed = set(glossary.other_languages(lang).forms)
    allowed |= {(other.native_name, code) for code, other in LANGUAGES.items()}
    if lang != FONT_LICENCE_LANGUAGE:
        allowed.add((FONT_LICENCE_NAME, FONT_LICENCE_LANGUAGE))
    runs = marked_runs(page(built, lang).find(".//main"), lang)
    assert runs, "nothing in the page is in another language: nothing was checked"
    assert set(runs) <= allowed


@pytest.mark.parametrize("lang", [code for code in LANGUAGES if code != FONT_LICENCE_LANGUAGE])
def test_the_font_licence_is_named_in_its_own_language(built, lang):
    colophon = page(built, lang).get_element_by_id("colophon")
    assert language_marks(colophon, [(FONT_LICENCE_NAME, FONT_LICENCE_LANGUAGE)], lang) == (1, [])


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_contents_link_every_section_and_every_heading_links_to_itself(built, articles, lang):
    document = page(built, lang)
    targets = document.xpath('//nav[@class="toc"]//a/@href')
    top_headings = [s.blocks[0].id for s in articles[lang].sections if s.blocks[0].kind == "heading"]
    assert top_headings and all(f"#{heading}" in targets for heading in top_headings)
    assert all(document.get_element_by_id(target[1:]) is not None for target in targets)
    for heading in document.xpath('//main//section[@class="section"]//*[self::h2 or self::h3 or self::h4]'):
        assert heading.xpath('./a[@class="permalink"]/@href') == [f"#{heading.get('id')}"]


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_page_offers_its_booklet_and_epub_with_their_sizes(built, lang):
    site = built / "site" / lang
    downloads = page(built, lang).xpath('//section[@class="downloads"]//li')
    assert [li.xpath("./a/@href")[0] for li in downloads] == ["booklet.pdf", "article.epub"]
    for li, edition in zip(downloads, ("booklet.pdf", "article.epub")):
        assert (site / edition).read_bytes() == (built / lang / edition).read_bytes()
        size = round((site / edition).stat().st_size / 1000)
        assert li.xpath('./span[@class="size"]')[0].text == f"{LANGUAGES[lang].to_digits(str(size))}\u00a0kB"


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@pytest.mark.parametrize("lang", [None, *LANGUAGES])
def test_the_policy_allows_the_page_its_own_style_and_script_and_nothing_from_elsewhere(built, lang):
    source = (built / "site" / (f"{lang}/index.html" if lang else "index.html")).read_text(encoding="utf-8")
    policy = dict(d.strip().split(" ", 1) for d in
                  re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', source)[1].split(";"))
    style = re.search(r"<style>(.*?)</style>", source, re.S)[1]
    script = re.search(r"<script>(.*?)</script>", source, re.S)
    assert policy["default-src"] == "'none'"
    assert policy["style-src"] == _sha256(style)
    assert policy["script-src"] == (_sha256(script[1]) if script else "'none'")
    assert policy["font-src"] == policy["connect-src"] == "'self'"
    assert "http" not in " ".join(policy.values())


@pytest.mark.parametrize("lang", [None, *LANGUAGES])
def test_each_font_is_cut_to_the_characters_the_page_draws_with_it(built, lang):
    folder = built / "site" / (lang or "")
    source = (folder / "index.html").read_text(encoding="utf-8")
    faces = re.findall(r'src: url\("([^"]+)"\) format\("woff2"\);.*?unicode-range: ([^;]+);', source, re.S)
    assert faces
    covered = set()
    for file, ranges in faces:
        points = set()
        for part in ranges.split(", "):
            first, _, last = part[2:].partition("-")
            points |= set(range(int(first, 16), int(last or first, 16) + 1))
        cmap = set(TTFont(io.BytesIO((folder / file).read_bytes())).getBestCmap())
        assert points <= cmap, f"{file} lacks characters its range claims"
        covered |= points
    drawn = {ord(c) for runs in texts_by_language(source, lang or SOURCE_LANGUAGE).values()
             for run in runs for c in run if c not in "\n\r\t"}
    assert drawn <= covered, f"drawn by no face: {''.join(sorted(map(chr, drawn - covered)))!r}"
    preloads = re.findall(r'<link rel="preload" href="([^"]+)" as="font"', source)
    assert all((folder / file).is_file() for file in preloads)
