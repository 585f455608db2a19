"""The output folder: one build writes to it at a time, and one that cannot be written is a
message, not a traceback."""
from __future__ import annotations

from publisher.languages import LANGUAGES
from publisher.pipeline import build
from publisher.write import output_folder

# What the output folder holds is not the point: each language's PDF, quick to build (a web
# page would bring the booklet and the EPUB it carries).
FORMATS_BUILT = ["pdf"]
VARIANTS_BUILT = ["standard"]


def test_a_second_build_into_the_same_folder_is_refused(project, tmp_path):
    output = tmp_path / "output"
    with output_folder(output):   # a build in progress
        report = build(project, list(LANGUAGES), FORMATS_BUILT, output, variants=VARIANTS_BUILT, jobs=1)
    assert [str(p) for p in report.problems] == [
        f"{output}: WRITE-001 another build is writing to this folder — wait for it to finish, or "
        "build into another folder with --output"]
    assert report.written == [] and report.rendered == []
    assert sorted(p.name for p in output.iterdir()) == [".build.lock"]
    report = build(project, list(LANGUAGES), FORMATS_BUILT, output, variants=VARIANTS_BUILT, jobs=1)   # once it is over
    assert not report.problems and report.written


def test_an_output_that_is_not_a_folder_is_one_message(project, tmp_path):
    output = tmp_path / "output"
    output.write_text("a file where the editions should go", encoding="utf-8")
    report = build(project, list(LANGUAGES), FORMATS_BUILT, output, variants=VARIANTS_BUILT, jobs=1)
    [problem] = report.problems
    assert problem.code == "WRITE-002" and str(output) in str(problem)
    assert output.read_text(encoding="utf-8") == "a file where the editions should go"
