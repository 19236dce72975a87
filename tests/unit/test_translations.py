"""Every visible string has Arabic, and the .ts knows every string the code shows."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "translations" / "ar.ts"
LAYERS = ("core", "storage", "sync", "ui")  # every package whose words can reach a screen, at any depth


def messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    out = {}
    for context in ET.parse(path).getroot().findall("context"):
        name = context.findtext("name") or ""
        for message in context.findall("message"):
            out[(name, message.findtext("source") or "")] = message
    return out


def test_every_message_has_a_finished_arabic_translation() -> None:
    unfinished = [
        key
        for key, message in messages(TS).items()
        if (t := message.find("translation")) is not None
        and (t.get("type") in ("unfinished", "obsolete", "vanished") or not ("".join(t.itertext())).strip())
    ]
    assert unfinished == []


def test_ts_is_up_to_date_with_the_code(tmp_path: Path) -> None:
    copy = tmp_path / "ar.ts"
    shutil.copy(TS, copy)
    sources = [str(ROOT / "main.py")]
    for layer in LAYERS:
        sources += sorted(str(p) for p in (ROOT / layer).rglob("*.py"))
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    subprocess.run(
        [str(lupdate), "-no-obsolete", "-locations", "none", *sources, "-ts", str(copy)],
        check=True,
        capture_output=True,
    )
    missing = set(messages(copy)) - set(messages(TS))
    assert missing == set(), "run scripts/update-translations.sh and translate the new strings"


def test_placeholders_survive_translation() -> None:

    for (_ctx, source), message in messages(TS).items():
        translation = "".join(message.find("translation").itertext())  # type: ignore[union-attr]
        for placeholder in set(re.findall(r"\{\w+\}|%\d", source)):
            assert placeholder in translation, (source, placeholder)


GLOSSARY = ROOT / "translations" / "GLOSSARY.md"
_MARKS = re.compile("[\u064b-\u0652\u0640]")  # short vowels, shadda, sukun, tatweel


def plain_arabic(text: str) -> str:
    return _MARKS.sub("", text)


def glossary() -> list[tuple[str, re.Pattern[str], list[str], list[str]]]:
    """(English term, its forms as one whole-word pattern, Arabic forms one of which must appear, forbidden)."""
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 5 or cells[0] in ("English", "") or set(cells[0]) <= set("-"):
            continue
        forms = [f.strip() for f in cells[0].split(",")]
        pattern = re.compile(r"\b(" + "|".join(re.escape(f).replace(r"\ ", r"[\s-]") for f in forms) + r")\b", re.I)
        must = [plain_arabic(w.strip()) for w in cells[2].split(" / ") if w.strip()]
        never = [plain_arabic(w.strip()) for w in cells[3].split(" / ") if w.strip()]
        rows.append((forms[0], pattern, must, never))
    return rows


def arabic_of(message: ET.Element) -> str:
    translation = message.find("translation")
    assert translation is not None
    forms = translation.findall("numerusform")
    return plain_arabic(" ".join(f.text or "" for f in forms) if forms else "".join(translation.itertext()))


def test_glossary_is_read() -> None:
    terms = {term for term, *_ in glossary()}
    assert {"redeem", "refund", "return", "sale", "gift card", "point", "tier", "balance", "top up"} <= terms


def test_arabic_follows_the_glossary() -> None:
    terms = glossary()
    wrong = []
    for (context, source), message in messages(TS).items():
        arabic = arabic_of(message)
        english = re.sub(r"\{\w+\}|%\d|%n", " ", source)  # a placeholder named {balance} is not the word
        found = [row for row in terms if row[1].search(english)]
        # A sentence naming two terms ("VIP segment or Diamond tier") holds both words legitimately.
        named = [w for _t, _p, must, _n in found for w in must]
        for term, _pattern, must, never in found:
            if must and not any(w in arabic for w in must):
                wrong.append(f"{context}: {source!r} -> {arabic!r}: {term!r} should read one of {must}")
            for w in never:
                if w in arabic and not any(w in m or m in w for m in named):
                    wrong.append(f"{context}: {source!r} -> {arabic!r}: {term!r} must not read {w!r}")
    assert wrong == [], "\n".join(wrong)


def test_the_glossary_check_catches_a_wrong_word() -> None:
    (_term, pattern, must, never) = next(row for row in glossary() if row[0] == "redeem")
    assert pattern.search("Find and redeem (F2)") and pattern.search("Redemptions taken offline")
    assert "استرداد" in never and not any(w in plain_arabic("البحث والاسترداد") for w in must)


EN_TS = ROOT / "translations" / "en.ts"


def test_english_has_both_plural_forms_of_every_counted_message(tmp_path: Path) -> None:
    copy = tmp_path / "en.ts"
    shutil.copy(EN_TS, copy)
    sources = [str(ROOT / "main.py")]
    for layer in LAYERS:
        sources += sorted(str(p) for p in (ROOT / layer).rglob("*.py"))
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    subprocess.run(
        [str(lupdate), "-no-obsolete", "-locations", "none", "-pluralonly", *sources, "-ts", str(copy)],
        check=True,
        capture_output=True,
    )
    assert set(messages(copy)) == set(messages(EN_TS)), "run scripts/update-translations.sh"
    for key, message in messages(EN_TS).items():
        forms = [f.text or "" for f in message.iter("numerusform")]
        assert message.get("numerus") == "yes" and len(forms) == 2 and all(forms), key
        assert "(s)" not in "".join(forms) and forms[0] != forms[1], key
    for key, message in messages(TS).items():
        if message.get("numerus") == "yes":
            forms = [f.text or "" for f in message.iter("numerusform")]
            assert len(forms) == 6 and all(f.strip() for f in forms), key
