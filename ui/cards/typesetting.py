"""Bilingual text for the card faces drawn with Pillow: fonts, script runs, Arabic shaping and bidi, wrapping.

Arabic is shaped by Pillow's raqm layout when libraqm is present; otherwise each Arabic run is reshaped with
arabic_reshaper and put in visual order with python-bidi. Neither bundled font covers both scripts, so text
is cut into runs by script, each run set in its own font, and the runs ordered for the paragraph direction.
The faces are bilingual by nature, so their amounts and dates are spelt here in both languages, not by Qt.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal, TypedDict

import arabic_reshaper
from babel.dates import format_date

# python-bidi's reference implementation: its Rust-backed top-level get_display does not mirror brackets.
from bidi.algorithm import get_display
from PIL import ImageDraw, ImageFont, features

from core.kernel.money import format_aed

RGB = tuple[int, int, int]

FONT_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"

_TO_ARABIC_DIGITS = str.maketrans("0123456789.,", "٠١٢٣٤٥٦٧٨٩٫٬")


def arabic_amount(fils: int) -> str:
    """12345 → '١٢٣٫٤٥ د.إ' (Arabic-Indic digits, Arabic decimal and group separators, dirham sign)."""
    return format_aed(fils, symbol="").strip().translate(_TO_ARABIC_DIGITS) + " د.إ"


def english_date(day: date) -> str:
    return format_date(day, "d MMM y", locale="en")


def arabic_date(day: date) -> str:
    return format_date(day, "d MMMM y", locale="ar").translate(_TO_ARABIC_DIGITS)


# --- text: script runs, shaping, bidi, wrapping -----------------------------------------------------------

_ARABIC_CHAR = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_ELLIPSIS = "…"
# Harakat (vowel marks) are part of how a name or a greeting is written: keep them.
_RESHAPER = arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False})


def has_arabic(text: str) -> bool:
    return bool(_ARABIC_CHAR.search(text))


@functools.lru_cache(maxsize=64)
def _font(name: str, size: int, raqm: bool) -> ImageFont.FreeTypeFont:
    engine = ImageFont.Layout.RAQM if raqm else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(FONT_DIR / name), max(size, 1), layout_engine=engine)


@functools.lru_cache(maxsize=8)
def _notdef(name: str) -> tuple[tuple[int, int], bytes]:
    mask = _font(name, 24, False).getmask("\U0010fffd")
    return mask.size, bytes(mask)


@functools.lru_cache(maxsize=4096)
def _covers(name: str, ch: str) -> bool:
    """Whether the font has a glyph for ``ch`` (its rendering differs from the missing-glyph box)."""
    if ch.isspace() or ch in "\u200c\u200d":
        return True
    mask = _font(name, 24, False).getmask(ch)
    return (mask.size, bytes(mask)) != _notdef(name)


def _font_name(arabic: bool, bold: bool) -> str:
    if arabic:
        return "NotoSansArabic-Bold.ttf" if bold else "NotoSansArabic-Regular.ttf"
    return "NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf"


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    arabic: bool  # set in the Arabic font
    rtl: bool  # laid out right to left


class _RunLayout(TypedDict, total=False):
    """What raqm is told about a run (Pillow's ``direction`` and ``language`` keywords); empty without raqm."""

    direction: str
    language: str


def _direction(ch: str) -> str:
    """'A' strong right-to-left, 'L' strong left-to-right, 'N' neutral or weak (digits, spaces, punctuation)."""
    kind = unicodedata.bidirectional(ch)
    if kind in ("R", "AL", "AN"):
        return "A"
    return "L" if kind == "L" else "N"


class Typesetter:
    """Bilingual text with the bundled fonts; ``raqm=False`` forces the reshaper + python-bidi path."""

    def __init__(self, raqm: bool | None = None) -> None:
        self.raqm = features.check("raqm") if raqm is None else raqm

    def font(self, arabic: bool, bold: bool, size: int) -> ImageFont.FreeTypeFont:
        return _font(_font_name(arabic, bold), size, self.raqm)

    def clean(self, text: str) -> str:
        """Drops what neither font can draw (emoji, rare symbols) instead of printing empty boxes."""
        latin, arabic = _font_name(False, False), _font_name(True, False)
        return "".join(ch for ch in text if _covers(latin, ch) or _covers(arabic, ch))

    def runs(self, text: str, rtl: bool | None = None) -> tuple[list[Run], bool]:
        """Runs of one direction and one font, in logical order, and whether the paragraph is right-to-left.

        Direction follows UAX #9 in small: the paragraph takes the direction of its first strong letter;
        neutrals between two runs of one direction join them, other neutrals take the paragraph's direction.
        """
        kinds = [_direction(ch) for ch in text]
        if rtl is None:  # a wrapped line keeps its paragraph's direction, given by the caller
            strong = [k for k in kinds if k != "N"]
            rtl = bool(strong) and strong[0] == "A"
        base = "A" if rtl else "L"
        resolved = kinds[:]
        i = 0
        while i < len(kinds):
            if kinds[i] != "N":
                i += 1
                continue
            j = i
            while j < len(kinds) and kinds[j] == "N":
                j += 1
            before = kinds[i - 1] if i > 0 else base
            after = kinds[j] if j < len(kinds) else base
            resolved[i:j] = [before if before == after else base] * (j - i)
            i = j
        arabic_font = _font_name(True, False)
        runs: list[Run] = []
        for ch, kind in zip(text, resolved, strict=True):
            right_to_left = kind == "A"
            # In right-to-left text the Arabic font sets everything it has; the Latin font fills its gaps (—).
            arabic = bool(_ARABIC_CHAR.match(ch)) or (right_to_left and _covers(arabic_font, ch))
            if runs and runs[-1].arabic == arabic and runs[-1].rtl == right_to_left:
                runs[-1] = Run(runs[-1].text + ch, arabic, right_to_left)
            else:
                runs.append(Run(ch, arabic, right_to_left))
        return runs, rtl

    def _run_text(self, run: Run) -> str:
        if run.rtl and not self.raqm:
            return str(get_display(_RESHAPER.reshape(run.text), base_dir="R"))
        return run.text

    def _run_kwargs(self, run: Run) -> _RunLayout:
        if not self.raqm:
            return {}
        return {"direction": "rtl" if run.rtl else "ltr", "language": "ar" if run.arabic else "en"}

    def _visual(self, text: str, rtl: bool | None = None) -> list[Run]:
        """Runs in drawing order, left to right."""
        runs, rtl = self.runs(text, rtl)
        groups: list[list[Run]] = []
        for run in runs:
            if groups and groups[-1][0].rtl == run.rtl:
                groups[-1].append(run)
            else:
                groups.append([run])
        ordered = groups[::-1] if rtl else groups
        return [run for group in ordered for run in (group[::-1] if group[0].rtl else group)]

    def width(
        self, text: str, size: int, *, bold: bool = False, tracking: float = 0.0, rtl: bool | None = None
    ) -> float:
        total = 0.0
        for run in self._visual(text, rtl):
            font = self.font(run.arabic, bold, size)
            total += font.getlength(self._run_text(run), **self._run_kwargs(run))
            if tracking and not run.rtl:
                total += tracking * len(run.text)
        return total

    def metrics(self, text: str, size: int, *, bold: bool = False) -> tuple[int, int]:
        """(ascent, descent) of the fonts the text uses, for spacing lines."""
        arabic = has_arabic(text)
        latin_ascent, latin_descent = self.font(False, bold, size).getmetrics()
        if not arabic:
            return latin_ascent, latin_descent
        arabic_ascent, arabic_descent = self.font(True, bold, size).getmetrics()
        return max(latin_ascent, round(arabic_ascent * 0.85)), max(latin_descent, round(arabic_descent * 0.8))

    def draw(
        self,
        draw: ImageDraw.ImageDraw,
        x: float,
        baseline: float,
        text: str,
        size: int,
        fill: int | RGB | tuple[int, int, int, int],
        *,
        bold: bool = False,
        tracking: float = 0.0,
        rtl: bool | None = None,
    ) -> float:
        """Draws one line starting at ``x`` on ``baseline``; returns its width."""
        start = x
        for run in self._visual(text, rtl):
            font = self.font(run.arabic, bold, size)
            if tracking and not run.rtl:
                for ch in run.text:
                    draw.text((x, baseline), ch, font=font, fill=fill, anchor="ls")
                    x += font.getlength(ch) + tracking
                continue
            shaped = self._run_text(run)
            draw.text((x, baseline), shaped, font=font, fill=fill, anchor="ls", **self._run_kwargs(run))
            x += font.getlength(shaped, **self._run_kwargs(run))
        return x - start

    def draw_aligned(
        self,
        draw: ImageDraw.ImageDraw,
        left: float,
        right: float,
        baseline: float,
        text: str,
        size: int,
        fill: int | RGB | tuple[int, int, int, int],
        *,
        align: Literal["center", "left", "right", "start"] = "center",
        bold: bool = False,
        tracking: float = 0.0,
        rtl: bool | None = None,
    ) -> None:
        width = self.width(text, size, bold=bold, tracking=tracking, rtl=rtl)
        if align == "start":
            align = "right" if self.runs(text, rtl)[1] else "left"
        if align == "center":
            x = left + (right - left - width) / 2
        elif align == "right":
            x = right - width
        else:
            x = left
        self.draw(draw, x, baseline, text, size, fill, bold=bold, tracking=tracking, rtl=rtl)

    def fit_size(self, text: str, size: int, max_width: float, *, bold: bool = False, minimum: int = 8) -> int:
        """The largest size up to ``size`` at which ``text`` fits on one line of ``max_width``."""
        while size > minimum and self.width(text, size, bold=bold) > max_width:
            size -= 1
        return size

    def wrap(self, text: str, size: int, max_width: float, *, bold: bool = False) -> list[str]:
        """Greedy word wrap measured with the real fonts; a word longer than a line is broken."""
        lines: list[str] = []
        for paragraph in text.splitlines() or [""]:
            current = ""
            for word in paragraph.split():
                candidate = f"{current} {word}" if current else word
                if self.width(candidate, size, bold=bold) <= max_width:
                    current = candidate
                    continue
                if current:
                    lines.append(current)
                while self.width(word, size, bold=bold) > max_width and len(word) > 1:
                    cut = len(word) - 1
                    while cut > 1 and self.width(word[:cut], size, bold=bold) > max_width:
                        cut -= 1
                    lines.append(word[:cut])
                    word = word[cut:]
                current = word
            lines.append(current)
        while lines and not lines[-1]:
            lines.pop()
        return lines

    def wrap_lines(self, text: str, size: int, max_width: float, *, bold: bool = False) -> list[tuple[str, bool]]:
        """:meth:`wrap` per paragraph, each line with its paragraph's direction (True: right to left)."""
        out: list[tuple[str, bool]] = []
        for paragraph in text.splitlines():
            rtl = self.runs(paragraph)[1]
            out.extend((line, rtl) for line in self.wrap(paragraph, size, max_width, bold=bold))
        return out

    def clamp_lines(
        self, lines: list[str], count: int, size: int, max_width: float, *, bold: bool = False
    ) -> list[str]:
        """At most ``count`` lines, the last one ending in an ellipsis when text was cut."""
        if len(lines) <= count:
            return lines
        kept = lines[:count]
        last = kept[-1]
        while last and self.width(last + _ELLIPSIS, size, bold=bold) > max_width:
            last = last[:-1].rstrip()
        kept[-1] = last + _ELLIPSIS
        return kept
