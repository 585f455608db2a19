"""Run ``build.py``, holding it at one point of its writing: a test can then stop the real
build exactly there, or let it go on.

    python tests/paused_build.py POINT MARKER [build.py's options]

POINT is where the build waits:

- ``lock``: as it opens the output folder's lock — it has loaded and checked the content and
  its workers are rendering, and it has written nothing yet;
- ``pdf``: as it moves a PDF, written whole under its temporary name, into place;
- ``manifest``: as it starts writing the manifest again, once that PDF is in place.

There the build creates the file MARKER and waits while it exists: a signal stops it where it
waits, and deleting MARKER lets it go on. The build itself is unchanged; an audit hook (PEP
578) sees its file operations.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIFEST_TEMPORARY = ".manifest.json."


def pause_at(point: str, marker: Path):
    build = os.getpid()
    state = {"pdf in place": False, "paused": False}

    def wait() -> None:
        state["paused"] = True
        marker.touch()
        while marker.exists():
            time.sleep(0.02)

    def hook(event: str, args: tuple) -> None:
        if state["paused"] or os.getpid() != build:   # not in the worker processes
            return
        if event == "os.rename" and str(args[1]).endswith(".pdf"):
            if point == "pdf":
                wait()
            state["pdf in place"] = True
        elif event == "open" and isinstance(args[0], (str, os.PathLike)):
            name = os.path.basename(args[0])
            if point == "lock" and name == ".build.lock":
                wait()
            elif point == "manifest" and state["pdf in place"] and name.startswith(MANIFEST_TEMPORARY):
                wait()

    return hook


if __name__ == "__main__":
    point, marker, *options = sys.argv[1:]
    sys.path.insert(0, str(ROOT))
    from publisher.cli import main
    sys.addaudithook(pause_at(point, Path(marker)))
    sys.exit(main(options))
