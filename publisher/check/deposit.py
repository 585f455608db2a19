"""Verifying a deposit: a bag, the bag packed as a tar file, or a folder holding either.

What is checked, and said one line per file: every file the bag's manifests list is there
(BAG-002) with the same SHA-256 and SHA-512 (BAG-001); nothing is there that they do not list
(BAG-003); the bag is a readable bag that ``bagit`` itself validates (BAG-004); every edition
of the bag's ``manifest.json`` is there with its SHA-256 (BAG-005, BAG-001); and each archival
PDF is still PDF/A-3u carrying its sources (PDFA-…).
"""
from __future__ import annotations

import hashlib
import json
import tarfile
import tempfile
from pathlib import Path

import bagit

from ..problems import Problem
from ..render.archival import ArchivalFormat, source_files
from .pdfa import archival_problems

EDITIONS = Path("data/editions")
SOURCE = Path("data/source/content")
MANIFEST = "manifest.json"
ASK = "restore the file from another copy of the deposit"


def verify(path: Path) -> list[Problem]:
    """Every problem found in the deposit at ``path``, one per file."""
    if path.is_file():
        if not tarfile.is_tarfile(path):
            return [Problem("BAG-004", path, None, "neither a bag nor a tar file of one",
                            "give a bag's folder, a folder holding bags, or a packed deposit")]
        return verify_packed(path)
    if (path / "bagit.txt").is_file():
        return verify_bag(path, str(path))
    found = sorted(p for p in path.iterdir() if (p / "bagit.txt").is_file()) if path.is_dir() else []
    packed = sorted(p for p in path.glob("*.tar")) if path.is_dir() else []
    if not found and not packed:
        return [Problem("BAG-004", path, None, "holds no bag (no bagit.txt) and no packed deposit",
                        "give a bag's folder, a folder holding bags, or a packed deposit")]
    problems = []
    for bag in found:
        problems += verify_bag(bag, str(bag))
    for archive in packed:
        problems += verify_packed(archive)
    return problems


def verify_packed(path: Path) -> list[Problem]:
    with tempfile.TemporaryDirectory(prefix="deposit-") as folder:
        with tarfile.open(path) as archive:
            archive.extractall(folder, filter="data")
        bags = sorted(p for p in Path(folder).iterdir() if (p / "bagit.txt").is_file())
        if not bags:
            return [Problem("BAG-004", path, None, "the tar file holds no bag", ASK)]
        problems = []
        for bag in bags:
            problems += verify_bag(bag, f"{path}:{bag.name}")
        return problems


def verify_bag(folder: Path, shown: str) -> list[Problem]:
    try:
        bag = bagit.Bag(str(folder))
    except bagit.BagError as error:
        return [Problem("BAG-004", f"{shown}", None, f"not a readable bag: {error}", ASK)]
    problems: dict[str, Problem] = {}

    def report(relative: str, code: str, message: str, hint: str = ASK) -> None:
        problems.setdefault(relative, Problem(code, f"{shown}/{relative}", None, message, hint))

    for relative, hashes in sorted(bag.entries.items()):
        file = folder / relative
        if not file.is_file():
            report(relative, "BAG-002", "listed in the bag's manifests but missing")
            continue
        data = file.read_bytes()
        changed = [algorithm for algorithm, digest in sorted(hashes.items())
                   if hashlib.new(algorithm, data).hexdigest() != digest.lower()]
        if changed:
            report(relative, "BAG-001", f"its content changed: {' and '.join(changed)} differ from the manifests")
    listed = set(bag.entries)
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = file.relative_to(folder).as_posix()
        if relative not in listed and not relative.startswith("tagmanifest-") and relative != "bagit.txt":
            report(relative, "BAG-003", "is listed in none of the bag's manifests",
                   "remove it, or make the deposit again")
    editions = folder / EDITIONS / MANIFEST
    if editions.is_file() and f"{EDITIONS / MANIFEST}" not in problems:
        for relative, message in edition_findings(folder, json.loads(editions.read_text(encoding="utf-8"))):
            code, text = message
            report(relative, code, text)
    if not problems:
        try:
            bag.validate(processes=1)
        except bagit.BagError as error:
            report("bag-info.txt", "BAG-004", f"bagit does not validate the bag: {error}")
    return [problems[key] for key in sorted(problems)]


def edition_findings(folder: Path, manifest: dict):
    """The editions the bag's ``manifest.json`` lists: there, unchanged, and each archival PDF
    still PDF/A-3u with its sources attached."""
    for edition in manifest["editions"]:
        for record in edition["files"]:
            relative = (EDITIONS / record["path"]).as_posix()
            file = folder / relative
            if not file.is_file():
                yield relative, ("BAG-005", f"the {edition['lang']} {edition['format']} "
                                            f"{edition['variant']} edition lacks this file")
                continue
            data = file.read_bytes()
            if hashlib.sha256(data).hexdigest() != record["sha256"]:
                yield relative, ("BAG-001", "its content differs from the SHA-256 in manifest.json")
                continue
            if edition["variant"] == ArchivalFormat.variant and record["path"] == edition["path"]:
                sources = [name for name, _ in source_files(folder / SOURCE, edition["lang"])]
                for problem in archival_problems(data, relative, sources):
                    yield relative, (problem.code, problem.message)
