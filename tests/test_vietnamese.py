"""Vietnamese: one tone-placement style, diacritics intact in the editions."""
from __future__ import annotations

import pytest

from publisher.check import article_texts
from publisher.languages import LANGUAGES
from publisher.model import Where

VIETNAMESE = LANGUAGES["vi"].script


def test_sample_uses_the_traditional_tone_placement(articles):
    problems = [p for text, where in article_texts(articles["vi"])
                for p in VIETNAMESE.text_problems(text, where)]
    assert problems == []


@pytest.mark.parametrize("word, wanted", [("hoà", "hòa"), ("khoẻ", "khỏe"), ("thuỷ", "thủy"),
                                          ("Quân uỷ", "ủy"), ("Toà", "Tòa")])
def test_newer_tone_placement_is_reported(word, wanted):
    [problem] = VIETNAMESE.text_problems(f"vì {word} bình", Where("content/vi/x.md", 3))
    assert problem.code == "VIET-001"
    assert problem.hint.startswith(f"write {wanted!r}")


@pytest.mark.parametrize("text", ["hoàn thành", "quý báu", "khoản", "thuyền", "hòa bình"])
def test_words_that_are_the_same_in_both_styles_pass(text):
    assert VIETNAMESE.text_problems(text, Where("content/vi/x.md", 3)) == []
