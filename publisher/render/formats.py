"""What a format unit is, and what it hands to the write stage."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..problems import Problem
from .context import RenderInput


@dataclass
class RenderedEdition:
    """The files of one edition, by path relative to its ``folder`` in the output folder (the
    language's folder unless the unit names another).

    ``main`` is the file a reader opens; the others (stylesheets, fonts) go with it.
    """
    lang: str
    format: str
    variant: str
    media_type: str
    main: str
    files: dict[str, bytes] = field(default_factory=dict)
    text_fidelity: dict[str, float] | None = None   # PDFs: share of the source text that comes back
    folder: str | None = None

    @property
    def place(self) -> str:
        """The folder under output/ its files go to."""
        return self.folder or self.lang


class Format:
    """One output format. Subclasses say what they make and how; the pipeline does the rest."""
    name: str
    variant = "standard"
    media_type: str
    add_break_opportunities: bool   # whether the reader's renderer needs them added
    # whether each word written in another language carries its ``lang`` (for screen readers);
    # a PDF's text stays as it is: a language of its own would change a name's hyphenation
    marks_languages: bool
    in_reading_order = True         # pages follow the text (imposed sheets do not): its text is measured

    def render(self, source: RenderInput, problems: list[Problem]) -> RenderedEdition | None:
        raise NotImplementedError

    def text_columns(self, source: RenderInput) -> list[tuple[float, float]] | None:
        """Where each language's text stands across its pages, as shares of a page's width,
        when it sets several side by side; None: one text, in the whole page."""
        return None
