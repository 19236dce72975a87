"""Sentiment of free text (core.feedback.sentiment): the labelled reviews keep their accuracy, and the edge cases
of English, Arabic and Gulf dialect — negation, boosters, emoji, mixed scripts, bad input — give what a reader
would say."""

from __future__ import annotations

import json
import threading
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.feedback import sentiment
from core.feedback.sentiment import MAX_CHARS, analyse, clean, language_of

REVIEWS = Path(__file__).resolve().parents[1] / "data" / "sentiment" / "reviews.jsonl"
ROWS = [json.loads(line) for line in REVIEWS.read_text(encoding="utf-8").splitlines() if line.strip()]

# Measured on 2026-12-03 (benchmarks/README.md has what each split is). Held out: "test", en 45/54 = 83.3 %,
# ar 48/54 = 88.9 %; "fresh2", en 12/20, ar 12/20. "fresh" (read once scored): en 23/30, ar 20/30. Whole set:
# en 129/159 = 81.1 %, ar 133/159 = 83.6 %. Each floor is two or three reviews below, so a lexicon change that
# loses a few more fails here.
FLOORS = {
    ("test", "en"): 0.79,
    ("test", "ar"): 0.85,
    ("fresh", "en"): 0.70,
    ("fresh", "ar"): 0.60,
    ("fresh2", "en"): 0.50,
    ("fresh2", "ar"): 0.50,
    ("all", "en"): 0.79,
    ("all", "ar"): 0.82,
}


def accuracy(split: str, language: str) -> float:
    rows = [r for r in ROWS if r["language"] == language and split in ("all", r["split"])]
    return sum(analyse(r["text"]).label == r["label"] for r in rows) / len(rows)


@pytest.mark.parametrize(("split", "language"), list(FLOORS))
def test_accuracy_stays_above_its_floor(split: str, language: str) -> None:
    assert accuracy(split, language) >= FLOORS[(split, language)]


def test_the_labelled_set_is_large_balanced_and_half_arabic() -> None:
    assert len(ROWS) >= 200
    assert len({r["text"] for r in ROWS}) == len(ROWS)
    by_language = Counter(r["language"] for r in ROWS)
    assert by_language["ar"] == by_language["en"]
    for language in ("ar", "en"):
        labels = Counter(r["label"] for r in ROWS if r["language"] == language)
        assert set(labels) == {"positive", "neutral", "negative"}
        assert all(abs(n - by_language[language] / 3) <= 3 for n in labels.values())
        splits = Counter(r["split"] for r in ROWS if r["language"] == language)
        assert abs(splits["test"] - splits["dev"]) <= 3 and splits["fresh"] >= 30 and splits["fresh2"] >= 20
    assert all(language_of(r["text"]) == r["language"] for r in ROWS)


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "\u202e\u2066", "12345", "... !!!"])
def test_nothing_to_read_is_neutral_with_score_zero(text: str) -> None:
    found = analyse(text)
    assert (found.label, found.score) == ("neutral", 0.0)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("good", "positive"),
        ("not good", "negative"),
        ("not bad at all", "positive"),
        ("I would not recommend it", "negative"),
        ("I'd like to know if you have it in 50 ml", "neutral"),
        ("زين", "positive"),
        ("مو زين", "negative"),
        ("مب زين", "negative"),
        ("مش حلو", "negative"),
        ("ما عجبني", "negative"),
        ("ماعجبني", "negative"),  # the negator written onto the verb
        ("ما يسوى", "negative"),
        ("ما قصروا", "positive"),  # "they did not fall short": praise
        ("وايد حلو", "positive"),
        ("خوش عطر", "positive"),
        ("يجنن", "positive"),
        ("يهبل", "positive"),
        ("حلووووو", "positive"),  # letters drawn out
        ("وعجبني", "positive"),  # found behind the و that joins it
        ("حبيتهم", "positive"),  # and before the pronoun on its end
        ("فكرة حلوة", "positive"),  # ف here is the word's own first letter, not "and"
        ("قبل ما أجي كانت الخدمة رائعة", "positive"),  # "before I came": this ما does not negate
        ("ما عندها صبر وتتأفف", "negative"),  # the negation ends where و joins a new clause
        ("الريحة حلوة بس تطير بسرعة", "negative"),  # after "but" counts more
        ("عطر عادي", "neutral"),
        ("وصل الطلب يوم الأحد", "neutral"),
    ],
)
def test_negation_dialect_and_clauses(text: str, label: str) -> None:
    assert analyse(text).label == label


def test_boosters_strengthen_and_negators_weaken() -> None:
    assert analyse("وايد حلو").score > analyse("حلو").score > analyse("شوي حلو").score > 0
    assert analyse("very good").score > analyse("good").score > 0
    assert -analyse("مو زين").score < analyse("زين").score  # a negated word keeps three quarters, turned round


@pytest.mark.parametrize(
    ("text", "label"),
    [("👍", "positive"), ("😡", "negative"), ("😍😍", "positive"), ("العطر 😡", "negative"), ("وصل 👎", "negative")],
)
def test_emoji_count_in_either_language(text: str, label: str) -> None:
    assert analyse(text).label == label


def test_repeating_an_emoji_counts_at_most_three_times() -> None:
    assert analyse("😍" * 3).score == analyse("😍" * 300).score > analyse("😍").score


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The oud is lovely", "en"),
        ("العود وايد حلو", "ar"),
        ("العطر perfect والتغليف بعد", "ar"),
        ("Loved the oud, شكراً", "en"),
        ("Ma 3ajabni", "en"),  # Arabizi is Latin letters
        ("😍", "en"),
    ],
)
def test_language_is_the_script_with_more_letters(text: str, language: str) -> None:
    assert analyse(text).language == language


def test_mixed_text_scores_both_scripts() -> None:
    assert analyse("the service كان سيء جداً").label == "negative"
    assert analyse("really nice العود ووايد ثابت").label == "positive"
    both = analyse("lovely ويجنن").score
    assert both > analyse("lovely").score and both > analyse("يجنن").score


def test_bidi_and_invisible_characters_are_dropped() -> None:
    plain = analyse("الموظف ما كان محترم")
    assert analyse("\u202eالموظف ما\u200b كان \u2067محترم\u2069") == plain
    assert "\u202e" not in clean("a\u202eb") and clean("a\u202eb") == "ab"
    assert clean("good\x00\x1bbad\u2028x") == "good  bad x"


def test_a_long_comment_is_read_up_to_the_limit_only() -> None:
    neutral_head = "وصل الطلب يوم الأحد " * (MAX_CHARS // 10)
    assert len(neutral_head) > MAX_CHARS
    assert analyse(neutral_head + "خايس مقرف " * 1000) == analyse(neutral_head)
    twenty_kb = ("The staff were rude. " * 1000)[:20_000]
    assert len(clean(twenty_kb)) == MAX_CHARS
    assert analyse(twenty_kb).label == "negative"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gets_a_bounded_consistent_answer(text: str) -> None:
    found = analyse(text)
    assert -1.0 <= found.score <= 1.0
    assert found.language in ("ar", "en")
    expected = "positive" if found.score >= 0.05 else "negative" if found.score <= -0.05 else "neutral"
    assert found.label == expected


def test_loaded_once_and_safe_from_many_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [r["text"] for r in ROWS]
    serial = [analyse(t) for t in texts]
    built = []
    real = sentiment._Analyser

    def counting() -> sentiment._Analyser:
        built.append(1)
        return real()

    monkeypatch.setattr(sentiment, "_loaded", None)
    monkeypatch.setattr(sentiment, "_Analyser", counting)
    results: dict[int, list[sentiment.Sentiment]] = {}
    start = threading.Barrier(6)

    def work(n: int) -> None:
        start.wait()
        results[n] = [analyse(t) for t in texts]

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(built) == 1
    assert all(results[n] == serial for n in range(6))
