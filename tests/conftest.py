"""Shared fixtures.

The pipeline's tests run on the sample article in tests/sample/content/ (`project`, `built`,
`rebuilt`, `articles`, `glossary`, `project_copy`). The tests of the content being published run on the
folder chosen with `--content DIR` or the CONTENT environment variable (`make test
CONTENT=DIR`), content/ by default (`content_project`, `content_built`, `content_articles`,
`content_glossary`). Every edition is built once per test session.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from publisher.languages import LANGUAGES, SOURCE_LANGUAGE
from publisher.load import load_article
from publisher.load.glossary import load_glossary
from publisher.load.metadata import inherit_source_metadata
from publisher.pipeline import BuildReport, build, load_and_check
from publisher.render import FORMATS
from publisher.render.context import Project

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "sample" / "content"


def pytest_addoption(parser):
    parser.addoption("--save-golden", action="store_true",
                     help="rewrite the expected outputs of the fixture tests from what they print now")
    parser.addoption("--content", default=os.environ.get("CONTENT") or str(ROOT / "content"),
                     help="the content folder whose article the content tests check "
                          "(default: $CONTENT, else content/)")


def _built(project: Project, output: Path, messages: list[str] | None = None) -> Path:
    """Every edition, rendered two at a time (test_incremental compares a serial build)."""
    report = build(project, list(LANGUAGES), list(FORMATS), output, jobs=2,
                   progress=(messages if messages is not None else []).append)
    assert not report.problems, "\n".join(map(str, report.problems))
    return output


def _articles(project: Project) -> dict:
    """Every language's article as the pipeline renders it (translations take what they leave
    out of their metadata from the English)."""
    loaded = {}
    for lang in sorted(LANGUAGES, key=lambda code: code != SOURCE_LANGUAGE):
        article, problems = load_article(project.content, lang, SOURCE_LANGUAGE)
        assert article is not None, "\n".join(map(str, problems))
        if lang != SOURCE_LANGUAGE:
            article = replace(article, metadata=inherit_source_metadata(
                article.metadata, loaded[SOURCE_LANGUAGE].metadata))
        loaded[lang] = article
    return loaded


def _checked(project: Project):
    """Every language loaded and checked as a build does it: (languages fit to render, report)."""
    report = BuildReport()
    ready = load_and_check(project, list(LANGUAGES), report)
    assert not report.failed, "\n".join(map(str, report.problems))
    return ready, report


def _glossary(project: Project):
    problems = []
    loaded = load_glossary(project.content / "glossary.yaml", tuple(LANGUAGES), problems)
    assert loaded is not None, "\n".join(map(str, problems))
    return loaded


# The sample article: what the pipeline's tests run on -----------------------------------

@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT, content_dir=SAMPLE)


@pytest.fixture(scope="session")
def built_messages() -> list[str]:
    """The progress messages of the build of ``built``."""
    return []


@pytest.fixture(scope="session")
def built(tmp_path_factory, project, built_messages) -> Path:
    """All editions of the sample article in every language, built once."""
    return _built(project, tmp_path_factory.mktemp("output"), built_messages)


@dataclass(frozen=True)
class Rebuilt:
    project: Project          # the copy of the project, elsewhere
    report: BuildReport
    messages: list[str]       # its progress messages


@pytest.fixture(scope="session")
def rebuilt(tmp_path_factory) -> Rebuilt:
    """All editions of the sample built again, one after another in this process (``built``
    renders two at a time), from a copy of the project in another folder (no .git) and from
    another working directory, SOURCE_DATE_EPOCH unset: what the tests of reproducible editions
    compare with ``built``. Nothing may be written into its output folder."""
    place = tmp_path_factory.mktemp("elsewhere")
    root = place / "project"
    shutil.copytree(SAMPLE, root / "content")
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / "fonts").symlink_to(ROOT / "fonts")
    shutil.copy(ROOT / "requirements.txt", root / "requirements.txt")
    project = Project(root)
    messages: list[str] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(place)
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        report = build(project, list(LANGUAGES), list(FORMATS), project.output, progress=messages.append,
                       jobs=1)
    assert not report.problems, "\n".join(map(str, report.problems))
    return Rebuilt(project, report, messages)


@pytest.fixture(scope="session")
def articles(project):
    return _articles(project)


@pytest.fixture(scope="session")
def glossary(project):
    return _glossary(project)


@pytest.fixture(scope="session")
def checked(project):
    """Every language of the sample loaded and checked, as a build does it."""
    return _checked(project)


@pytest.fixture
def project_copy(tmp_path, monkeypatch) -> Path:
    """A project whose content/ is a copy of the sample article, to break on purpose
    (templates copied, fonts linked).

    The working directory is the copy, so messages show paths as a person would type them.
    """
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(SAMPLE, root / "content")
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / "fonts").symlink_to(ROOT / "fonts")
    monkeypatch.chdir(root)
    return root


# The content being published: content/ or the folder chosen with --content ---------------

@pytest.fixture(scope="session")
def content_project(request) -> Project:
    folder = Path(request.config.getoption("--content")).resolve()
    assert (folder / SOURCE_LANGUAGE).is_dir(), f"{folder} holds no article"
    return Project(ROOT, content_dir=folder)


@pytest.fixture(scope="session")
def content_built(tmp_path_factory, content_project) -> Path:
    """All editions of the content's article in every language, built once."""
    return _built(content_project, tmp_path_factory.mktemp("content-output"))


@pytest.fixture(scope="session")
def content_articles(content_project):
    return _articles(content_project)


@pytest.fixture(scope="session")
def content_checked(content_project):
    return _checked(content_project)


@pytest.fixture(scope="session")
def content_glossary(content_project):
    return _glossary(content_project)
