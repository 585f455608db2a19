"""The site of the content's article in a real browser: Debian's Chromium driven by Playwright,
axe-core, the Nu Html Checker and Lighthouse, on pages served from 127.0.0.1 as a static host
serves them (text compressed).

The site is built once with the local server's address as its base URL, so that its canonical
and alternate-language links are the absolute ones a published site has.
"""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import sync_playwright

from publisher.languages import LANGUAGES, PARALLEL_PAIRS, SOURCE_LANGUAGE
from publisher.pipeline import build

from .browser import launch, serving
from .helpers import QUICK_JAVA

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"
PAGES = ["", *(f"{lang}/" for lang in LANGUAGES)]   # the landing page, then each language's
PARALLEL_PAGES = [f"parallel-{first}-{second}/" for first, second in PARALLEL_PAIRS]
EVERY_PAGE = PAGES + PARALLEL_PAGES
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}
# WCAG 2.2 AA, as axe-core tags it
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FONT_BUDGET = 120_000        # bytes of fonts a page loads
PAGE_BUDGET = 250_000        # bytes of HTML, CSS and fonts of a page (the Khmer one is the largest)
LIGHTHOUSE_TARGETS = {"performance": 0.95, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}
LARGEST_PAINT_MS = 2000


@dataclass
class Site:
    url: str
    folder: Path
    requested: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def site(content_built, content_project, tmp_path_factory):
    output = tmp_path_factory.mktemp("site-output")
    shutil.copytree(content_built, output, dirs_exist_ok=True)
    with serving(output / "site") as (url, requested):
        report = build(content_project, list(LANGUAGES), ["html"], output, base_url=url)
        assert not report.problems, "\n".join(map(str, report.problems))
        yield Site(url, output / "site", requested)


@pytest.fixture(scope="module")
def playwright():
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def chromium(playwright):
    browser = launch(playwright)
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def chromium_without_system_fonts(playwright, tmp_path_factory):
    """Chromium that sees no system font for a script of its own (every font that supports
    a language whose script the source language's font does not draw: Khmer), nor any
    system copy of the pages' own families."""
    folder = tmp_path_factory.mktemp("no-fonts")
    own_script = [code for code, language in LANGUAGES.items()
                  if language.fonts[0] != LANGUAGES[SOURCE_LANGUAGE].fonts[0]]
    hidden = "".join(f"<pattern><patelt name='lang'><string>{code}</string></patelt></pattern>"
                     for code in own_script)
    families = "".join(f"<glob>*{family.name.replace(' ', '')}*</glob>"
                       for language in LANGUAGES.values() for family in language.fonts)
    (folder / "fonts.conf").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        "<fontconfig><include ignore_missing='yes'>/etc/fonts/fonts.conf</include>"
        f"<cachedir>{folder}/cache</cachedir>"
        f"<selectfont><rejectfont>{hidden}{families}</rejectfont></selectfont></fontconfig>\n",
        encoding="utf-8")
    browser = launch(playwright, env={**os.environ, "FONTCONFIG_FILE": str(folder / "fonts.conf")})
    yield browser
    browser.close()


def open_page(browser, url, viewport=PHONE, **options):
    context = browser.new_context(viewport=viewport, **options)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(url, wait_until="networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")
    return page, problems, responses


@pytest.mark.parametrize("path", EVERY_PAGE)
def test_the_page_loads_with_no_error_and_no_request_beyond_the_site(chromium, site, path):
    requests: list[str] = []
    context = chromium.new_context(viewport=PHONE)
    page = context.new_page()
    page.on("request", lambda request: requests.append(request.url))
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(site.url + path, wait_until="networkidle")
    page.mouse.wheel(0, 20000)       # sections out of sight are drawn when scrolled to
    page.wait_for_timeout(300)
    context.close()
    assert errors == []
    assert [url for url in requests if not url.startswith((site.url, "data:"))] == []


# CDP names a web font by the family inside the font file
OWN_FONTS = {family.name for language in LANGUAGES.values() for family in language.fonts}


@pytest.mark.parametrize("path", EVERY_PAGE)
def test_the_pages_own_fonts_draw_every_script_with_no_system_font(chromium_without_system_fonts, site, path):
    page, errors, _ = open_page(chromium_without_system_fonts, site.url + path)
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    nodes = session.send("DOM.querySelectorAll", {"nodeId": root, "selector":
                         "h1, .standfirst, .languages a, .choices a span, .toc a"})["nodeIds"]
    assert nodes
    drawn: dict[str, int] = {}
    for node in nodes:
        for font in session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
            assert font["isCustomFont"], f"{font['familyName']} (a system font) drew {font['glyphCount']} glyphs"
            drawn[font["familyName"]] = drawn.get(font["familyName"], 0) + font["glyphCount"]
    assert set(drawn) <= OWN_FONTS
    scripts_needed = {family.name for lang in LANGUAGES for family in LANGUAGES[lang].fonts[:1]}
    assert scripts_needed <= set(drawn), "every language's script is on every page (the switcher)"
    assert errors == []


@pytest.mark.parametrize("path", EVERY_PAGE)
def test_axe_finds_no_accessibility_violation(chromium, site, path):
    page, _, _ = open_page(chromium, site.url + path, bypass_csp=True)   # to add axe's script
    page.add_script_tag(path=str(AXE))
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
        assert [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]] == []
    dark = page.context.browser.new_context(color_scheme="dark", bypass_csp=True, viewport=PHONE).new_page()
    dark.goto(site.url + path, wait_until="networkidle")
    dark.add_script_tag(path=str(AXE))
    result = dark.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]] == []


def test_the_nu_html_checker_finds_no_error(site):
    pages = [site.folder / path / "index.html" for path in EVERY_PAGE]
    run = subprocess.run(["java", *QUICK_JAVA, "-jar", str(VNU), "--format", "json", "--errors-only",
                          *map(str, pages)],
                         capture_output=True, text=True, timeout=300)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    assert [(Path(m.get("url", "")).parent.name, m.get("lastLine"), m["message"]) for m in messages] == []


def test_the_switcher_opens_the_other_language_at_the_section_being_read(chromium, site):
    first, second = list(LANGUAGES)[:2]
    page, errors, _ = open_page(chromium, f"{site.url}{first}/")
    ids = page.eval_on_selector_all("main section.section h2[id]", "hs => hs.map(h => h.id)")
    target = ids[len(ids) // 2]
    page.locator(f"#{target}").scroll_into_view_if_needed()
    page.evaluate(f"document.getElementById('{target}').scrollIntoView()")
    page.wait_for_timeout(200)
    with page.expect_navigation():
        page.locator(f'.languages a[hreflang="{second}"]').click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{site.url}{second}/index.html#{target}"
    top = page.evaluate(f"document.getElementById('{target}').getBoundingClientRect().top")
    assert -2 <= top <= PHONE["height"] / 4, "the section opens at the top of the screen"
    assert page.eval_on_selector('.languages a[aria-current="page"]', "a => a.lang") == second
    assert errors == []


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_page_fits_the_screen_and_is_not_blank(chromium, site, path, viewport, tmp_path_factory):
    page, errors, _ = open_page(chromium, site.url + path, viewport=viewport)
    shot = page.screenshot()
    folder = tmp_path_factory.getbasetemp() / "screenshots"
    folder.mkdir(exist_ok=True)
    (folder / f"{path.strip('/') or 'landing'}-{viewport['width']}.png").write_bytes(shot)
    image = Image.open(io.BytesIO(shot)).convert("L")
    background = image.getpixel((0, 0))
    inked = sum(1 for value in image.getdata() if abs(value - background) > 60)
    assert inked > 0.02 * image.width * image.height, "the screen is (nearly) blank"
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    if viewport is PHONE:
        justified = page.eval_on_selector_all(
            "main p, main li, main dd", "els => els.filter(e => getComputedStyle(e).textAlign === 'justify').length")
        assert justified == 0
    assert errors == []


# Each section is scrolled to before its pairs are measured: a section out of sight is laid
# out only when it comes near (content-visibility), as a reader scrolls.
PAIRS = """async () => {
    const found = [];
    for (const section of document.querySelectorAll('main .section')) {
        section.scrollIntoView();
        await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
        for (const pair of section.querySelectorAll('[data-block]')) {
            found.push({block: pair.dataset.block, sides: [...pair.children].map(side => {
                const box = side.getBoundingClientRect();
                return {lang: side.lang, left: box.left, right: box.right, top: box.top + scrollY,
                        bottom: box.bottom + scrollY};
            })});
        }
    }
    return found;
}"""


@pytest.mark.parametrize("path", PARALLEL_PAGES)
def test_a_parallel_pages_pairs_stand_side_by_side_on_a_desktop_and_stacked_on_a_phone(chromium, site, path):
    first, second = path.strip("/").split("-")[1:]
    for viewport in (DESKTOP, PHONE):
        page, errors, _ = open_page(chromium, site.url + path, viewport=viewport)
        pairs = page.evaluate(PAIRS)
        assert len(pairs) > 10 and all([s["lang"] for s in p["sides"]] == [first, second] for p in pairs)
        tops = [pair["sides"][0]["top"] for pair in pairs]
        assert tops == sorted(tops), "the pairs stand in the text's order"
        for pair in pairs:
            one, other = pair["sides"]
            if viewport is DESKTOP:
                assert abs(one["top"] - other["top"]) < 1, pair["block"]
                assert other["left"] >= one["right"] and one["right"] - one["left"] > viewport["width"] / 4
            else:
                assert other["top"] >= one["bottom"] - 1, pair["block"]
                assert other["left"] < one["right"] and other["right"] <= viewport["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        assert errors == []
        page.context.close()


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_a_page_loads_few_enough_bytes_for_a_phone(chromium, site, lang):
    page, _, responses = open_page(chromium, f"{site.url}{lang}/")
    page.mouse.wheel(0, 20000)
    page.wait_for_timeout(300)
    by_kind: dict[str, int] = {}
    for response in responses:
        kind = response.request.resource_type
        by_kind[kind] = by_kind.get(kind, 0) + len(response.body())
    assert by_kind.get("font", 0) <= FONT_BUDGET, by_kind
    assert by_kind.get("document", 0) + by_kind.get("stylesheet", 0) + by_kind["font"] <= PAGE_BUDGET, by_kind


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_lighthouse_on_a_phone_scores_the_targets(site, lang, tmp_path):
    report = tmp_path / "lighthouse.json"
    run = subprocess.run(
        [str(LIGHTHOUSE), f"{site.url}{lang}/", "--output=json", f"--output-path={report}", "--quiet",
         "--only-categories=performance,accessibility,best-practices,seo",
         "--chrome-flags=--headless --no-sandbox --disable-gpu"],
        env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"}, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(report.read_text(encoding="utf-8"))
    scores = {name: result["categories"][name]["score"] for name in LIGHTHOUSE_TARGETS}
    failing = {name: [audit for audit in result["categories"][name]["auditRefs"]
                      if result["audits"][audit["id"]].get("score") not in (None, 1) and audit["weight"]]
               for name in scores if scores[name] < LIGHTHOUSE_TARGETS[name]}
    assert all(scores[name] >= LIGHTHOUSE_TARGETS[name] for name in scores), (scores, failing)
    assert result["audits"]["largest-contentful-paint"]["numericValue"] <= LARGEST_PAINT_MS
