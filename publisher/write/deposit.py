"""The archive deposit: every edition, the source and their description as one BagIt bag
(RFC 8493), and the same bag packed as one tar file.

The bag is made with the Library of Congress's ``bagit`` package: SHA-256 and SHA-512
manifests of the payload and of the tag files, and ``bag-info.txt`` filled from the content.
``bagit`` dates a bag today; here the Bagging-Date is the edition date, so the same content
gives the same bag on any day. The tar file lists the bag's files in order, each with the
edition date as its time, owner 0 and fixed permissions: it is byte-identical from build to
build.
"""
from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element, SubElement, register_namespace, tostring

import bagit

from ..languages import LANGUAGES, SOURCE_LANGUAGE
from ..model import plain_text
from ..problems import Problem
from ..render import FORMATS, VARIANTS, edition_keys
from ..render.archival import XML_LANG, dublin_core
from ..render.context import RenderInput
from . import MANIFEST

DEPOSIT = "deposit"
EDITIONS = "data/editions"
SOURCE = "data/source/content"
METADATA = "metadata"
ALGORITHMS = ["sha256", "sha512"]
BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
register_namespace("oai_dc", OAI_DC)
DC_ORDER = ("title", "creator", "contributor", "publisher", "description", "date", "language",
            "identifier", "source", "relation", "rights")
SKIPPED = {"__pycache__", ".DS_Store"}


@dataclass
class Deposit:
    bag: Path
    packed: Path


def expected_editions() -> set[tuple[str, str, str]]:
    return set(edition_keys(LANGUAGES, FORMATS, VARIANTS))


def edition_problems(output: Path) -> list[Problem]:
    """Whether ``output`` holds every edition of every language and variant, each as its
    manifest records it: a deposit is made of a complete, current build."""
    path = output / MANIFEST
    if not path.is_file():
        return [Problem("BAG-005", path, None, "no manifest of the editions",
                        "build every edition first: `build.py`")]
    editions = json.loads(path.read_text(encoding="utf-8"))["editions"]
    problems = []
    missing = expected_editions() - {(e["lang"], e["format"], e["variant"]) for e in editions}
    for lang, fmt, variant in sorted(missing):
        problems.append(Problem("BAG-005", path, None, f"the {lang} {fmt} {variant} edition is not built",
                                "build every edition first: `build.py`"))
    for edition in editions:
        for record in edition["files"]:
            file = output / record["path"]
            if not file.is_file():
                problems.append(Problem("BAG-002", file, None, "listed in the manifest but missing",
                                        "build every edition again: `build.py`"))
            elif hashlib.sha256(file.read_bytes()).hexdigest() != record["sha256"]:
                problems.append(Problem("BAG-001", file, None, "differs from the manifest's SHA-256",
                                        "build every edition again: `build.py`"))
    return problems


def dublin_core_record(source: RenderInput, editions: list[dict]) -> bytes:
    """One language's text and its editions as a Dublin Core record (OAI-DC)."""
    record = Element(f"{{{OAI_DC}}}dc")
    terms = dublin_core(source)
    terms["format"] = sorted({e["media_type"] for e in editions})
    terms["relation"] = terms["relation"] + [f"{EDITIONS}/{e['path']}" for e in editions]
    for name in DC_ORDER + ("format",):
        for value in terms.get(name, []):
            element = SubElement(record, f"{{{DC}}}{name}")
            element.text = value
            if name in ("title", "description", "rights"):
                element.set(XML_LANG, source.language.code)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(record, encoding="unicode").encode("utf-8") + b"\n"


def bag_info(sources: dict[str, RenderInput]) -> dict[str, str]:
    english = sources[SOURCE_LANGUAGE]
    meta = english.article.metadata
    plain = lambda inlines: plain_text(inlines, english.language.quotes)   # noqa: E731
    return {
        "Source-Organization": plain(meta.publisher),
        "External-Identifier": meta.identifier,
        "External-Description": f"{plain(meta.headline)}: every edition (PDF, printed booklet, "
                                f"archival PDF/A-3u, EPUB, HTML) in {', '.join(LANGUAGES)}, "
                                f"with the source they were made from.",
        "Bagging-Date": english.build_time.strftime("%Y-%m-%d"),
        "Bag-Group-Identifier": meta.identifier,
    }


def _copy_tree(source: Path, target: Path) -> None:
    for path in sorted(source.rglob("*")):
        if path.is_file() and not SKIPPED & set(path.relative_to(source).parts) \
                and not any(part.startswith(".") for part in path.relative_to(source).parts):
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)


def _sort_lines(path: Path) -> None:
    """``bagit`` lists the tag files in the order the file system gives them, which differs
    from one folder to another; sorted, the tag manifests are the same in every build."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(sorted(lines)), encoding="utf-8")


def pack(bag: Path, target: Path, moment: int) -> None:
    """The bag as one tar file: its files in order, each dated ``moment``, owned by no one."""
    entries = sorted([bag, *bag.rglob("*")], key=lambda p: p.relative_to(bag.parent).as_posix())
    with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as archive:
        for path in entries:
            info = tarfile.TarInfo(path.relative_to(bag.parent).as_posix())
            info.mtime = moment
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            if path.is_dir():
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                archive.addfile(info)
            else:
                data = path.read_bytes()
                info.size, info.mode = len(data), 0o644
                archive.addfile(info, io.BytesIO(data))


BUILD_INPUTS = "inputs"


def bag_name(identifier: str) -> str:
    """The article's identifier as a folder and file name (an identifier may be a URL)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", identifier).strip("-.") or DEPOSIT


def make_deposit(project, output: Path, sources: dict[str, RenderInput]) -> Deposit:
    """Make ``output/deposit/<name>/`` (the bag) and ``<name>.tar`` (the bag packed), named
    after the article's identifier, from the editions in ``output`` and the content folder.
    The previous deposit is replaced only once the new one is complete."""
    english = sources[SOURCE_LANGUAGE]
    name = bag_name(english.article.metadata.identifier)
    work = output / f".{DEPOSIT}.part"
    shutil.rmtree(work, ignore_errors=True)
    bag = work / name
    editions = json.loads((output / MANIFEST).read_text(encoding="utf-8"))["editions"]
    for edition in editions:
        for record in edition["files"]:
            target = bag / "editions" / record["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(output / record["path"], target)
    # The manifest without the build's own record of its inputs (code, Python, options): that
    # is the build folder's cache, and would make the deposit differ from one machine to another.
    deposited = {"editions": [{k: v for k, v in e.items() if k != BUILD_INPUTS} for e in editions]}
    (bag / "editions" / MANIFEST).write_text(json.dumps(deposited, ensure_ascii=False, indent=2) + "\n",
                                            encoding="utf-8")
    _copy_tree(project.content, bag / "source" / "content")
    logging.getLogger("bagit").setLevel(logging.WARNING)
    made = bagit.make_bag(str(bag), bag_info(sources), processes=1, checksums=ALGORITHMS)
    (bag / "bagit.txt").write_text(BAGIT_TXT, encoding="utf-8")
    (bag / METADATA).mkdir()
    for lang, source in sources.items():
        own = [e for e in editions if e["lang"] == lang]
        (bag / METADATA / f"dc-{lang}.xml").write_bytes(dublin_core_record(source, own))
    made.save()   # the tag manifests again, now with bagit.txt and metadata/
    for tag_manifest in sorted(bag.glob("tagmanifest-*.txt")):
        _sort_lines(tag_manifest)
    moment = int(english.build_time.timestamp())
    pack(bag, work / f"{name}.tar", moment)
    final = output / DEPOSIT
    shutil.rmtree(final, ignore_errors=True)
    work.rename(final)
    return Deposit(final / name, final / f"{name}.tar")
