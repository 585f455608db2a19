"""Where the pipeline reads and writes."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    """Where the pipeline reads and writes: the project's templates and fonts, one article's
    content folder (``content/`` unless another is given) and the editions' folder."""
    root: Path
    content_dir: Path | None = None
    output_dir: Path | None = None

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def fonts(self) -> Path:
        return self.root / "fonts"

    @property
    def content(self) -> Path:
        return self.content_dir or self.root / "content"

    @property
    def output(self) -> Path:
        return self.output_dir or self.root / "output"

    @property
    def images(self) -> Path:
        return self.content / "images"
