"""A build stopped at any point — by SIGINT, SIGTERM or SIGKILL, before, while and after it
writes a PDF — leaves every edition either as it was or complete and listed in a manifest
that matches the files; the next build completes and leaves no temporary file. A second build
into the same folder while one writes is refused, and the first completes.

Each stopped build is ``build.py`` in its own process, run by ``tests/paused_build.py``, which
holds it at the point to stop it; the builds that run to their end run ``build.py``'s command
line in the test's own process.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from publisher.cli import main

from tests.conftest import ROOT, SAMPLE

# English only, the PDF and the booklet: enough to stop a build while it writes a PDF with
# another edition still to write, quick to build again (a web page would bring the booklet and
# the EPUB it carries, and is written last, after any moment a build is stopped at here).
OPTIONS = ["--lang", "en", "--format", "pdf", "--variant", "standard,booklet"]
NOT_REACHED = "en/booklet.pdf"   # the edition written after the first PDF
PAUSED_BUILD = ROOT / "tests" / "paused_build.py"
SECTION = Path("en") / "03-today.md"


def files(output: Path) -> dict[str, str]:
    """Every file under ``output`` but the lock, with its SHA-256."""
    return {p.relative_to(output).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(output.rglob("*")) if p.is_file() and p.name != ".build.lock"}


def manifest_files(output: Path) -> dict[str, str]:
    """The files the manifest lists, with the SHA-256 it records for each."""
    editions = json.loads((output / "manifest.json").read_text(encoding="utf-8"))["editions"]
    return {file["path"]: file["sha256"] for edition in editions for file in edition["files"]}


def temporaries(output: Path) -> list[str]:
    return sorted(name for name in files(output) if Path(name).name.endswith(".part"))


def assert_consistent(output: Path) -> None:
    """Every file the manifest lists is on disk with the checksum it records."""
    on_disk = files(output)
    for path, digest in manifest_files(output).items():
        assert on_disk.get(path) == digest, f"the manifest lists {path}, which differs from it"


def change_the_content(content: Path, words: str) -> None:
    """An English paragraph changes: the English editions have to be built again."""
    section = content / SECTION
    section.write_text(section.read_text(encoding="utf-8") + f"\n{words}\n", encoding="utf-8")


def run_build(content: Path, output: Path) -> subprocess.CompletedProcess:
    """A build to its end, ``build.py``'s own command line run in this process, which has its
    libraries loaded already (the stopped builds have their own process, and workers)."""
    arguments = ["--content", str(content), "--output", str(output), "--jobs", "1", *OPTIONS]
    with contextlib.redirect_stderr(io.StringIO()) as stderr:
        status = main(arguments)
    return subprocess.CompletedProcess(arguments, status, "", stderr.getvalue())


def start_paused(point: str, marker: Path, content: Path, output: Path) -> subprocess.Popen:
    """A build held at ``point``: it waits there once ``marker`` exists."""
    build = subprocess.Popen([sys.executable, str(PAUSED_BUILD), point, str(marker),
                              "--content", str(content), "--output", str(output), *OPTIONS],
                             stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert build.poll() is None, f"the build ended before {point}: {build.stderr.read()}"
        assert time.monotonic() < deadline, f"the build never reached {point}"
        time.sleep(0.02)
    return build


def children(pid: int) -> list[int]:
    """The processes ``pid`` started (the render workers)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += map(int, (task / "children").read_text().split())
    return found


def running(pid: int) -> bool:
    """Whether ``pid`` runs still: a process that ended but was not reaped has state Z."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in "ZX"
    except FileNotFoundError:
        return False


def outlived(workers: list[int]) -> list[int]:
    """The workers still running a few seconds after their build ended (ended now)."""
    deadline = time.monotonic() + 10
    while any(map(running, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [worker for worker in workers if running(worker)]
    for worker in left:
        os.kill(worker, signal.SIGKILL)
    return left


@pytest.fixture(scope="module")
def previous(tmp_path_factory) -> Path:
    """A complete build of the sample article: the editions a stopped build must not spoil."""
    root = tmp_path_factory.mktemp("previous")
    shutil.copytree(SAMPLE, root / "content")
    assert run_build(root / "content", root / "output").returncode == 0
    return root


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=lambda s: s.name)
@pytest.mark.parametrize("point", ["lock", "pdf", "manifest"])
def test_a_stopped_build_leaves_every_edition_whole(point, stop, previous, tmp_path):
    content, output = tmp_path / "content", tmp_path / "output"
    shutil.copytree(previous / "content", content)
    shutil.copytree(previous / "output", output)
    before = files(output)
    change_the_content(content, f"A paragraph added before a build stopped at {point} by {stop.name}.")

    build = start_paused(point, tmp_path / "paused", content, output)
    workers = children(build.pid)
    assert workers, "the build renders in this process: nothing shows that its workers stop"
    build.send_signal(stop)
    _, stderr = build.communicate(timeout=60)
    assert outlived(workers) == [], "a render worker outlived the build"

    stopped = files(output)
    assert_consistent(output)
    assert NOT_REACHED in manifest_files(output), "an edition the build had not reached is no longer listed"
    if point == "lock":
        assert stopped["manifest.json"] == before["manifest.json"]
    if stop == signal.SIGKILL:
        assert build.returncode == -signal.SIGKILL
        assert bool(temporaries(output)) == (point == "pdf"), temporaries(output)
    else:
        assert build.returncode == 128 + stop
        assert "Traceback" not in stderr
        assert stderr.splitlines()[-1] == (
            f"stopped by {stop.name}: the editions written before it are in place and in the "
            "manifest, the others are as they were")
        assert temporaries(output) == []
    assert set(stopped) - set(before) == set(temporaries(output))

    rebuilt = run_build(content, output)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert temporaries(output) == []
    assert_consistent(output)
    assert set(manifest_files(output)) == set(before) - {"manifest.json"}
    final = files(output)
    for path in set(before) - {"manifest.json"}:
        assert stopped[path] in (before[path], final[path]), \
            f"the stopped build left {path} neither as it was nor complete"
    if point != "lock":
        assert stopped["en/article.pdf"] == (final if point == "manifest" else before)["en/article.pdf"]
    assert "nothing to do" in run_build(content, output).stderr


def test_a_second_build_while_one_writes_is_refused_and_the_first_completes(previous, tmp_path):
    content, output = tmp_path / "content", tmp_path / "output"
    shutil.copytree(previous / "content", content)
    shutil.copytree(previous / "output", output)
    change_the_content(content, "A paragraph two builds were started for at once.")
    marker = tmp_path / "paused"
    first = start_paused("pdf", marker, content, output)
    try:
        second = run_build(content, output)
    finally:
        marker.unlink()
        _, first_stderr = first.communicate(timeout=120)
    assert second.returncode == 1
    assert second.stderr.splitlines() == [
        f"{output}: WRITE-001 another build is writing to this folder — wait for it to finish, or "
        "build into another folder with --output"]
    assert first.returncode == 0, first_stderr
    assert temporaries(output) == []
    assert_consistent(output)
    assert "nothing to do" in run_build(content, output).stderr
