"""Bad input: each folder of tests/fixtures/bad/ breaks a copy of the sample project in one way
(its `case.yaml` says how), and a build must print exactly the messages in its
`expected.txt`, exit with 1, and leave every edition already in the output folder as it was.

`pytest --save-golden` rewrites the expected messages from what the build prints now.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import unicodedata
from pathlib import Path

import pytest
import yaml

from publisher.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "sample" / "content"
CASES = ROOT / "tests" / "fixtures" / "bad"
BUILD = ["--quiet", "--format", "html", "--variant", "standard"]


def break_project(root: Path, case: dict) -> None:
    """Apply a case's changes to the project copy at ``root``."""
    for change in case.get("replace", []):
        path = root / change["file"]
        text = path.read_text(encoding="utf-8")
        assert change["old"] in text, f"{change['file']} has no {change['old']!r}: update the case"
        path.write_text(text.replace(change["old"], change["new"], change.get("count", -1)), encoding="utf-8")
    for name in case.get("remove", []):
        (root / name).unlink()
    for name, text in case.get("write", {}).items():
        (root / name).write_text(text, encoding="utf-8")
    if "reencode" in case:
        change = case["reencode"]
        path = root / change["file"]
        path.write_bytes(path.read_text(encoding="utf-8").encode(change["encoding"], change.get("errors", "strict")))
    if "nfd" in case:
        path = root / case["nfd"]
        path.write_text(unicodedata.normalize("NFD", path.read_text(encoding="utf-8")), encoding="utf-8")
    if "append_bytes" in case:
        with (root / case["append_bytes"]["file"]).open("ab") as handle:
            handle.write(b"a" * case["append_bytes"]["size"])
    if "binary" in case:
        (root / case["binary"]).write_bytes(bytes(range(256)) * 16)
    for name, target in case.get("symlink", {}).items():
        (root / name).symlink_to(target)


def tree(folder: Path) -> dict[str, str]:
    """Every file's checksum; for the manifest, its editions less the record of their inputs,
    which changes whenever the content does (an edition of another language, rebuilt with the
    same bytes, records the content it was made from)."""
    files = {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "manifest.json"}
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["editions"]
    files["manifest.json"] = json.dumps([{k: v for k, v in e.items() if k != "inputs"} for e in manifest])
    return files


@pytest.fixture(scope="module")
def previous_output(built) -> Path:
    """The sample's editions, built once for the session: what every bad build must leave as it
    was (each test works in a copy)."""
    return built


def make_project(root: Path) -> None:
    """A copy of the project the sample's editions were built in: the editions a case's change
    does not reach are up to date in it."""
    root.mkdir(parents=True)
    shutil.copytree(SAMPLE, root / "content")
    shutil.copytree(ROOT / "templates", root / "templates")
    shutil.copytree(ROOT / "fonts", root / "fonts")
    shutil.copy(ROOT / "requirements.txt", root / "requirements.txt")


@pytest.mark.parametrize("name", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_bad_input_gets_its_messages_and_costs_no_edition(name, tmp_path, monkeypatch, capsys, request,
                                                          previous_output):
    root = tmp_path / "project"
    make_project(root)
    break_project(root, yaml.safe_load((CASES / name / "case.yaml").read_text(encoding="utf-8")) or {})
    output = tmp_path / "output"
    shutil.copytree(previous_output, output)
    before = tree(output)
    monkeypatch.chdir(root)
    status = main([*BUILD, "--output", str(output)], root=root)
    printed = capsys.readouterr().err + f"exit status {status}\n"
    golden = CASES / name / "expected.txt"
    if request.config.getoption("--save-golden"):
        golden.write_text(printed, encoding="utf-8")
    assert printed == golden.read_text(encoding="utf-8")
    assert status == 1
    assert "Traceback" not in printed
    assert tree(output) == before
    assert not [p for p in output.rglob("*") if p.name.startswith(".") and p.name.endswith(".part")]
