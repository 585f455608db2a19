"""The language table's rules: how each language keeps a number with its neighbouring words."""
import pytest

from publisher.languages import LANGUAGES

NBSP = "\u00a0"


@pytest.mark.parametrize("lang, text, kept, free", [
    # English: a capitalised word before a number (a month, a title, a name), any word after it
    ("en", "On June 5, 1962, Bridge 3 carried 40 trucks and No. 7 waited.",
     ["June 5", "Bridge 3", "40 trucks", "No. 7"], ["On June", "and No."]),
    # Vietnamese: the noun or classifier before a number, the unit after it
    ("vi", "Ngày 5 tháng 6 năm 1962, cầu số 3 chở 40 xe tải.",
     ["Ngày 5", "tháng 6", "năm 1962", "số 3", "40 xe"], ["cầu số", "xe tải"]),
    # …but a date is not one run: the noun of the next number is not the unit of the last
    ("vi", "từ ngày 30 tháng 4 năm 1975 đến nay", ["ngày 30", "tháng 4", "năm 1975"],
     ["30 tháng", "4 năm"]),
    ("en", "Bridge 3 carried 40 trucks on June 5", ["Bridge 3", "3 carried", "40 trucks", "June 5"],
     ["trucks on"]),
])
def test_numbers_stay_with_the_words_they_bind(lang, text, kept, free):
    joined = LANGUAGES[lang].join_spaces(text)
    for phrase in kept:
        assert phrase.replace(" ", NBSP) in joined, phrase
    for phrase in free:
        assert phrase.split(" ")[0] + " " in joined, phrase


def test_khmer_spaces_are_left_as_they_are():
    text = "នៅថ្ងៃទី៥ ខែមិថុនា ឆ្នាំ១៩៦២ ស្ពានលេខ ៣ បានដឹកឡាន ៤០ គ្រឿង។"
    assert LANGUAGES["km"].join_spaces(text) == text
