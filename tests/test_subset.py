"""Fonts subset to a text keep every glyph the text shapes to, split vowels included."""
from __future__ import annotations

import io

import pytest
from fontTools.ttLib import TTFont

from publisher.render import subset

SPLIT_VOWELS = "ើឿៀោៅ"


@pytest.fixture(scope="module")
def khmer_font(project):
    return (project.fonts / "NotoSerifKhmer-Regular.ttf").read_bytes()


def test_split_vowels_survive_subsetting(khmer_font):
    text = " ".join("ក" + vowel for vowel in SPLIT_VOWELS)
    small = subset.subset_font(khmer_font, text)
    assert len(small) < len(khmer_font) / 5
    assert subset.shaping_differences(khmer_font, small, text) == []


def test_the_proof_sees_a_subset_that_lost_the_left_part_of_a_split_vowel(khmer_font, monkeypatch):
    text = "ក" + SPLIT_VOWELS[0]
    monkeypatch.setattr(subset, "shaped_glyphs", lambda data, text: set())   # text-driven only
    small = subset.subset_font(khmer_font, text)
    assert subset.shaping_differences(khmer_font, small, text) != []


def test_woff2_subset_is_smaller_and_the_same_bytes_every_time(khmer_font):
    text = "កើត"
    small = subset.subset_font(khmer_font, text, "woff2")
    assert small[:4] == b"wOF2" and small == subset.subset_font(khmer_font, text, "woff2")
    assert TTFont(io.BytesIO(small)).flavor == "woff2"
    with pytest.raises(ValueError, match="unknown font flavor"):
        subset.subset_font(khmer_font, text, "otf")
