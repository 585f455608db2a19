"""How much text comes back out of each PDF edition, beside Chromium's PDF of the same page.

Chromium (``--print-to-pdf``) writes ActualText for complex clusters and is the reference.
For each language the print page is laid out twice, by this project's PDF unit and by Debian's
Chromium, and both PDFs are read back with poppler (``pdftotext``) and pdfium; the figures are
the share of the source's characters that come back in order (see
``publisher/check/extraction.py``). Run with ``make bench``.
"""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from publisher.check.extraction import ENGINES, measure  # noqa: E402
from publisher.languages import LANGUAGES, SOURCE_LANGUAGE  # noqa: E402
from publisher.load import load_article  # noqa: E402
from publisher.load.glossary import load_glossary  # noqa: E402
from publisher.load.words import load_words  # noqa: E402
from publisher.render.context import Project, RenderInput  # noqa: E402
from publisher.render.i18n import load_translations  # noqa: E402
from publisher.render.pdf import PdfFormat, print_html  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--no-pdf-header-footer"]


def chromium_pdf(html: str, work: Path) -> bytes:
    page, target = work / "page.html", work / "chromium.pdf"
    page.write_text(html, encoding="utf-8")
    subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={work / 'profile'}",
                    f"--print-to-pdf={target}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    return target.read_bytes()


def main() -> int:
    project = Project(ROOT)
    problems: list = []
    glossary = load_glossary(project.content / "glossary.yaml", tuple(LANGUAGES), problems)
    words = load_words(project.content, tuple(LANGUAGES), problems)
    print("Share of the source text that comes back from the PDF (1.0 = all of it, in order),")
    print("and what comes out beyond it per source character (page furniture, repeats)")
    print(f"{'lang':<5} {'extractor':<9} {'this project':>12} {'Chromium':>9} {'ratio':>6}"
          f" {'extra here':>10} {'Chromium':>9}")
    worst = 1.0
    with tempfile.TemporaryDirectory(prefix="bench-text-") as work:
        for lang, language in LANGUAGES.items():
            article, found = load_article(project.content, lang, SOURCE_LANGUAGE)
            if article is None:
                print("\n".join(map(str, found)), file=sys.stderr)
                return 1
            source = RenderInput(project, article, language,
                                 load_translations(project.templates, lang, SOURCE_LANGUAGE, problems),
                                 glossary.keep_together(lang, words.never_split(lang)),
                                 dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))
            edition = PdfFormat().render(source, problems)
            ours = measure(edition.files[edition.main], article, language)
            theirs = measure(chromium_pdf(print_html(source), Path(work)), article, language)
            for engine in ENGINES:
                a, b = ours[engine].share, theirs[engine].share
                worst = min(worst, a / b if b else 1.0)
                print(f"{lang:<5} {engine:<9} {a:>12.4f} {b:>9.4f} {a / b if b else float('nan'):>6.3f}"
                      f" {ours[engine].extra:>10.3f} {theirs[engine].extra:>9.3f}")
    print(f"lowest ratio to Chromium: {worst:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
