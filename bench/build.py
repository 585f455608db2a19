"""How long builds take, as ratios measured in one run: run with ``make bench``.

Every figure is the median of ``--rounds`` runs (default 3); within a round the builds being
compared run one after the other, so that a busy machine slows both sides of a ratio alike.
Every build runs in a copy of the project in a temporary folder (code, templates, content;
fonts linked), never in this checkout.

- cold: every standard edition (PDF, EPUB, HTML in each language) into an empty folder, beside
  the plain chain a user would script (``bench/plain_chain.sh``) and the WeasyPrint floor —
  the same PDF pages laid out by WeasyPrint alone, in as many processes as the build uses;
  then the same for every edition (booklet, print and imposed files too);
- no-op: the same build again, nothing changed;
- one Vietnamese paragraph changed, and one stylesheet changed;
- the same on a synthetic article ten times as long (each section repeated with new ids in
  every language, so it stays aligned), with the peak memory of the build's processes.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
COPIED = ("build.py", "requirements.txt", "publisher", "templates")
STANDARD = ["--variant", "standard"]

TARGETS = {
    "cold / plain chain": 0.6, "cold / WeasyPrint floor": 1.3, "cold, all editions / floor": 1.3,
    "no-op / cold": 0.02, "one vi paragraph / cold": 0.4, "template change / cold": None,
    "10× cold / 1× cold": 8.0, "10× no-op / 10× cold": 0.02, "10× one vi paragraph / 10× cold": 0.4,
    "10× template change / 10× cold": None,
}


def make_project(where: Path, content: Path, scale: int = 1) -> Path:
    """A copy of the project with ``content``, its sections repeated ``scale`` times."""
    where.mkdir(parents=True)
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, where / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, where / name)
    (where / "fonts").symlink_to(ROOT / "fonts")
    shutil.copytree(content, where / "content")
    if scale > 1:
        for lang_folder in (p for p in (where / "content").iterdir() if (p / "article.yaml").is_file()):
            sections = sorted(lang_folder.glob("*.md"))
            for copy in range(1, scale):
                for number, section in enumerate(sections):
                    text = renamed_ids(section.read_text(encoding="utf-8"), f"r{copy}")
                    (lang_folder / f"{copy:02d}{number:02d}-{section.name}").write_text(text, encoding="utf-8")
            for number, section in enumerate(sections):   # the closing section stays last
                first = "99" if number == len(sections) - 1 else "00"
                section.rename(lang_folder / f"{first}{number:02d}-{section.name}")
    return where


def renamed_ids(markdown: str, suffix: str) -> str:
    """A section with every id (section, headings, figures, gaps) given ``suffix``."""
    markdown = re.sub(r"^id: *(\S+)", lambda m: f"id: {m.group(1)}-{suffix}", markdown, count=1, flags=re.M)
    return re.sub(r"\{[^}\n]*\}", lambda m: re.sub(r"#([\w-]+)", rf"#\1-{suffix}", m.group()), markdown)


def vietnamese_paragraph_changed(project: Path, round_: int) -> None:
    """One word more (or less) in the last paragraph of the last Vietnamese section."""
    section = sorted((project / "content" / "vi").glob("*.md"))[-1]
    text = section.read_text(encoding="utf-8")
    paragraph = [p for p in text.split("\n\n") if p.strip() and p[0].isalpha()][-1]
    word = paragraph.split()[0]
    changed = paragraph[len(word) + 1:] if round_ % 2 else f"{word} {paragraph}"
    section.write_text(text.replace(paragraph, changed), encoding="utf-8")


def stylesheet_changed(project: Path, round_: int) -> None:
    sheet = project / "templates" / "styles" / "article.css"
    sheet.write_text(sheet.read_text(encoding="utf-8") + f"\n/* round {round_} */\n", encoding="utf-8")


class PeakMemory:
    """The largest total memory (proportional set size) of a process and its descendants,
    sampled every 50 ms."""

    def __init__(self, pid: int):
        self.pid, self.peak, self.running = pid, 0, True
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()

    def sample(self):
        while self.running:
            parents = {}
            for entry in os.listdir("/proc"):
                if entry.isdigit():
                    try:
                        with open(f"/proc/{entry}/stat") as stat:
                            parents[int(entry)] = int(stat.read().rsplit(")", 1)[1].split()[1])
                    except (OSError, IndexError, ValueError):
                        pass
            tree, grown = {self.pid}, True
            while grown:
                more = {pid for pid, parent in parents.items() if parent in tree} - tree
                grown = bool(more)
                tree |= more
            total = 0
            for pid in tree:   # proportional set size: pages shared after fork counted once
                try:
                    with open(f"/proc/{pid}/smaps_rollup") as rollup:
                        total += next(int(line.split()[1]) * 1024 for line in rollup
                                      if line.startswith("Pss:"))
                except (OSError, ValueError, StopIteration):
                    pass
            self.peak = max(self.peak, total)
            time.sleep(0.05)

    def stop(self) -> int:
        self.running = False
        self.thread.join()
        return self.peak


def timed(command: list[str], cwd: Path) -> tuple[float, int, str]:
    """Seconds, peak memory (bytes) and what the command printed."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    memory = PeakMemory(process.pid)
    printed, _ = process.communicate()
    seconds = time.perf_counter() - started
    peak = memory.stop()
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{printed}")
    return seconds, peak, printed


def build(project: Path, output: Path, *options: str) -> tuple[float, int, str]:
    return timed([PYTHON, "build.py", "--content", "content", "--output", str(output), *options],
                 project)


def rebuilt(printed: str) -> str:
    """The editions a build's progress lines name."""
    found = re.findall(r"^\[\d+/\d+\] (\S+ \S+ \S+) →", printed, re.M)
    return ", ".join(found) or "none"


def floor_pages(project: Path, folder: Path, variants: list[str]) -> None:
    """The print pages of the PDF editions, as the pipeline hands them to WeasyPrint."""
    script = f"""
import sys
sys.path.insert(0, {str(project)!r})
from pathlib import Path
from publisher.languages import LANGUAGES
from publisher.pipeline import BuildReport, load_and_check, render_input
from publisher.project import Project
from publisher.render import edition_unit
project = Project(Path({str(project)!r}))
report = BuildReport()
articles = load_and_check(project, list(LANGUAGES), report)
for lang in LANGUAGES:
    source = render_input(project, *articles[lang])
    for variant in {variants!r}:
        page = edition_unit(("pdf", variant)).page_html(source)
        Path({str(folder)!r}, f"{{lang}}-{{variant}}.html").write_text(page, encoding="utf-8")
"""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([PYTHON, "-c", script], check=True)


FLOOR = """
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

def warm():
    import weasyprint  # noqa: F401

def lay_out(page):
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration
    html = weasyprint.HTML(string=Path(page).read_text(encoding="utf-8"), base_url=sys.argv[2])
    html.write_pdf(Path(page).with_suffix(".pdf"), font_config=FontConfiguration())

if __name__ == "__main__":
    pages = sorted(str(p) for p in Path(sys.argv[1]).glob("*.html"))
    with ProcessPoolExecutor(int(sys.argv[3]), initializer=warm) as pool:
        list(pool.map(lay_out, pages))
"""


def floor(pages: Path, project: Path, jobs: int) -> tuple[float, int, str]:
    return timed([PYTHON, "-c", FLOOR, str(pages), str(project / "templates") + "/", str(jobs)], project)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--scale", type=int, default=10, help="how many times longer the synthetic article is")
    parser.add_argument("--scaled-rounds", type=int, default=None,
                        help="rounds of the longer article (default: --rounds)")
    parser.add_argument("--all-editions", action="store_true",
                        help="also time a cold build of every edition (booklets too) against "
                             "the WeasyPrint floor of all its PDFs")
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    args = parser.parse_args()
    jobs = os.cpu_count() or 1
    times: dict[str, list[float]] = {}
    memory: dict[str, int] = {}
    notes: dict[str, str] = {}

    def record(name: str, result: tuple[float, int, str]) -> str:
        times.setdefault(name, []).append(result[0])
        memory[name] = max(memory.get(name, 0), result[1])
        return result[2]

    with tempfile.TemporaryDirectory(prefix="bench-build-") as work:
        work = Path(work)
        one = make_project(work / "one", args.content.resolve())
        big = make_project(work / "big", args.content.resolve(), args.scale)
        floor_pages(one, work / "floor-standard", ["standard"])
        if args.all_editions:
            floor_pages(one, work / "floor-all", ["standard", "booklet", "print", "imposed"])
        for project in (one, big):
            build(project, work / f"warm-{project.name}", *STANDARD)
        for round_ in range(args.rounds):
            print(f"round {round_ + 1} of {args.rounds} …", file=sys.stderr)
            fresh = work / f"round-{round_}"
            record("plain chain", timed(["sh", str(ROOT / "bench" / "plain_chain.sh"), "content",
                                         str(fresh / "chain")], one))
            record("WeasyPrint floor", floor(work / "floor-standard", one, jobs))
            record("cold", build(one, fresh / "cold", *STANDARD))
            if args.all_editions:
                record("WeasyPrint floor, all PDFs", floor(work / "floor-all", one, jobs))
                record("cold, all editions", build(one, fresh / "all"))
            scaled = round_ < (args.scaled_rounds or args.rounds)
            for project, prefix in ((one, ""), (big, f"{args.scale}× ")) if scaled else ((one, ""),):
                warm = work / f"warm-{project.name}"
                if project is big:
                    record(f"{prefix}cold", build(project, fresh / "big", *STANDARD))
                record(f"{prefix}no-op", build(project, warm, *STANDARD))
                vietnamese_paragraph_changed(project, round_)
                notes[f"{prefix}one vi paragraph"] = rebuilt(
                    record(f"{prefix}one vi paragraph", build(project, warm, *STANDARD)))
                stylesheet_changed(project, round_)
                notes[f"{prefix}template change"] = rebuilt(
                    record(f"{prefix}template change", build(project, warm, *STANDARD)))
            shutil.rmtree(fresh)

    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"Builds on this machine ({jobs} cores, load average {os.getloadavg()[0]:.1f} at the end), "
          f"median of {args.rounds} rounds ({args.scale}×: {args.scaled_rounds or args.rounds}); "
          f"standard editions (PDF, EPUB, HTML × 3 languages) unless said")
    print(f"{'':34} {'seconds':>8} {'peak MB':>8}")
    for name, seconds in median.items():
        print(f"{name:34} {seconds:8.2f} {memory[name] / 2**20:8.0f}")
    print()
    s = args.scale
    ratios = {
        "cold / plain chain": median["cold"] / median["plain chain"],
        "cold / WeasyPrint floor": median["cold"] / median["WeasyPrint floor"],
        "no-op / cold": median["no-op"] / median["cold"],
        "one vi paragraph / cold": median["one vi paragraph"] / median["cold"],
        "template change / cold": median["template change"] / median["cold"],
        f"{s}× cold / 1× cold": median[f"{s}× cold"] / median["cold"],
        f"{s}× no-op / {s}× cold": median[f"{s}× no-op"] / median[f"{s}× cold"],
        f"{s}× one vi paragraph / {s}× cold": median[f"{s}× one vi paragraph"] / median[f"{s}× cold"],
        f"{s}× template change / {s}× cold": median[f"{s}× template change"] / median[f"{s}× cold"],
    }
    if args.all_editions:
        ratios["cold, all editions / floor"] = (median["cold, all editions"]
                                               / median["WeasyPrint floor, all PDFs"])
    print(f"{'ratio':40} {'measured':>8} {'target':>8}")
    for name, ratio in ratios.items():
        target = TARGETS.get(name.replace(f"{s}×", "10×"))
        print(f"{name:40} {ratio:8.3f} {'≤ ' + format(target, 'g') if target else '':>8}")
    print(f"{f'{s}× cold: peak memory (MB)':40} {memory[f'{s}× cold'] / 2**20:8.0f} {'< 500':>8}")
    print()
    for name, editions in notes.items():
        print(f"rebuilt after {name}: {editions}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
