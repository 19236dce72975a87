"""Gift-card faces drawn with Pillow: a CR80 plastic card and a thermal-receipt voucher. No Qt here.

Rendering takes tens to a few hundred milliseconds: callers run it in a worker (QThreadPool/QRunnable) and
hand the finished ``PIL.Image`` to the GUI thread, never render in a slot of the main thread.

The faces are bilingual by nature, so their fixed texts are constants in both languages rather than tr().
This module places things on the two faces and writes the files; the text is set by ``typesetting`` and the
pictures are drawn by ``artwork``.
"""

from __future__ import annotations

import hashlib
import random
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal, get_args

from PIL import Image, ImageDraw

from core.giftcards.codes import normalize_code, qr_payload
from core.kernel.money import format_aed
from ui.cards.artwork import (
    ARTWORK,
    INK,
    IVORY,
    PALETTES,
    Layers,
    background,
    flag_ribbon,
    frame,
    gold_image,
    lattice,
    qr_image,
    qr_modules,
)
from ui.cards.typesetting import Typesetter, arabic_amount, arabic_date, english_date, has_arabic

Occasion = Literal["plain", "birthday", "wedding", "eid", "ramadan", "national_day", "corporate"]
OCCASIONS: tuple[str, ...] = get_args(Occasion)
Variant = Literal["cr80", "thermal"]

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
    lattice(layers, px(64), 26)
    frame(layers, px(20), px(26))
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
        flag_ribbon(image, k)

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
