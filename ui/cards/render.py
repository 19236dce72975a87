"""Gift-card faces drawn with Pillow: a CR80 plastic card and a thermal-receipt voucher. No Qt here.

Rendering takes tens to a few hundred milliseconds: callers run it in a worker (QThreadPool/QRunnable) and
hand the finished ``PIL.Image`` to the GUI thread, never render in a slot of the main thread.

The faces are bilingual by nature, so their fixed texts are constants in both languages rather than tr().
Arabic is shaped by Pillow's raqm layout when libraqm is present; otherwise each Arabic run is reshaped with
arabic_reshaper and put in visual order with python-bidi. Neither bundled font covers both scripts, so text
is cut into runs by script, each run set in its own font, and the runs ordered for the paragraph direction.

Artwork is procedural (no image assets): drawn at 3× and downsampled for smooth edges; the QR code is drawn
last, at the final resolution, one whole number of pixels per module, so it stays crisp.
"""

from __future__ import annotations

import functools
import hashlib
import math
import random
import re
import unicodedata
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal, TypedDict, get_args

import arabic_reshaper
import numpy as np
import qrcode

# python-bidi's reference implementation: its Rust-backed top-level get_display does not mirror brackets.
from bidi.algorithm import get_display
from PIL import Image, ImageDraw, ImageFilter, ImageFont, features

from core.giftcards.codes import normalize_code, qr_payload
from core.kernel.money import format_aed

Occasion = Literal["plain", "birthday", "wedding", "eid", "ramadan", "national_day", "corporate"]
OCCASIONS: tuple[str, ...] = get_args(Occasion)
Variant = Literal["cr80", "thermal"]

FONT_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"
CR80_MM = (85.6, 54.0)
CR80_DPI = 300
THERMAL_DPI = 203
THERMAL_DOTS_AT_203 = 576  # 80 mm paper: 72 mm printable, 576 dots at 203 dpi
MM_PER_INCH = 25.4

BRAND_EN = "PERFUME & OUD"
BRAND_AR = "العطور والعود"
GIFT_CARD_EN = "GIFT CARD"
GIFT_CARD_AR = "بطاقة هدية"
TO_EN, TO_AR = "To", "إلى"
FROM_EN, FROM_AR = "From", "من"
VALID_EN, VALID_AR = "Valid until", "صالحة حتى"
REDEEM_EN = "Redeemable at every Perfume & Oud branch in the UAE"
REDEEM_AR = "تُستخدم في جميع فروع العطور والعود في الإمارات"
BALANCE_EN = "Scan the code to check the balance"
BALANCE_AR = "امسح الرمز لمعرفة الرصيد"

GREETINGS: dict[str, tuple[str, str]] = {
    "plain": ("A gift for you", "هدية لك"),
    "birthday": ("Happy Birthday", "عيد ميلاد سعيد"),
    "wedding": ("Happy Wedding", "ألف مبروك الزواج"),
    "eid": ("Eid Mubarak", "عيد مبارك"),
    "ramadan": ("Ramadan Kareem", "رمضان كريم"),
    "national_day": ("Happy Eid Al Etihad", "عيد اتحاد سعيد"),
    "corporate": ("With our compliments", "مع أطيب التحيات"),
}

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTHS_AR = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
)
_TO_ARABIC_DIGITS = str.maketrans("0123456789.,", "٠١٢٣٤٥٦٧٨٩٫٬")

RGB = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class CardFace:
    """What a card says. ``code`` is normalised on creation (a typo cannot reach a printed card)."""

    code: str
    amount_fils: int
    expires_on: date
    recipient_name: str | None = None
    message: str | None = None
    occasion: str = "plain"
    from_name: str | None = None

    def __post_init__(self) -> None:
        if self.occasion not in OCCASIONS:
            raise ValueError(f"unknown occasion {self.occasion!r}; one of {', '.join(OCCASIONS)}")
        if self.amount_fils < 0:
            raise ValueError("a gift card's amount cannot be negative")
        object.__setattr__(self, "code", normalize_code(self.code))


def arabic_amount(fils: int) -> str:
    """12345 → '١٢٣٫٤٥ د.إ' (Arabic-Indic digits, Arabic decimal and group separators, dirham sign)."""
    return format_aed(fils, symbol="").strip().translate(_TO_ARABIC_DIGITS) + " د.إ"


def english_date(day: date) -> str:
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def arabic_date(day: date) -> str:
    return f"{day.day} {_MONTHS_AR[day.month - 1]} {day.year}".translate(_TO_ARABIC_DIGITS)


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


# --- paint: gradients, gold, patterns ----------------------------------------------------------------------


def _hex(color: str) -> RGB:
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


GOLD_STOPS = [
    (0.0, "#8c6a22"),
    (0.22, "#d8b24a"),
    (0.45, "#f7e6a0"),
    (0.62, "#c9a03c"),
    (0.85, "#e8cd78"),
    (1.0, "#9c7a2c"),
]
IVORY = _hex("#f6eedb")
INK = _hex("#1b1511")


@dataclass(frozen=True, slots=True)
class Palette:
    top: RGB
    bottom: RGB
    accent: RGB
    glow: RGB


PALETTES: dict[str, Palette] = {
    "plain": Palette(_hex("#2a1a12"), _hex("#120b08"), _hex("#7a4a2a"), _hex("#ffcf7a")),
    "corporate": Palette(_hex("#17243a"), _hex("#0a111d"), _hex("#2f4a70"), _hex("#d9c08a")),
    "birthday": Palette(_hex("#5a1848"), _hex("#26081f"), _hex("#c23b6e"), _hex("#ffd1e0")),
    "wedding": Palette(_hex("#5e1426"), _hex("#2a070f"), _hex("#b8566b"), _hex("#ffe3d6")),
    "eid": Palette(_hex("#0f4a3a"), _hex("#05201a"), _hex("#1f7a5e"), _hex("#ffe6a3")),
    "ramadan": Palette(_hex("#172a5c"), _hex("#070f26"), _hex("#2d4a8f"), _hex("#ffd27a")),
    "national_day": Palette(_hex("#1c1c1c"), _hex("#070707"), _hex("#3a3a3a"), _hex("#ffe1a0")),
}

UAE_RED, UAE_GREEN, UAE_WHITE, UAE_BLACK = _hex("#d21034"), _hex("#00843d"), _hex("#ffffff"), _hex("#000000")


def _gradient(stops: Sequence[tuple[float, str]], t: np.ndarray) -> np.ndarray:
    positions = [p for p, _ in stops]
    channels = [np.interp(t, positions, [_hex(c)[i] for _, c in stops]) for i in range(3)]
    return np.stack(channels, axis=-1)


def gold_image(size: tuple[int, int]) -> Image.Image:
    """A brushed-gold fill: diagonal bands of light and shade."""
    w, h = size
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    t = ((xx / max(w, 1)) * 0.55 + (yy / max(h, 1)) * 0.45) % 1.0
    t = (t * 1.6) % 1.0
    rgb = _gradient(GOLD_STOPS, t)
    return Image.fromarray(rgb.clip(0, 255).astype(np.uint8), "RGB")


def background(size: tuple[int, int], palette: Palette) -> Image.Image:
    """Diagonal deep-colour gradient with a soft vignette."""
    w, h = size
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    t = (xx / w * 0.35 + yy / h * 0.65).clip(0, 1)
    top, bottom = np.array(palette.top, np.float32), np.array(palette.bottom, np.float32)
    rgb = top[None, None, :] * (1 - t[..., None]) + bottom[None, None, :] * t[..., None]
    cx, cy = w * 0.38, h * 0.42
    distance = np.sqrt(((xx - cx) / w) ** 2 + ((yy - cy) / h) ** 2)
    light = 1.12 - 0.55 * distance
    rgb = rgb * light[..., None]
    return Image.fromarray(rgb.clip(0, 255).astype(np.uint8), "RGB")


def _star_points(
    cx: float, cy: float, outer: float, inner: float, points: int, rotation: float = -90.0
) -> list[tuple[float, float]]:
    coords = []
    for i in range(points * 2):
        radius = outer if i % 2 == 0 else inner
        angle = math.radians(rotation + i * 180.0 / points)
        coords.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return coords


def _rub_el_hizb(cx: float, cy: float, r: float) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """The eight-pointed star of Islamic geometry: two squares, one turned 45°."""
    square = [
        (cx + r * math.cos(math.radians(45 + 90 * k)), cy + r * math.sin(math.radians(45 + 90 * k))) for k in range(4)
    ]
    turned = [(cx + r * math.cos(math.radians(90 * k)), cy + r * math.sin(math.radians(90 * k))) for k in range(4)]
    return square, turned


def _heart_points(cx: float, cy: float, size: float, steps: int = 60) -> list[tuple[float, float]]:
    pts = []
    for i in range(steps):
        t = 2 * math.pi * i / steps
        x = 16 * math.sin(t) ** 3
        y = 13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)
        pts.append((cx + x * size / 32, cy - y * size / 32))
    return pts


@dataclass
class Layers:
    """Artwork drawn at ``ss``× resolution: ``gold`` is a coverage mask filled with brushed gold later,
    ``color`` an RGBA layer for everything that is not gold. ``mono`` draws for a one-colour thermal head."""

    size: tuple[int, int]
    ss: int
    mono: bool
    gold: Image.Image = field(init=False)
    color: Image.Image = field(init=False)
    g: ImageDraw.ImageDraw = field(init=False)
    c: ImageDraw.ImageDraw = field(init=False)

    def __post_init__(self) -> None:
        big = (self.size[0] * self.ss, self.size[1] * self.ss)
        self.gold = Image.new("L", big, 0)
        self.color = Image.new("RGBA", big, (0, 0, 0, 0))
        self.g = ImageDraw.Draw(self.gold)
        self.c = ImageDraw.Draw(self.color)

    def resolve(self) -> tuple[Image.Image, Image.Image]:
        return (
            self.gold.resize(self.size, Image.Resampling.LANCZOS),
            self.color.resize(self.size, Image.Resampling.LANCZOS),
        )


# --- occasion artwork -----------------------------------------------------------------------------------------
# Each function draws inside ``box`` (x0, y0, x1, y1, in final pixels) on layers at L.ss× scale.

Box = tuple[float, float, float, float]


def _scaled(layers: Layers, box: Box) -> tuple[float, float, float, float, float]:
    s = layers.ss
    x0, y0, x1, y1 = (v * s for v in box)
    return x0, y0, x1, y1, min(x1 - x0, y1 - y0)


def _sparkle(layers: Layers, cx: float, cy: float, r: float, alpha: int = 255) -> None:
    layers.g.polygon(_star_points(cx, cy, r, r * 0.22, 4), fill=alpha)


def _crescent(layers: Layers, cx: float, cy: float, r: float) -> None:
    layers.g.ellipse((cx - r, cy - r, cx + r, cy + r), fill=255)
    ox, oy, rr = cx + r * 0.38, cy - r * 0.22, r * 0.86
    layers.g.ellipse((ox - rr, oy - rr, ox + rr, oy + rr), fill=0)
    if layers.mono:
        return
    # A faint glow around the crescent lifts it off the background.
    _glow(layers, (cx - r * 1.5, cy - r * 1.5, cx + r * 1.5, cy + r * 1.5), 40, r * 0.5, (255, 236, 180))


def _outline(draw: ImageDraw.ImageDraw, points: Sequence[tuple[float, float]], fill: int, width: int) -> None:
    """A closed outline drawn as one polyline (Pillow's wide polygon outline allocates a full-size mask)."""
    draw.line([*points, points[0], points[1]], fill=fill, width=width, joint="curve")


def _glow(layers: Layers, box: Box, alpha: int, radius: float, rgb: RGB) -> None:
    """A soft light: an ellipse blurred by ``radius``, worked on a quarter-scale patch around it only."""
    x0, y0, x1, y1 = box
    width, height = layers.color.size
    pad = radius * 3
    rx0, ry0 = max(0, int(x0 - pad)), max(0, int(y0 - pad))
    rx1, ry1 = min(width, int(x1 + pad)), min(height, int(y1 + pad))
    if rx1 <= rx0 or ry1 <= ry0:
        return
    f = 4
    patch = Image.new("L", (max(1, (rx1 - rx0) // f), max(1, (ry1 - ry0) // f)), 0)
    ImageDraw.Draw(patch).ellipse(((x0 - rx0) / f, (y0 - ry0) / f, (x1 - rx0) / f, (y1 - ry0) / f), fill=alpha)
    patch = patch.filter(ImageFilter.GaussianBlur(max(radius / f, 0.5)))
    layers.color.alpha_composite(
        _tinted(patch.resize((rx1 - rx0, ry1 - ry0), Image.Resampling.BILINEAR), rgb), (rx0, ry0)
    )


def _tinted(mask: Image.Image, rgb: RGB) -> Image.Image:
    layer = Image.new("RGBA", mask.size, (*rgb, 0))
    layer.putalpha(mask)
    return layer


def _lantern(layers: Layers, cx: float, top: float, chain: float, w: float, glow: RGB) -> None:
    """A fanous hanging from ``top`` on a chain: ring, domed cap, six-sided glass body, finial."""
    g, lw = layers.g, max(1, round(w * 0.045))
    y0 = top + chain
    g.line((cx, top, cx, y0 - w * 0.12), fill=255, width=max(1, round(w * 0.03)))
    g.ellipse((cx - w * 0.07, y0 - w * 0.16, cx + w * 0.07, y0 - w * 0.02), outline=255, width=lw)
    # cap
    g.pieslice((cx - w * 0.34, y0 - w * 0.02, cx + w * 0.34, y0 + w * 0.5), 180, 360, fill=255)
    g.rectangle((cx - w * 0.4, y0 + w * 0.22, cx + w * 0.4, y0 + w * 0.3), fill=255)
    # body
    b0, b1, b2, b3 = y0 + w * 0.3, y0 + w * 0.55, y0 + w * 1.15, y0 + w * 1.32
    body = [
        (cx - w * 0.3, b0),
        (cx + w * 0.3, b0),
        (cx + w * 0.48, b1),
        (cx + w * 0.34, b2),
        (cx - w * 0.34, b2),
        (cx - w * 0.48, b1),
    ]
    if not layers.mono:
        _glow(layers, (cx - w * 0.95, b0 - w * 0.45, cx + w * 0.95, b2 + w * 0.45), 110, w * 0.35, glow)
        layers.c.polygon(body, fill=(*glow, 150))
    _outline(g, body, 255, lw)
    for fx in (-0.15, 0.0, 0.15):
        g.line((cx + w * fx * 1.3, b0, cx + w * fx * 1.55, b1, cx + w * fx * 1.3, b2), fill=255, width=max(1, lw // 2))
    g.line((cx - w * 0.48, b1, cx + w * 0.48, b1), fill=255, width=max(1, lw // 2))
    # base and finial
    g.polygon([(cx - w * 0.36, b2), (cx + w * 0.36, b2), (cx + w * 0.2, b3), (cx - w * 0.2, b3)], fill=255)
    g.polygon([(cx - w * 0.1, b3), (cx + w * 0.1, b3), (cx, b3 + w * 0.22)], fill=255)


def _mosque(layers: Layers, x0: float, x1: float, base: float, height: float, shade: tuple[int, int, int, int]) -> None:
    """A skyline of domes and minarets along ``base``, in a shade of the background."""
    c = layers.c if not layers.mono else None
    fill_draw = c if c is not None else layers.g
    fill: tuple[int, int, int, int] | int = shade if c is not None else 255
    w = x1 - x0
    fill_draw.rectangle((x0, base - height * 0.28, x1, base), fill=fill)
    domes = [(0.22, 0.2), (0.5, 0.32), (0.78, 0.2)]
    for fx, fr in domes:
        cx, r = x0 + w * fx, height * fr * 1.25
        fill_draw.pieslice((cx - r, base - height * 0.28 - r, cx + r, base - height * 0.28 + r), 180, 360, fill=fill)
        fill_draw.polygon(
            [
                (cx - r * 0.2, base - height * 0.28 - r * 0.9),
                (cx + r * 0.2, base - height * 0.28 - r * 0.9),
                (cx, base - height * 0.28 - r * 1.35),
            ],
            fill=fill,
        )
        layers.g.ellipse(
            (cx - r * 0.09, base - height * 0.28 - r * 1.55, cx + r * 0.09, base - height * 0.28 - r * 1.37), fill=255
        )
    for fx in (0.06, 0.36, 0.64, 0.94):
        mx, mw = x0 + w * fx, height * 0.07
        fill_draw.rectangle((mx - mw, base - height * 0.86, mx + mw, base), fill=fill)
        fill_draw.polygon(
            [(mx - mw * 1.4, base - height * 0.86), (mx + mw * 1.4, base - height * 0.86), (mx, base - height)],
            fill=fill,
        )
        fill_draw.rectangle((mx - mw * 1.5, base - height * 0.62, mx + mw * 1.5, base - height * 0.58), fill=fill)


def art_ramadan(layers: Layers, box: Box, palette: Palette, rng: random.Random) -> None:
    x0, y0, x1, y1, m = _scaled(layers, box)
    w = x1 - x0
    _lantern(layers, x0 + w * 0.2, y0, (y1 - y0) * 0.12, m * 0.28, palette.glow)
    _lantern(layers, x0 + w * 0.42, y0, (y1 - y0) * 0.36, m * 0.2, palette.glow)
    _crescent(layers, x0 + w * 0.76, y0 + (y1 - y0) * 0.42, m * 0.26)
    for fx, fy, fr in (
        (0.6, 0.18, 0.05),
        (0.93, 0.12, 0.035),
        (0.62, 0.78, 0.03),
        (0.95, 0.8, 0.045),
        (0.06, 0.72, 0.03),
    ):
        _sparkle(layers, x0 + w * fx, y0 + (y1 - y0) * fy, m * fr)


def art_eid(layers: Layers, box: Box, palette: Palette, rng: random.Random) -> None:
    x0, y0, x1, y1, m = _scaled(layers, box)
    w, h = x1 - x0, y1 - y0
    red, green, blue = (max(0, round(c * 0.55)) for c in palette.bottom)
    _mosque(layers, x0 + w * 0.04, x1 - w * 0.04, y1, h * 0.42, (red, green, blue, 235))
    _crescent(layers, x0 + w * 0.3, y0 + h * 0.3, m * 0.24)
    square, turned = _rub_el_hizb(x0 + w * 0.6, y0 + h * 0.16, m * 0.06)
    layers.g.polygon(square, fill=255)
    layers.g.polygon(turned, fill=255)
    for fx, fy, fr in ((0.7, 0.36, 0.04), (0.5, 0.42, 0.025), (0.92, 0.08, 0.035), (0.08, 0.1, 0.03)):
        _sparkle(layers, x0 + w * fx, y0 + h * fy, m * fr)
    _lantern(layers, x0 + w * 0.85, y0, h * 0.08, m * 0.2, palette.glow)


def art_wedding(layers: Layers, box: Box, palette: Palette, rng: random.Random) -> None:
    x0, y0, x1, y1, m = _scaled(layers, box)
    w, h = x1 - x0, y1 - y0
    r, lw = m * 0.22, max(2, round(m * 0.035))
    ax, ay = x0 + w * 0.42, y0 + h * 0.56
    bx, by = ax + r * 1.05, ay + r * 0.12
    g = layers.g
    g.ellipse((ax - r, ay - r, ax + r, ay + r), outline=255, width=lw)
    g.ellipse((bx - r, by - r, bx + r, by + r), outline=255, width=lw)
    # Re-draw a short arc of the first ring over the second so the rings interlock.
    gap = lw * 1.2
    g.arc((ax - r, ay - r, ax + r, ay + r), -40, 10, fill=255, width=lw)
    g.arc(
        (bx - r - gap / 4, by - r - gap / 4, bx + r + gap / 4, by + r + gap / 4),
        150,
        175,
        fill=0,
        width=max(1, lw // 3),
    )
    # a solitaire on the first ring
    dx, dy, d = ax, ay - r - lw * 0.2, r * 0.28
    gem = [
        (dx - d, dy - d * 0.45),
        (dx - d * 0.5, dy - d),
        (dx + d * 0.5, dy - d),
        (dx + d, dy - d * 0.45),
        (dx, dy + d * 0.35),
    ]
    if layers.mono:
        _outline(g, gem, 255, max(1, lw // 2))
    else:
        layers.c.polygon(gem, fill=(236, 244, 255, 255))
        layers.c.line(
            [(dx - d, dy - d * 0.45), (dx + d, dy - d * 0.45)], fill=(170, 190, 215, 255), width=max(1, lw // 3)
        )
        layers.c.line(
            [(dx - d * 0.5, dy - d), (dx, dy + d * 0.35), (dx + d * 0.5, dy - d)],
            fill=(170, 190, 215, 255),
            width=max(1, lw // 3),
        )
        _outline(g, gem, 255, max(1, lw // 3))
    hearts = ((0.12, 0.2, 0.1), (0.82, 0.16, 0.13), (0.9, 0.62, 0.07), (0.2, 0.8, 0.06), (0.66, 0.9, 0.05))
    for fx, fy, fs in hearts:
        pts = _heart_points(x0 + w * fx, y0 + h * fy, m * fs)
        if layers.mono:
            _outline(g, pts, 255, max(1, lw // 2))
        else:
            layers.c.polygon(pts, fill=(*palette.glow, 210))
            _outline(g, pts, 200, max(1, lw // 3))
    for fx, fy in ((0.55, 0.14), (0.06, 0.5), (0.96, 0.36)):
        _sparkle(layers, x0 + w * fx, y0 + h * fy, m * 0.035)


def art_birthday(layers: Layers, box: Box, palette: Palette, rng: random.Random) -> None:
    x0, y0, x1, y1, m = _scaled(layers, box)
    w, h = x1 - x0, y1 - y0
    colours = [(194, 59, 110), (232, 205, 120), (88, 170, 160), (246, 238, 219)]
    balloons = [(0.26, 0.34, 0.15, 0), (0.46, 0.24, 0.17, 1), (0.66, 0.38, 0.14, 2)]
    knot_y = []
    for fx, fy, fr, ci in balloons:
        cx, cy, r = x0 + w * fx, y0 + h * fy, m * fr
        box_ = (cx - r * 0.86, cy - r, cx + r * 0.86, cy + r)
        if layers.mono:
            layers.g.ellipse(box_, outline=255, width=max(2, round(r * 0.08)))
            layers.g.arc(
                (cx - r * 0.55, cy - r * 0.72, cx + r * 0.2, cy + r * 0.1),
                200,
                260,
                fill=255,
                width=max(1, round(r * 0.06)),
            )
        else:
            layers.c.ellipse(box_, fill=(*colours[ci], 255))
            _glow(layers, (cx - r * 0.5, cy - r * 0.7, cx - r * 0.1, cy - r * 0.2), 150, r * 0.12, (255, 255, 255))
            layers.g.ellipse(box_, outline=170, width=max(1, round(r * 0.04)))
        layers.g.polygon([(cx - r * 0.1, cy + r * 1.08), (cx + r * 0.1, cy + r * 1.08), (cx, cy + r * 0.96)], fill=255)
        knot_y.append((cx, cy + r * 1.08))
    gather = (x0 + w * 0.47, y0 + h * 0.92)
    for kx, ky in knot_y:
        pts = []
        for i in range(21):
            t = i / 20
            x = kx + (gather[0] - kx) * t + math.sin(t * math.pi * 2) * m * 0.02
            pts.append((x, ky + (gather[1] - ky) * t))
        layers.g.line(pts, fill=255, width=max(1, round(m * 0.008)))
    palette_confetti = [(232, 205, 120), (194, 59, 110), (88, 170, 160), (246, 238, 219)]
    for _ in range(34):
        cx, cy = x0 + rng.uniform(0, w), y0 + rng.uniform(0, h)
        if math.hypot((cx - (x0 + w * 0.46)) / w, (cy - (y0 + h * 0.33)) / h) < 0.28:
            continue  # keep the balloons clear
        size, angle = m * rng.uniform(0.012, 0.024), rng.uniform(0, math.pi)
        pts = [
            (
                cx + size * math.cos(angle + a) * (1.8 if k % 2 else 0.8),
                cy + size * math.sin(angle + a) * (1.8 if k % 2 else 0.8),
            )
            for k, a in enumerate((0, math.pi / 2, math.pi, 3 * math.pi / 2))
        ]
        if layers.mono or rng.random() < 0.45:
            layers.g.polygon(pts, fill=255)
        else:
            layers.c.polygon(pts, fill=(*rng.choice(palette_confetti), 255))


def art_national_day(layers: Layers, box: Box, palette: Palette, rng: random.Random) -> None:
    """A waving UAE flag on a gold pole."""
    x0, y0, x1, y1, m = _scaled(layers, box)
    w, h = x1 - x0, y1 - y0
    fw, fh = round(w * 0.62), round(w * 0.62 / 2)
    fx0, fy0 = x0 + w * 0.28, y0 + h * 0.18
    flag = np.zeros((fh, fw, 3), np.uint8)
    hoist = fw // 4
    flag[:, :hoist] = UAE_RED
    flag[: fh // 3, hoist:] = UAE_GREEN
    flag[fh // 3 : 2 * fh // 3, hoist:] = UAE_WHITE
    flag[2 * fh // 3 :, hoist:] = UAE_BLACK if not layers.mono else (60, 60, 60)
    amplitude = fh * 0.08
    canvas = np.zeros((fh + int(amplitude * 2) + 2, fw, 4), np.uint8)
    for x in range(fw):
        phase = x / fw
        shift = int(amplitude + amplitude * math.sin(phase * math.pi * 2.2 - 0.6) * phase**0.6)
        shade = 0.82 + 0.18 * math.cos(phase * math.pi * 2.2 - 0.6)
        canvas[shift : shift + fh, x, :3] = (flag[:, x] * shade).clip(0, 255)
        canvas[shift : shift + fh, x, 3] = 255
    flag_img = Image.fromarray(canvas, "RGBA")
    if layers.mono:
        outline = flag_img.getchannel("A").filter(ImageFilter.FIND_EDGES)
        layers.gold.paste(255, (round(fx0), round(fy0)), outline)
        gray = flag_img.convert("LA")
        bands = Image.eval(gray.getchannel("L"), lambda v: 255 if v < 100 else 0)
        layers.gold.paste(
            255, (round(fx0), round(fy0)), Image.composite(bands, Image.new("L", bands.size, 0), gray.getchannel("A"))
        )
    else:
        layers.color.alpha_composite(flag_img, (round(fx0), round(fy0)))
    pole_w = max(2, round(m * 0.025))
    layers.g.rectangle((fx0 - pole_w * 1.5, fy0 - h * 0.06, fx0 - pole_w * 0.5, y1 - h * 0.02), fill=255)
    layers.g.ellipse(
        (fx0 - pole_w * 2.4, fy0 - h * 0.06 - pole_w * 1.8, fx0 + pole_w * 0.4, fy0 - h * 0.06 + pole_w * 0.4), fill=255
    )
    for fx, fy in ((0.1, 0.2), (0.95, 0.1), (0.2, 0.86), (0.97, 0.82)):
        _sparkle(layers, x0 + w * fx, y0 + h * fy, m * 0.04)


def _bottle(layers: Layers, cx: float, base: float, height: float, glow: RGB) -> None:
    """A faceted attar flacon: gold outline, amber perfume inside, a tall stopper."""
    g = layers.g
    lw = max(2, round(height * 0.018))
    bw, bh = height * 0.52, height * 0.5
    top = base - bh
    body = [
        (cx - bw * 0.36, top),
        (cx + bw * 0.36, top),
        (cx + bw / 2, top + bh * 0.22),
        (cx + bw / 2, base - bh * 0.1),
        (cx + bw * 0.4, base),
        (cx - bw * 0.4, base),
        (cx - bw / 2, base - bh * 0.1),
        (cx - bw / 2, top + bh * 0.22),
    ]
    if not layers.mono:
        _glow(layers, (cx - bw, top - bh * 0.2, cx + bw, base + bh * 0.2), 60, bw * 0.4, glow)
        # The perfume: the body's shape below the shoulder, drawn on a patch the size of the bottle.
        ox, oy = int(cx - bw / 2), int(top)
        liquid = Image.new("L", (int(bw) + 2, int(bh) + 2), 0)
        ImageDraw.Draw(liquid).polygon([(x - ox, y - oy) for x, y in body], fill=200)
        ImageDraw.Draw(liquid).rectangle((0, 0, liquid.width, bh * 0.38), fill=0)
        layers.color.alpha_composite(_tinted(liquid, (196, 120, 40)), (ox, oy))
    _outline(g, body, 255, lw)
    inner = [
        (cx - bw * 0.22, top + bh * 0.18),
        (cx + bw * 0.22, top + bh * 0.18),
        (cx + bw * 0.3, top + bh * 0.5),
        (cx + bw * 0.22, base - bh * 0.16),
        (cx - bw * 0.22, base - bh * 0.16),
        (cx - bw * 0.3, top + bh * 0.5),
    ]
    _outline(g, inner, 190, max(1, lw // 2))
    nw = bw * 0.2
    g.rectangle((cx - nw / 2, top - height * 0.08, cx + nw / 2, top), fill=255)
    g.rectangle((cx - nw * 0.85, top - height * 0.11, cx + nw * 0.85, top - height * 0.07), fill=255)
    stopper = [
        (cx, top - height * 0.5),
        (cx + nw * 1.05, top - height * 0.3),
        (cx + nw * 0.55, top - height * 0.11),
        (cx - nw * 0.55, top - height * 0.11),
        (cx - nw * 1.05, top - height * 0.3),
    ]
    _outline(g, stopper, 255, lw)
    g.line((cx, top - height * 0.5, cx, top - height * 0.11), fill=190, width=max(1, lw // 2))


def art_plain(layers: Layers, box: Box, palette: Palette, rng: random.Random) -> None:
    x0, y0, x1, y1, m = _scaled(layers, box)
    w, h = x1 - x0, y1 - y0
    _bottle(layers, x0 + w * 0.5, y0 + h * 0.95, h * 0.9, palette.glow)
    for fx, fy, fr in ((0.22, 0.25, 0.05), (0.8, 0.18, 0.04), (0.76, 0.7, 0.03), (0.2, 0.72, 0.025)):
        _sparkle(layers, x0 + w * fx, y0 + h * fy, m * fr)


def art_corporate(layers: Layers, box: Box, palette: Palette, rng: random.Random) -> None:
    x0, y0, x1, y1, m = _scaled(layers, box)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    g = layers.g
    lw = max(2, round(m * 0.014))
    for r, width in ((m * 0.42, lw), (m * 0.34, max(1, lw // 2))):
        square, turned = _rub_el_hizb(cx, cy, r)
        _outline(g, square, 255, width)
        _outline(g, turned, 255, width)
    g.ellipse((cx - m * 0.16, cy - m * 0.16, cx + m * 0.16, cy + m * 0.16), outline=255, width=lw)
    square, turned = _rub_el_hizb(cx, cy, m * 0.1)
    g.polygon(square, fill=255)
    g.polygon(turned, fill=255)


ARTWORK: dict[str, Callable[[Layers, Box, Palette, random.Random], None]] = {
    "plain": art_plain,
    "corporate": art_corporate,
    "birthday": art_birthday,
    "wedding": art_wedding,
    "eid": art_eid,
    "ramadan": art_ramadan,
    "national_day": art_national_day,
}


def _lattice(layers: Layers, spacing: float, alpha: int) -> None:
    """A faint field of eight-pointed stars, the watermark of the card."""
    w, h = layers.gold.size
    step = spacing * layers.ss
    r = step * 0.3
    lw = max(1, round(layers.ss * 0.8))
    y, row = -step / 2, 0
    while y < h + step:
        x = -step / 2 + (step / 2 if row % 2 else 0)
        while x < w + step:
            square, turned = _rub_el_hizb(x, y, r)
            _outline(layers.g, square, alpha, lw)
            _outline(layers.g, turned, alpha, lw)
            x += step
        y += step * 0.5
        row += 1


def _frame(layers: Layers, inset: float, radius: float) -> None:
    """Double gold rule with a diamond at each corner."""
    w, h = layers.gold.size
    s = layers.ss
    i1, i2 = inset * s, (inset + 7) * s
    layers.g.rounded_rectangle((i1, i1, w - i1, h - i1), radius * s, outline=255, width=max(1, round(2.2 * s)))
    layers.g.rounded_rectangle(
        (i2, i2, w - i2, h - i2), max(1, radius - 6) * s, outline=200, width=max(1, round(0.9 * s))
    )
    d = 6 * s
    for cx, cy in (
        (i1 + 3.5 * s, i1 + 3.5 * s),
        (w - i1 - 3.5 * s, i1 + 3.5 * s),
        (i1 + 3.5 * s, h - i1 - 3.5 * s),
        (w - i1 - 3.5 * s, h - i1 - 3.5 * s),
    ):
        layers.g.polygon([(cx, cy - d), (cx + d, cy), (cx, cy + d), (cx - d, cy)], fill=255)


# --- the QR --------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=32)
def _qr_matrix(payload: str) -> tuple[tuple[bool, ...], ...]:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_Q, border=0)
    qr.add_data(payload)
    qr.make(fit=True)
    return tuple(tuple(row) for row in qr.get_matrix())


def qr_modules(payload: str) -> np.ndarray:
    """The QR symbol of ``payload`` as a boolean module matrix (no quiet zone), error correction Q."""
    return np.array(_qr_matrix(payload), dtype=bool)


def qr_image(
    payload: str,
    module_px: int,
    *,
    quiet_modules: int = 4,
    dark: RGB = INK,
    light: RGB = (255, 255, 255),
    mode: str = "RGB",
) -> Image.Image:
    """Whole pixels per module and no resampling: crisp edges at any printer's native resolution."""
    modules = np.pad(qr_modules(payload), quiet_modules, constant_values=False)
    cells = np.kron(modules, np.ones((module_px, module_px), dtype=bool))
    if mode == "L":
        return Image.fromarray(np.where(cells, dark[0], light[0]).astype(np.uint8), "L")
    rgb = np.where(cells[..., None], np.array(dark, np.uint8), np.array(light, np.uint8))
    return Image.fromarray(rgb.astype(np.uint8), "RGB")


# --- the two faces -------------------------------------------------------------------------------------------


def _seed(card: CardFace) -> random.Random:
    return random.Random(int.from_bytes(hashlib.sha256(card.code.encode()).digest()[:8], "big"))


def _paint_gold(target: Image.Image, mask: Image.Image, gold: Image.Image) -> None:
    target.paste(gold, (0, 0), mask)


def _name_line(label_en: str, label_ar: str, name: str) -> str:
    return f"{label_ar} {name}" if has_arabic(name) else f"{label_en} {name}"


def render_cr80(card: CardFace, dpi: int = CR80_DPI, *, raqm: bool | None = None) -> Image.Image:
    """The 85.6 × 54 mm plastic card face (1011 × 638 px at 300 dpi), RGB."""
    k = dpi / CR80_DPI
    size = (round(CR80_MM[0] / MM_PER_INCH * dpi), round(CR80_MM[1] / MM_PER_INCH * dpi))
    W, H = size
    palette = PALETTES[card.occasion]
    ts = Typesetter(raqm)
    rng = _seed(card)

    def px(v: float) -> int:
        return round(v * k)

    image = background(size, palette)
    gold = gold_image(size)

    layers = Layers(size, 3, mono=False)
    _lattice(layers, px(64), 26)
    _frame(layers, px(20), px(26))
    # QR panel on the lower right; the artwork above it.
    module = max(1, round(7 * k))
    qr_modules_count = qr_modules(qr_payload(card.code)).shape[0] + 8
    panel_w = qr_modules_count * module + px(20)
    panel_h = qr_modules_count * module + px(58)
    panel_x1, panel_y1 = W - px(48), H - px(46)
    panel_x0, panel_y0 = panel_x1 - panel_w, panel_y1 - panel_h
    art_box = (panel_x0 - px(24), px(44), W - px(50), panel_y0 - px(10))
    ARTWORK[card.occasion](layers, art_box, palette, rng)
    gold_mask, color = layers.resolve()
    image.paste(color, (0, 0), color)
    _paint_gold(image, gold_mask, gold)
    if card.occasion == "national_day":
        _flag_ribbon(image, k)

    # The cream panel with the QR and the code.
    panel = Image.new("L", size, 0)
    ImageDraw.Draw(panel).rounded_rectangle((panel_x0, panel_y0, panel_x1, panel_y1), px(16), fill=255)
    image.paste((251, 246, 232), (0, 0), panel)
    ring = Image.new("L", size, 0)
    ImageDraw.Draw(ring).rounded_rectangle(
        (panel_x0, panel_y0, panel_x1, panel_y1), px(16), outline=255, width=max(1, px(3))
    )
    _paint_gold(image, ring, gold)
    qr = qr_image(qr_payload(card.code), module, light=(251, 246, 232))
    qx = panel_x0 + (panel_w - qr.width) // 2
    qy = panel_y0 + px(8)
    image.paste(qr, (qx, qy))
    draw = ImageDraw.Draw(image)
    code_size = ts.fit_size(card.code, px(25), panel_w - px(24), bold=True)
    ts.draw_aligned(draw, panel_x0, panel_x1, panel_y1 - px(18), card.code, code_size, INK, bold=True)

    # The text column (moved right of the flag ribbon on National Day).
    left, right = px(84 if card.occasion == "national_day" else 60), panel_x0 - px(30)
    text_mask = Image.new("L", size, 0)
    tm = ImageDraw.Draw(text_mask)
    ts.draw_aligned(
        tm,
        left,
        right,
        px(86),
        BRAND_EN,
        ts.fit_size(BRAND_EN, px(36), right - left, bold=True),
        255,
        align="left",
        bold=True,
        tracking=px(5),
    )
    ts.draw_aligned(tm, left, right, px(134), BRAND_AR, px(30), 255, align="left", bold=True)
    tm.line((left, px(160), left + px(170), px(160)), fill=255, width=max(1, px(2)))
    tm.polygon(
        [(left + px(180), px(160)), (left + px(186), px(154)), (left + px(192), px(160)), (left + px(186), px(166))],
        fill=255,
    )
    label = f"{GIFT_CARD_EN}  ·  {GIFT_CARD_AR}"
    ts.draw(tm, left + px(206), px(167), label, px(17), 255, tracking=px(2))
    amount_en = format_aed(card.amount_fils)
    amount_size = ts.fit_size(amount_en, px(74), right - left, bold=True)
    ts.draw_aligned(tm, left, right, px(272), amount_en, amount_size, 255, align="left", bold=True)
    _paint_gold(image, text_mask, gold)

    greeting_en, greeting_ar = GREETINGS[card.occasion]
    line = f"{greeting_en}  ·  {greeting_ar}"
    ts.draw_aligned(draw, left, right, px(200), line, ts.fit_size(line, px(26), right - left), IVORY, align="left")
    amount_ar = arabic_amount(card.amount_fils)
    ts.draw_aligned(
        draw,
        left,
        right,
        px(330),
        amount_ar,
        ts.fit_size(amount_ar, px(44), right - left, bold=True),
        IVORY,
        align="left",
        bold=True,
    )

    y = px(384)
    if card.recipient_name:
        name = ts.clean(card.recipient_name)
        text = _name_line(TO_EN, TO_AR, name)
        ts.draw_aligned(
            draw,
            left,
            right,
            y,
            text,
            ts.fit_size(text, px(28), right - left, bold=True),
            IVORY,
            align="start",
            bold=True,
        )
        y += px(40)
    if card.message:
        message = ts.clean(card.message)
        msize = px(22)
        wrapped = ts.wrap_lines(message, msize, right - left)
        kept = ts.clamp_lines([t for t, _ in wrapped], 3 if not card.from_name else 2, msize, right - left)
        for text, (_, rtl) in zip(kept, wrapped, strict=False):
            ts.draw_aligned(draw, left, right, y, text, msize, (226, 214, 190), align="start", rtl=rtl)
            y += px(31)
    if card.from_name:
        name = ts.clean(card.from_name)
        text = "— " + _name_line(FROM_EN, FROM_AR, name)
        ts.draw_aligned(
            draw, left, right, y + px(2), text, ts.fit_size(text, px(22), right - left), (226, 214, 190), align="start"
        )
    expiry = f"{VALID_EN} {english_date(card.expires_on)}  ·  {VALID_AR} {arabic_date(card.expires_on)}"
    expiry_mask = Image.new("L", size, 0)
    ts.draw_aligned(
        ImageDraw.Draw(expiry_mask),
        left,
        right,
        H - px(50),
        expiry,
        ts.fit_size(expiry, px(19), right - left),
        255,
        align="left",
    )
    _paint_gold(image, expiry_mask, gold)

    image.info["dpi"] = (dpi, dpi)
    image.info["size_mm"] = CR80_MM
    return image


def _flag_ribbon(image: Image.Image, k: float) -> None:
    """UAE colours inside the frame's left edge: the red hoist beside green, white and black stripes."""
    H = image.height
    x, top, bottom = round(38 * k), round(40 * k), H - round(40 * k)
    draw = ImageDraw.Draw(image)
    red, stripe = round(9 * k), round(5 * k)
    draw.rectangle((x, top, x + red - 1, bottom), fill=UAE_RED)
    for i, colour in enumerate((UAE_GREEN, UAE_WHITE, UAE_BLACK)):
        x0 = x + red + i * stripe
        draw.rectangle((x0, top, x0 + stripe - 1, bottom), fill=colour)


def render_thermal(
    card: CardFace, dpi: int = THERMAL_DPI, *, raqm: bool | None = None, dots: int | None = None
) -> Image.Image:
    """The voucher for an 80 mm receipt printer: 576 dots wide at 203 dpi, as long as it needs; grayscale."""
    k = dpi / THERMAL_DPI
    W = dots if dots is not None else round(THERMAL_DOTS_AT_203 * k)
    ts = Typesetter(raqm)
    rng = _seed(card)

    def px(v: float) -> int:
        return round(v * k)

    margin = px(18)
    left, right = margin, W - margin
    inner = right - left
    ops: list[Callable[[Image.Image, int], None]] = []
    y = px(28)

    def text_line(
        text: str,
        size: int,
        *,
        bold: bool = False,
        gap: float = 1.25,
        align: Literal["center", "start"] = "center",
        tracking: float = 0,
        rtl: bool | None = None,
    ) -> None:
        nonlocal y
        ascent, descent = ts.metrics(text, size, bold=bold)
        baseline = y + ascent

        def op(img: Image.Image, _: int, b: int = baseline) -> None:
            d = ImageDraw.Draw(img)
            ts.draw_aligned(d, left, right, b, text, size, 0, align=align, bold=bold, tracking=tracking, rtl=rtl)

        ops.append(op)
        y = baseline + descent + round(size * (gap - 1))

    def rule(thickness: int = 2, diamond: bool = True) -> None:
        nonlocal y
        mid = y + px(10)

        def op(img: Image.Image, _: int, m: int = mid) -> None:
            d = ImageDraw.Draw(img)
            cx = W // 2
            d.line((left + px(30), m, cx - px(16), m), fill=0, width=thickness)
            d.line((cx + px(16), m, right - px(30), m), fill=0, width=thickness)
            if diamond:
                d.polygon([(cx, m - px(7)), (cx + px(7), m), (cx, m + px(7)), (cx - px(7), m)], fill=0)

        ops.append(op)
        y = mid + px(16)

    text_line(BRAND_EN, ts.fit_size(BRAND_EN, px(38), inner, bold=True), bold=True, tracking=px(4), gap=1.1)
    text_line(BRAND_AR, px(32), bold=True)
    rule()
    art_h = px(190)
    art_top = y

    def art(img: Image.Image, _: int, top: int = art_top) -> None:
        layers = Layers((inner, art_h), 3, mono=True)
        ARTWORK[card.occasion](layers, (inner * 0.12, 0, inner * 0.88, art_h), PALETTES[card.occasion], rng)
        mask, _color = layers.resolve()
        img.paste(0, (left, top), mask)

    ops.append(art)
    y += art_h + px(14)
    greeting_en, greeting_ar = GREETINGS[card.occasion]
    text_line(greeting_en, px(30), bold=True, gap=1.1)
    text_line(greeting_ar, px(30), bold=True)
    text_line(f"{GIFT_CARD_EN}  ·  {GIFT_CARD_AR}", px(22), gap=1.1)
    amount_en = format_aed(card.amount_fils)
    text_line(amount_en, ts.fit_size(amount_en, px(64), inner, bold=True), bold=True, gap=1.05)
    text_line(
        arabic_amount(card.amount_fils),
        ts.fit_size(arabic_amount(card.amount_fils), px(44), inner, bold=True),
        bold=True,
    )
    if card.recipient_name:
        text = _name_line(TO_EN, TO_AR, ts.clean(card.recipient_name))
        for line, rtl in ts.wrap_lines(text, px(28), inner, bold=True):
            text_line(line, px(28), bold=True, gap=1.15, rtl=rtl)
    if card.message:
        y += px(6)
        for line, rtl in ts.wrap_lines(ts.clean(card.message), px(24), inner):
            text_line(line, px(24), gap=1.2, rtl=rtl)
    if card.from_name:
        text = "— " + _name_line(FROM_EN, FROM_AR, ts.clean(card.from_name))
        for line, rtl in ts.wrap_lines(text, px(24), inner):
            text_line(line, px(24), rtl=rtl)
    rule(diamond=False)
    module = max(1, px(8))
    qr = qr_image(qr_payload(card.code), module, mode="L", dark=(0, 0, 0), light=(255, 255, 255))
    qr_top = y

    def qr_op(img: Image.Image, _: int, top: int = qr_top) -> None:
        img.paste(qr, ((W - qr.width) // 2, top))

    ops.append(qr_op)
    y += qr.height
    text_line(card.code, ts.fit_size(card.code, px(36), inner, bold=True), bold=True, gap=1.3)
    text_line(f"{VALID_EN} {english_date(card.expires_on)}", px(24), gap=1.1)
    text_line(f"{VALID_AR} {arabic_date(card.expires_on)}", px(24))
    rule(thickness=1, diamond=False)
    for text in (REDEEM_EN, REDEEM_AR, BALANCE_EN, BALANCE_AR):
        for line, rtl in ts.wrap_lines(text, px(20), inner):
            text_line(line, px(20), gap=1.15, rtl=rtl)
    y += px(40)  # paper the cutter takes

    image = Image.new("L", (W, y), 255)
    for op in ops:
        op(image, W)
    image.info["dpi"] = (dpi, dpi)
    image.info["size_mm"] = (W / dpi * MM_PER_INCH, y / dpi * MM_PER_INCH)
    return image


def render_card(
    card: CardFace, variant: Variant = "cr80", dpi: int | None = None, *, raqm: bool | None = None
) -> Image.Image:
    """A card face. ``variant``: "cr80" (RGB, 300 dpi by default) or "thermal" (grayscale, 203 dpi by default).

    ``raqm=False`` forces the arabic_reshaper + python-bidi path even when libraqm is installed. The image's
    ``info`` carries ``dpi`` and ``size_mm`` for printing. Slow enough to keep off the GUI thread.
    """
    if variant == "cr80":
        return render_cr80(card, dpi or CR80_DPI, raqm=raqm)
    if variant == "thermal":
        return render_thermal(card, dpi or THERMAL_DPI, raqm=raqm)
    raise ValueError(f"unknown card variant {variant!r}: 'cr80' or 'thermal'")


# --- files ------------------------------------------------------------------------------------------------------


def image_dpi(image: Image.Image, default: float = CR80_DPI) -> float:
    dpi = image.info.get("dpi")
    return float(dpi[0]) if dpi else default


def save_png(image: Image.Image, path: str | Path) -> Path:
    """PNG with its resolution recorded, so other programs print it at its physical size."""
    target = Path(path)
    dpi = image_dpi(image)
    image.save(target, "PNG", dpi=(dpi, dpi), optimize=True)
    return target


def save_pdf(images: Iterable[Image.Image], path: str | Path) -> Path:
    """One page per image, each page exactly the image's physical size, images stored losslessly.

    (Pillow's own PDF writer stores JPEG, which blurs the QR's edges, and gives every page one resolution.)
    """
    pages = list(images)
    if not pages:
        raise ValueError("no card to write")
    objects: list[bytes] = []

    def add(obj: bytes) -> int:
        objects.append(obj)
        return len(objects)

    catalog = add(b"")  # filled in once the page tree exists
    tree = add(b"")
    kids: list[int] = []
    for image in pages:
        dpi = image_dpi(image)
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        w_pt, h_pt = image.width * 72.0 / dpi, image.height * 72.0 / dpi
        colour = b"/DeviceGray" if image.mode == "L" else b"/DeviceRGB"
        data = zlib.compress(image.tobytes(), 9)
        xobject = add(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8 "
            b"/Filter /FlateDecode /Length %d >>\nstream\n"
            % (image.width, image.height, colour, len(data))
            + data
            + b"\nendstream"
        )
        content = b"q %.4f 0 0 %.4f 0 0 cm /Im0 Do Q" % (w_pt, h_pt)
        contents = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        page = add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.4f %.4f] /Resources << /XObject << /Im0 %d 0 R >> >> "
            b"/Contents %d 0 R >>" % (tree, w_pt, h_pt, xobject, contents)
        )
        kids.append(page)
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    objects[tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    target = Path(path)
    target.write_bytes(bytes(out))
    return target
