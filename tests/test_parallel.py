"""The parallel editions: two languages side by side, each block beside its translation.

Where rows stand is read from WeasyPrint's laid-out document (exact for every script); what the
PDFs give back, from the built files, column by column. Expected texts come from the sample
article, never from strings copied out of it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

import pytest
from lxml import html as lxml_html
from weasyprint.formatting_structure import boxes

from publisher.check.alignment import alignment_problems, parallel_sections
from publisher.check.extraction import TARGET, extract_text, measure_texts, normalise, source_paragraphs
from publisher.cli import main
from publisher.inputs import Fingerprints
from publisher.languages import LANGUAGES, PARALLEL_PAIRS, SOURCE_LANGUAGE
from publisher.load import load_article
from publisher.model import Text, block_inlines, plain_text, walk_blocks
from publisher.pipeline import edition_input
from publisher.project import Project
from publisher.render import FORMATS, VARIANTS, edition_keys, edition_languages, edition_unit
from publisher.render.context import ORIGIN_MARKS
from publisher.render.pdf import render_html_document
from tests.helpers import canonical, language_marks

PARALLEL = [(first, "pdf", f"parallel-{first}-{second}") for first, second in PARALLEL_PAIRS]
PARALLEL_PAGES = [(first, "html", variant) for first, _, variant in PARALLEL]
LEVEL = 1.0   # px: how far apart two first baselines may be and still read as one line


# The laid-out document --------------------------------------------------------------------

@dataclass
class Cell:
    lang: str
    style: dict            # its computed style
    lines: list            # its line boxes on this page

    @property
    def text(self) -> str:
        return "".join(t.text for line in self.lines for t in _texts(line))


@dataclass
class Fragment:
    """The part of a row (one block of each language) that stands on one page."""
    block: str
    kind: str
    page: int
    top: float
    height: float
    cells: list[Cell]


@dataclass
class Page:
    number: int
    top: float              # where the page's text block begins
    height: float           # and how deep it is
    margins: dict[str, str]
    fragments: list[Fragment] = field(default_factory=list)
    toc: list[list[Cell]] = field(default_factory=list)


def _texts(box):
    if isinstance(box, boxes.TextBox):
        yield box
    for child in getattr(box, "children", None) or []:
        yield from _texts(child)


def _lines(box):
    if isinstance(box, boxes.LineBox):
        yield box
        return
    for child in getattr(box, "children", None) or []:
        if not isinstance(child, boxes.MarginBox):
            yield from _lines(child)


def _rows(box, within=()):
    if isinstance(box, boxes.TableRowBox):
        yield box, within
        return
    classes = tuple((box.element.get("class") or "").split()) if getattr(box, "element", None) is not None \
        and getattr(box, "element_tag", None) in ("nav", "table") else ()
    for child in getattr(box, "children", None) or []:
        if not isinstance(child, boxes.MarginBox):
            yield from _rows(child, within + classes)


def lay_out(source, unit) -> list[Page]:
    document, _ = render_html_document(source, unit.page_html(source))
    pages = []
    for number, laid in enumerate(document.render().pages, 1):
        box = laid._page_box
        margins = {child.at_keyword: "".join(t.text for t in _texts(child)).strip()
                   for child in box.children if isinstance(child, boxes.MarginBox)}
        page = Page(number, box.content_box_y(), box.height, margins)
        for row, within in _rows(box):
            cells = [Cell(cell.element.get("lang"), cell.style, list(_lines(cell))) for cell in row.children]
            if row.element.get("data-block"):
                classes = row.element.get("class").split()   # "pair block <kind>"; a caption's row has no kind
                kind = classes[2] if len(classes) > 2 else "caption"
                page.fragments.append(Fragment(row.element.get("data-block"), kind, number,
                                               row.position_y, row.height, cells))
            elif "toc" in within:
                page.toc.append(cells)
        pages.append(page)
    return pages


def fragments_by_block(pages: list[Page]) -> dict[str, list[Fragment]]:
    found: dict[str, list[Fragment]] = {}
    for page in pages:
        for fragment in page.fragments:
            found.setdefault(fragment.block, []).append(fragment)
    return found


def first_baseline(cell: Cell) -> float:
    line = cell.lines[0]
    return line.position_y + line.baseline


# The sample, as the pipeline hands it to the unit --------------------------------------------

@pytest.fixture(scope="session")
def parallel_layouts(project, checked):
    """Each parallel edition of the sample, laid out once."""
    ready, report = checked
    layouts = {}
    for key in PARALLEL:
        source = edition_input(project, key, ready, report)
        layouts[key] = (source, lay_out(source, edition_unit(key[1:])))
    return layouts


def lengthened(article, section_id: str, repeats: dict[int, int]):
    """``article`` with blocks of one section repeated inside themselves: block i of the
    section says its text ``repeats[i]`` times."""
    def longer(block, times):
        inlines = block_inlines(block)
        return replace(block, inlines=tuple(inlines) + tuple(
            node for _ in range(times - 1) for node in (Text(" "), *inlines)))
    sections = tuple(replace(s, blocks=tuple(longer(b, repeats[i]) if i in repeats else b
                                             for i, b in enumerate(s.blocks)))
                     if s.id == section_id else s for s in article.sections)
    return replace(article, sections=sections)


@pytest.fixture(scope="session")
def long_layout(project, checked):
    """The vi–km edition of the sample with the last section's paragraphs made long: the second
    deeper than what is left of its page, the third deeper than a page."""
    ready, report = checked
    section = report.articles[SOURCE_LANGUAGE].sections[-1]
    paragraphs = [i for i, b in enumerate(section.blocks) if b.kind == "paragraph"]
    assert len(paragraphs) >= 3, "the sample's last section has three paragraphs"
    repeats = {paragraphs[0]: 4, paragraphs[1]: 4, paragraphs[2]: 14}
    longer = {lang: (lengthened(article, section.id, repeats), *rest) for lang, (article, *rest) in ready.items()}
    longer_report = replace(report, articles={lang: entry[0] for lang, entry in longer.items()})
    key = PARALLEL[0]
    source = edition_input(project, key, longer, longer_report)
    assert source is not None, "\n".join(map(str, longer_report.problems))
    blocks = [f"{section.id}.{i}" for i in paragraphs]
    return source, lay_out(source, edition_unit(key[1:])), blocks


def all_layouts(parallel_layouts, long_layout):
    return [*parallel_layouts.values(), long_layout[:2]]


# Editions and keys ----------------------------------------------------------------------------

def test_parallel_editions_are_listed_under_their_first_language():
    every = edition_keys(LANGUAGES, FORMATS, VARIANTS)
    assert sorted(key for key in every if len(edition_languages(key)) > 1) == sorted(PARALLEL + PARALLEL_PAGES)
    assert [edition_languages(key) for key in PARALLEL + PARALLEL_PAGES] == list(PARALLEL_PAIRS) * 2
    for first, second in PARALLEL_PAIRS:
        variant = f"parallel-{first}-{second}"
        assert edition_keys([first], ["pdf", "html"], [variant]) == [(first, "pdf", variant),
                                                                     (first, "html", variant)]
        assert edition_keys([second], ["pdf", "html"], [variant]) == []


def test_asking_for_a_parallel_edition_under_its_second_language_says_where_it_is(project_copy, capsys):
    first, second = PARALLEL_PAIRS[0]
    assert main(["--lang", second, "--variant", f"parallel-{first}-{second}"], root=project_copy) == 0
    assert "built with its first language" in capsys.readouterr().err
    assert not (project_copy / "output").exists()


def test_the_manifest_lists_the_parallel_editions(built):
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    listed = {(e["lang"], e["format"], e["variant"]): e for e in manifest["editions"]}
    for key in PARALLEL:
        lang, _, variant = key
        assert listed[key]["path"] == f"{lang}/{variant}.pdf"
        assert (built / listed[key]["path"]).is_file()
        assert listed[key]["text_fidelity"]["poppler"] >= 0.99


@pytest.mark.parametrize("changed", [lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE])
def test_a_parallel_edition_is_rebuilt_when_either_of_its_languages_changes(project_copy, changed):
    project = Project(project_copy)
    keys = PARALLEL + [(lang, "pdf", "standard") for lang in LANGUAGES]
    before = {key: Fingerprints(project).of(key) for key in keys}
    section = sorted((project_copy / "content" / changed).glob("*.md"))[-1]
    section.write_text(section.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    after = {key: Fingerprints(project).of(key) for key in keys}
    assert [key for key in keys if after[key] != before[key]] == \
           [key for key in keys if changed in edition_languages(key)]


# Pairing and refusal --------------------------------------------------------------------------

def test_rows_pair_every_block_with_its_translation(checked):
    ready, report = checked
    for first, second in PARALLEL_PAIRS:
        sides = (ready[first][0], ready[second][0])
        sections, problems = parallel_sections(report.articles[SOURCE_LANGUAGE], sides, LANGUAGES,
                                               report.glossary)
        assert problems == []
        for section, *translated in zip(sections, *(side.sections for side in sides)):
            assert [row for row in section.rows] == list(zip(*(s.blocks for s in translated)))
            assert all(len({b.kind for b in row}) == 1 for row in section.rows)


def test_an_unaligned_pair_gives_the_alignment_checks_own_problems(checked):
    ready, report = checked
    english = report.articles[SOURCE_LANGUAGE]
    first, second = PARALLEL_PAIRS[0]
    article = ready[second][0]
    section = article.sections[0]
    k = next(i for i, b in enumerate(section.blocks) if b.kind == "paragraph")
    broken = replace(article, sections=(replace(section, blocks=section.blocks[:k] + section.blocks[k + 1:]),
                                        *article.sections[1:]))
    sections, problems = parallel_sections(english, (ready[first][0], broken), LANGUAGES, report.glossary)
    assert sections == ()
    assert problems == alignment_problems(english, broken, LANGUAGES, report.glossary)
    assert [p.code for p in problems] == ["ALIGN-004"]


def test_the_build_refuses_a_parallel_edition_whose_pair_does_not_align(project_copy, capsys):
    first, second = PARALLEL_PAIRS[0]
    variant = f"parallel-{first}-{second}"
    path = sorted((project_copy / "content" / second).glob("*.md"))[0]
    text = path.read_text(encoding="utf-8")
    paragraph = next(p for p in text.split("\n\n")[1:] if p and p[0] not in "#:>-")
    path.write_text(text.replace(paragraph + "\n\n", "", 1), encoding="utf-8")
    english, _ = load_article(project_copy / "content", SOURCE_LANGUAGE, SOURCE_LANGUAGE)
    broken, _ = load_article(project_copy / "content", second, SOURCE_LANGUAGE)
    expected = alignment_problems(english, broken, LANGUAGES, None)
    assert [p.code for p in expected] == ["ALIGN-004"]

    status = main(["--lang", first, "--variant", variant, "--quiet"], root=project_copy)
    printed = capsys.readouterr().err.splitlines()
    assert status == 1
    assert str(expected[0]) in printed
    for fmt in ("pdf", "html"):
        assert f"not built: the {first} {fmt} {variant} edition, as its {second} text has errors " \
               f"(an existing one is left as it was)" in printed
    assert not (project_copy / "output" / first / f"{variant}.pdf").exists()
    assert not (project_copy / "output" / "site" / variant).exists()


# Layout: rows level, whole, together ------------------------------------------------------------

def test_each_column_is_set_in_its_languages_type(parallel_layouts):
    for key, (source, pages) in parallel_layouts.items():
        cells = [cell for page in pages for fragment in page.fragments for cell in fragment.cells]
        assert {cell.lang for cell in cells} == set(edition_languages(key))
        for cell in cells:
            language = LANGUAGES[cell.lang]
            style = cell.style
            assert style["font_family"] == tuple(family.css_name for family in language.fonts), (key, cell.lang)
            assert style["line_height"] == language.line_height
            assert style["font_size"] == pytest.approx(float(language.font_size.removesuffix("pt")) * 4 / 3)
            assert style["text_align_all"] == language.text_align
            assert style["hyphens"] == ("auto" if language.hyphenate else "manual")


def test_block_i_of_each_language_starts_level(parallel_layouts, long_layout):
    checked = 0
    for source, pages in all_layouts(parallel_layouts, long_layout):
        for block, fragments in fragments_by_block(pages).items():
            first = fragments[0]
            starts = [(cell.lines[0].position_y, first_baseline(cell), cell.lines[0].height)
                      for cell in first.cells]
            assert all(cell.lines for cell in first.cells), f"{block}: a column starts on a later page"
            tops = [top for top, _, _ in starts]
            assert max(tops) - min(tops) < min(height for _, _, height in starts), block
            baselines = [baseline for _, baseline, _ in starts]
            assert max(baselines) - min(baselines) <= LEVEL, block
            checked += 1
    assert checked > 20


def test_a_block_that_fits_on_a_page_is_never_split(parallel_layouts, long_layout):
    for source, pages in all_layouts(parallel_layouts, long_layout):
        for block, fragments in fragments_by_block(pages).items():
            if len(fragments) > 1:
                page = pages[fragments[0].page - 1]
                assert sum(f.height for f in fragments) > page.height * 0.95, \
                    f"{block} is split over pages {[f.page for f in fragments]} though it fits on one"


def test_a_block_moves_whole_to_the_next_page_when_the_rest_of_a_page_is_too_short(long_layout):
    _, pages, (opening, middle, long) = long_layout
    fragments = fragments_by_block(pages)
    assert len(fragments[middle]) == 1
    moved = fragments[middle][0]
    assert moved.page == fragments[opening][-1].page + 1
    assert moved.top == pytest.approx(pages[moved.page - 1].top)


def test_a_block_longer_than_a_page_continues_in_both_columns_at_once(long_layout):
    _, pages, (_, _, long) = long_layout
    fragments = fragments_by_block(pages)[long]
    assert len(fragments) >= 2, "the long block fills more than a page"
    assert [f.page for f in fragments] == list(range(fragments[0].page, fragments[0].page + len(fragments)))
    for fragment in fragments:
        assert fragment.top == pytest.approx(pages[fragment.page - 1].top), "a continued block starts its page"
    for fragment in fragments[:-1]:
        assert all(cell.lines for cell in fragment.cells), f"page {fragment.page}: a column stops early"
    assert all(cell.lines for cell in fragments[1].cells), "both columns go on over the page"


def test_a_heading_stays_with_the_block_after_it(parallel_layouts, long_layout):
    for source, pages in all_layouts(parallel_layouts, long_layout):
        for page in pages:
            if page.fragments:
                assert page.fragments[-1].kind != "heading", f"page {page.number} ends with a heading"


def test_no_blocks_text_is_lost_in_the_layout(parallel_layouts, long_layout):
    for source, pages in all_layouts(parallel_layouts, long_layout):
        fragments = fragments_by_block(pages)
        for section in source.parallel:
            for index, row in enumerate(section.rows):
                for column, block in enumerate(row):
                    language = source.sides[column].language
                    laid = canonical("".join(f.cells[column].text for f in fragments[f"{section.id}.{index}"]))
                    for part in walk_blocks([block]):
                        if part.kind in ("quotation", "list"):
                            continue
                        text = plain_text(block_inlines(part), language.quotes, origin_marks=ORIGIN_MARKS)
                        assert canonical(text) in laid, f"{part.where}"


# Front matter and page furniture in both languages -----------------------------------------------

def test_contents_give_each_sections_page_in_each_columns_digits(parallel_layouts):
    for key, (source, pages) in parallel_layouts.items():
        rows = [row for page in pages for row in page.toc]
        entries = [row for row in rows if all(cell.lines for cell in row)][1:]   # the title first
        assert len(entries) == len(source.parallel) + 1     # every section and the colophon
        openings = {f.block.rsplit(".", 1)[0]: f.page for page in pages for f in page.fragments
                    if f.block.endswith(".0")}
        for section, row in zip(source.parallel, entries):
            for side, cell in zip(source.sides, row):
                number = str(openings[section.id])
                assert canonical(cell.text).endswith(side.language.to_digits(number)), (key, cell.text)


def test_running_heads_and_folios_stand_over_their_columns_in_their_languages(long_layout):
    source, pages, _ = long_layout
    section = source.parallel[-1]
    opening = next(f.page for page in pages for f in page.fragments if f.block == f"{section.id}.0")
    later = [page for page in pages if page.number > opening and page.fragments]
    assert later, "the section runs over several pages"
    for page in later:
        left = page.number % 2 == 0
        for side, box in zip(source.sides, ("@top-left", "@top-right")):
            article = side.article
            sections = {s.id: s for s in article.sections}
            title = article.metadata.short_title or article.metadata.headline if left \
                else sections[section.id].title
            wanted = plain_text(title, side.language.quotes)
            shown = page.margins[box]
            head = shown.removesuffix("…")
            assert canonical(head) and canonical(wanted).startswith(canonical(head)), (page.number, shown)
        folio = page.margins["@bottom-left" if left else "@bottom-right"]
        side = source.sides[0 if left else 1]
        assert folio == side.language.to_digits(str(page.number))


# Text taken out of the PDFs, column by column ------------------------------------------------------

def columns_lost(pdf: bytes, source, key) -> list:
    """What each language's column of a parallel PDF does not give back whole, with poppler and
    pdfium; and any paragraph of the other language found in a column."""
    columns = edition_unit(key[1:]).text_columns(source)
    texts = [(side.article, side.language) for side in source.sides]
    lost = []
    for side, figures in zip(source.sides, measure_texts(pdf, texts, ("poppler", "pdfium"), columns)):
        for engine, fidelity in figures.items():
            assert fidelity.total > 0, "the column's text is empty: nothing was checked"
            lost += [(side.language.code, engine, str(p.where), got[:60]) for p, got in fidelity.missing]
            if fidelity.share < TARGET:
                lost.append((side.language.code, engine, f"only {fidelity.share:.4f} comes back"))
    for index, side in enumerate(source.sides):
        column = normalise(extract_text(pdf, "poppler", columns[index]))
        lost += [(side.language.code, "poppler", f"{p.where} of the other column")
                 for other in source.sides if other is not side
                 for p in source_paragraphs(other.article, other.language) if normalise(p.text) in column]
    return lost


def test_each_column_of_each_parallel_pdf_gives_back_its_text(built, checked, project):
    ready, report = checked
    for key in PARALLEL:
        source = edition_input(project, key, ready, report)
        assert columns_lost((built / key[0] / f"{key[2]}.pdf").read_bytes(), source, key) == [], key


# The web pages ----------------------------------------------------------------------------------

def parallel_page(built, variant):
    return lxml_html.document_fromstring((built / "site" / variant / "index.html").read_bytes())


def test_the_manifest_lists_the_parallel_pages_in_the_site(built):
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    listed = {(e["lang"], e["format"], e["variant"]): e for e in manifest["editions"]}
    for key in PARALLEL_PAGES:
        assert listed[key]["path"] == f"site/{key[2]}/index.html"


def test_each_pair_of_a_parallel_page_holds_a_block_and_its_translation_in_order(built, checked):
    ready, report = checked
    for (first, _, variant), pair in zip(PARALLEL_PAGES, PARALLEL_PAIRS):
        document = parallel_page(built, variant)
        assert document.get("lang") == first
        sections, _ = parallel_sections(report.articles[SOURCE_LANGUAGE],
                                        tuple(ready[lang][0] for lang in pair), LANGUAGES, report.glossary)
        expected = [(f"{section.id}.{i}", row) for section in sections for i, row in enumerate(section.rows)]
        shown = document.xpath("//*[@data-block]")
        assert [element.get("data-block") for element in shown] == [block for block, _ in expected]
        for element, (block, row) in zip(shown, expected):
            sides = element.xpath("./*[@lang]")
            assert [side.get("lang") for side in sides] == list(pair), block
            for side, lang, source_block in zip(sides, pair, row):
                wanted = plain_text(block_inlines(source_block), LANGUAGES[lang].quotes)
                if source_block.kind == "figure":
                    wanted = plain_text(source_block.caption, LANGUAGES[lang].quotes)
                shown_text = "".join(c for c in side.text_content() if c not in ORIGIN_MARKS.values())
                assert canonical(wanted) in canonical(shown_text), (variant, block, lang)


def test_a_parallel_page_is_linked_from_both_its_languages_pages_and_the_landing_page(built):
    landing = lxml_html.document_fromstring((built / "site" / "index.html").read_bytes())
    for (first, _, variant), pair in zip(PARALLEL_PAGES, PARALLEL_PAIRS):
        assert f"{variant}/index.html" in landing.xpath("//a/@href")
        for lang in LANGUAGES:
            document = lxml_html.document_fromstring((built / "site" / lang / "index.html").read_bytes())
            links = [a for a in document.xpath("//a") if a.get("href") == f"../{variant}/index.html"]
            assert len(links) == (lang in pair), (lang, variant)
            if links:
                names = links[0].xpath("./*[@lang]")
                assert [(n.get("lang"), n.text) for n in names] == \
                       [(code, LANGUAGES[code].native_name) for code in pair]


def test_a_parallel_page_offers_its_booklet_and_links_each_languages_page(built):
    for first, _, variant in PARALLEL_PAGES:
        document = parallel_page(built, variant)
        offered = document.xpath("//a[@download]/@href")
        assert offered and set(offered) == {f"{variant}.pdf"}
        assert (built / "site" / variant / f"{variant}.pdf").read_bytes() == \
               (built / first / f"{variant}.pdf").read_bytes()
        assert sorted(document.xpath('//nav[@class="languages"]//a/@href')) == \
               sorted(f"../{lang}/index.html" for lang in LANGUAGES)


def test_each_side_of_a_parallel_page_marks_the_names_its_language_writes_in_another(built, glossary):
    for (first, _, variant), pair in zip(PARALLEL_PAGES, PARALLEL_PAIRS):
        document = parallel_page(built, variant)
        for lang in pair:
            forms = glossary.other_languages(lang).forms
            sides = document.xpath(f'//*[@data-block]/*[@lang="{lang}"]')
            found = [language_marks(side, forms, lang) for side in sides]
            assert [wrong for _, wrong in found if wrong] == [], (variant, lang)
            assert sum(count for count, _ in found) or not forms, (variant, lang, "nothing was checked")
