"""The cover image: the cover page laid out by WeasyPrint and rasterised by poppler's pdftoppm.

The same partial (templates/partials/cover.html) can lay out a printed cover, so the two
covers share one design.
"""
from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from .context import RenderInput, make_environment
from .pdf import render_html_document

RESOLUTION = 200   # pixels per inch: an A5 page is 1654 px tall, above the 1600 distributors ask


def cover_png(source: RenderInput) -> bytes:
    """The cover as PNG bytes; the same source gives the same bytes."""
    env = make_environment(source, add_breaks=True)
    html = env.get_template("cover.html").render(
        font_base=source.project.fonts.resolve().as_uri() + "/")
    document, _fetcher = render_html_document(source, html)
    pdf = document.write_pdf()
    with tempfile.TemporaryDirectory(prefix="cover-") as work:
        (Path(work) / "cover.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", str(RESOLUTION), "-singlefile", "-f", "1", "-l", "1",
                        "cover.pdf", "cover"], cwd=work, check=True, capture_output=True)
        return (Path(work) / "cover.png").read_bytes()
