"""Sentiment of a customer's free text, in English and Arabic (Gulf dialect included), offline.

``analyse(text)`` gives a ``Sentiment``: a label (positive, neutral or negative), a score in [-1, 1] (-1 most
negative, +1 most positive, 0 nothing either way) and the language by script ("ar" when the text has at least
as many Arabic letters as Latin ones, else "en").

English is VADER (vaderSentiment, MIT: a rule-based lexicon with negation, boosters, "but", capitals, "!" and
emoji), with a few words of the shop added (``lexicon_en.tsv``: "overpriced", "fades", "leaking"…). Arabic is
scored the same way with this package's own lexicon (``lexicon_ar.tsv``): words and phrases with a valence on
VADER's -4..+4 scale, found behind the attached clitics (و ف ب ل ال…), turned by a negator in the three words
before (ما مو مب مش لا ليس لم لن غير بدون…, or ما/مو written onto the word), strengthened by وايد جدا مرة
كثير, weakened by شوي, and the words before بس / لكن counted half and those after one and a half times, as VADER
does with "but". In a mixed text each script is scored by its own analyser and the sums are added before they
are squashed into [-1, 1] (VADER's ``x / sqrt(x² + 15)``). The emoji customers use most have a valence of their
own (``emoji.tsv``, whatever the language); any other emoji is read by VADER from its name.

The label is positive from ``POSITIVE_FROM`` up, negative from ``NEGATIVE_FROM`` down, neutral between.
Accuracy on the labelled reviews in tests/data/sentiment is in benchmarks/README.md, with what it gets wrong.

Bounded input: the text is NFC-normalised, its bidi controls and invisible characters dropped, control
characters turned to spaces, and only its first ``MAX_CHARS`` characters are read (a 20 kB comment costs what
a 2,000-character one does). Empty text is neutral with score 0 (language "en", as for a text of no letters).
The lexicons load once, on first use, under a lock; ``analyse`` keeps no state between calls and may be called
from any thread.
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import Literal

from core.kernel.text import fold_arabic

Label = Literal["positive", "neutral", "negative"]
Language = Literal["ar", "en"]

MAX_CHARS = 2000
POSITIVE_FROM = 0.05
NEGATIVE_FROM = -0.05

_ALPHA = 15.0  # VADER's normalisation constant
_NEGATION_SCALAR = -0.74  # VADER's: a negated word keeps three quarters of its strength, turned round
_BOOST = 0.293  # VADER's booster increment
_WINDOW = 3  # words before a sentiment word that a negator or booster reaches

_BIDI_OR_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u00ad\u200b-\u200d\u2060\ufeff]")
# Arabic words, and the punctuation that ends a clause (a negator's or booster's reach stops there).
_ARABIC_TOKEN = re.compile("[\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff\u0750-\u077f]+|[.!?؟،,;؛:\n]")
_CLAUSE_END = re.compile("[.!?؟،,;؛:\n]")
_STOP = "|"
_ARABIC_RUN = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]+")
_WOULD_LIKE = re.compile(r"\b(?:would|'d|’d)\s+like\b", re.IGNORECASE)
_REPEATS = re.compile(r"(.)\1{2,}")  # "حلووووو" is "حلو", said louder

_NEGATORS = frozenset(
    conjunction + fold_arabic(w)
    for w in ("ما", "مو", "مب", "مش", "موب", "مهب", "لا", "ليس", "ليست", "لم", "لن", "غير", "بدون", "مافي", "ماله")
    for conjunction in ("", "و", "ف")
)
# "قبل ما أجي" (before I come), "مثل ما قالوا" (as they said): this ما does not negate.
_MA_NOT_NEGATING = frozenset(
    fold_arabic(w) for w in ("قبل", "بعد", "لين", "لما", "مثل", "كل", "اول", "يوم", "عقب", "زي")
)
_ATTACHED_NEGATORS = ("ما", "مو", "مب")  # "ماعجبني", "مويسوى" written as one word
_BOOSTERS = {fold_arabic(w): _BOOST for w in ("وايد", "واجد", "جدا", "مره", "كثير", "حيل", "بقوه", "اكثر")}
_BOOSTERS.update({fold_arabic(w): -_BOOST for w in ("شوي", "شويه", "نوعا", "تقريبا", "قليلا")})
_BUT = frozenset(fold_arabic(w) for w in ("بس", "لكن", "ولكن", "بينما", "الا"))
_PREFIXES = ("وال", "فال", "بال", "كال", "بهال", "هال", "لل", "ال", "و", "ف", "ب", "ل", "ك")
_SUFFIXES = ("هم", "ها", "كم", "نا", "ني", "ه", "ي", "ك")


@dataclass(frozen=True, slots=True)
class Sentiment:
    label: Label
    score: float  # -1 (most negative) .. +1 (most positive)
    language: Language


NEUTRAL_EN = Sentiment("neutral", 0.0, "en")


def clean(text: str) -> str:
    """The part of ``text`` that is scored: NFC, no bidi or invisible characters, controls as spaces, at most
    ``MAX_CHARS`` characters."""
    head = unicodedata.normalize("NFC", text[: MAX_CHARS * 2])
    head = _BIDI_OR_INVISIBLE.sub("", head)
    head = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in head)
    return head[:MAX_CHARS].strip()


def language_of(text: str) -> Language:
    arabic = latin = 0
    for c in text:
        if c.isalpha():
            if "\u0600" <= c <= "\u08ff" or "\ufb50" <= c <= "\ufeff":
                arabic += 1
            elif c.isascii() or "\u00c0" <= c <= "\u024f":
                latin += 1
    return "ar" if arabic and arabic >= latin else "en"


def analyse(text: str) -> Sentiment:
    """The sentiment of one free text (see the module's documentation)."""
    body = clean(text)
    if not body:
        return NEUTRAL_EN
    language = language_of(body)
    analyser = _analyser()
    total, body = analyser.emoji_sum(body)
    total += analyser.arabic_sum(body) if language == "ar" or _ARABIC_RUN.search(body) else 0.0
    rest = _ARABIC_RUN.sub(" ", body).strip()
    if rest:
        total += analyser.english_sum(rest)
    score = round(_squash(total), 4)
    label: Label = "positive" if score >= POSITIVE_FROM else "negative" if score <= NEGATIVE_FROM else "neutral"
    return Sentiment(label, score, language)


def _squash(total: float) -> float:
    if total == 0:
        return 0.0
    return max(-1.0, min(1.0, total / math.sqrt(total * total + _ALPHA)))


def _unsquash(compound: float) -> float:
    """VADER's compound back to its sum of valences (the inverse of ``_squash``)."""
    c = max(-0.9999, min(0.9999, compound))
    return c * math.sqrt(_ALPHA / (1 - c * c))


class _Analyser:
    def __init__(self) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self._vader = SentimentIntensityAnalyzer()
        self._vader.lexicon.update(_read_lexicon("lexicon_en.tsv", fold=False))
        entries = _read_lexicon("lexicon_ar.tsv", fold=True)
        self._words = {k: v for k, v in entries.items() if " " not in k}
        self._phrases = {tuple(k.split()): v for k, v in entries.items() if " " in k}
        self._longest = max((len(p) for p in self._phrases), default=1)
        emoji = _read_lexicon("emoji.tsv", fold=False)
        self._emoji = sorted(emoji.items(), key=lambda item: -len(item[0]))  # "❤️" before "❤"

    def emoji_sum(self, text: str) -> tuple[float, str]:
        """The valence of the listed emoji (at most three of each count), and the text without them."""
        total = 0.0
        for emoji, valence in self._emoji:
            if emoji in text:
                total += valence * min(3, text.count(emoji))
                text = text.replace(emoji, " ")
        return total, text

    def english_sum(self, text: str) -> float:
        text = _WOULD_LIKE.sub("want", text)  # "I'd like to know…" asks; VADER reads "like" as liking
        return _unsquash(float(self._vader.polarity_scores(text)["compound"]))

    def arabic_sum(self, text: str) -> float:
        words = [_REPEATS.sub(r"\1", w) for w in _ARABIC_TOKEN.findall(fold_arabic(text))]
        words = [_STOP if _CLAUSE_END.fullmatch(w) else w for w in words]
        valences: list[float] = []
        consumed: set[int] = set()  # words of a phrase: neither a negator nor a booster of what follows
        but_at: int | None = None
        i = 0
        while i < len(words):
            phrase = self._phrase_at(words, i)
            if phrase is not None:
                length, valence = phrase
                valences.append(valence)
                valences.extend([0.0] * (length - 1))
                consumed.update(range(i, i + length))
                i += length
                continue
            if words[i] in _BUT:
                but_at = len(valences)
            valences.append(self._valence(words, i, consumed))
            i += 1
        if but_at is not None:
            valences = [v * 0.5 for v in valences[:but_at]] + [v * 1.5 for v in valences[but_at:]]
        return sum(valences)

    def _phrase_at(self, words: list[str], i: int) -> tuple[int, float] | None:
        for length in range(min(self._longest, len(words) - i), 1, -1):
            found = self._phrases.get(tuple(words[i : i + length]))
            if found is not None:
                return length, found
        return None

    def _valence(self, words: list[str], i: int, consumed: set[int]) -> float:
        word = words[i]
        valence = self._words.get(word)
        negated = False
        if valence is None:
            valence = self._lookup(word)
            for negator in _ATTACHED_NEGATORS:
                if valence is None and word.startswith(negator) and len(word) > len(negator) + 2:
                    valence = self._lookup(word[len(negator) :])
                    negated = valence is not None
            # "وتتأفف" after "ما عندها صبر": a word joined on by و starts a clause of its own
            if word.startswith("و") and not negated:
                return valence or 0.0
        if not valence:
            return 0.0
        for back in range(1, _WINDOW + 1):
            at = i - back
            if at < 0 or words[at] == _STOP or at in consumed:
                break
            before = words[at]
            boost = _BOOSTERS.get(before)
            if boost is not None:
                valence += math.copysign(1.0, valence) * boost * (1.0, 0.95, 0.9)[back - 1]
            if before in _NEGATORS and not (before == "ما" and at > 0 and words[at - 1] in _MA_NOT_NEGATING):
                negated = not negated
                break
        return valence * _NEGATION_SCALAR if negated else valence

    def _lookup(self, word: str) -> float | None:
        found = self._words.get(word)
        if found is not None or len(word) < 3:
            return found
        stems = [word]
        for prefix in _PREFIXES:
            # a one-letter ف ب ك ل before a three-letter word is more often its first letter ("فكرة" is not ف+كره)
            least = 4 if len(prefix) == 1 and prefix != "و" else 3 if len(prefix) == 1 else 2
            if word.startswith(prefix) and len(word) - len(prefix) >= least:
                stems.append(word[len(prefix) :])
                break
        for stem in list(stems):
            for suffix in _SUFFIXES:
                if stem.endswith(suffix) and len(stem) - len(suffix) >= 2:
                    stems.append(stem[: -len(suffix)])
        for stem in stems[1:]:
            found = self._words.get(stem)
            if found is not None:
                return found
        return None


def _read_lexicon(name: str, *, fold: bool) -> dict[str, float]:
    entries: dict[str, float] = {}
    text = resources.files("core.feedback").joinpath(name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, valence = line.split("\t")
        key = " ".join(fold_arabic(word).split()) if fold else word.strip().lower()
        entries[key] = float(valence)
    return entries


_lock = threading.Lock()
_loaded: _Analyser | None = None


def _analyser() -> _Analyser:
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                _loaded = _Analyser()
    return _loaded
