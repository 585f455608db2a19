"""Shared fixtures: every edition is built once per test session."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from publisher.languages import LANGUAGES, SOURCE_LANGUAGE
from publisher.load import load_article
from publisher.load.glossary import load_glossary
from publisher.pipeline import build
from publisher.render import FORMATS
from publisher.render.context import Project

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT)


@pytest.fixture(scope="session")
def built(tmp_path_factory, project) -> Path:
    """All editions of every language, built once into a temporary output folder."""
    output = tmp_path_factory.mktemp("output")
    report = build(project, list(LANGUAGES), list(FORMATS), output)
    assert not report.problems, "\n".join(map(str, report.problems))
    return output


@pytest.fixture(scope="session")
def articles(project):
    loaded = {}
    for lang in LANGUAGES:
        article, problems = load_article(project.content, lang, SOURCE_LANGUAGE)
        assert article is not None, "\n".join(map(str, problems))
        loaded[lang] = article
    return loaded


@pytest.fixture(scope="session")
def glossary(project):
    problems = []
    loaded = load_glossary(project.content / "glossary.yaml", tuple(LANGUAGES), problems)
    assert loaded is not None, "\n".join(map(str, problems))
    return loaded


@pytest.fixture
def project_copy(tmp_path, monkeypatch) -> Path:
    """A copy of the project's content and templates (fonts linked) to break on purpose.

    The working directory is the copy, so messages show paths as a person would type them.
    """
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / "fonts").symlink_to(ROOT / "fonts")
    monkeypatch.chdir(root)
    return root



def pytest_addoption(parser):
    parser.addoption("--save-golden", action="store_true",
                     help="rewrite the expected outputs of the fixture tests from what they print now")
