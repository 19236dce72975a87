"""Every visible string has Arabic, and the .ts knows every string the code shows."""

from __future__ import annotations

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
    import re

    for (_ctx, source), message in messages(TS).items():
        translation = "".join(message.find("translation").itertext())  # type: ignore[union-attr]
        for placeholder in set(re.findall(r"\{\w+\}|%\d", source)):
            assert placeholder in translation, (source, placeholder)
