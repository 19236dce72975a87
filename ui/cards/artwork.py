"""The card faces' artwork: palettes, brushed gold, the occasion ornaments, the frame and the QR. No Qt here.

Artwork is procedural (no image assets): drawn at 3× and downsampled for smooth edges; the QR code is drawn
last, at the final resolution, one whole number of pixels per module, so it stays crisp.
"""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import qrcode
from PIL import Image, ImageDraw, ImageFilter

from ui.cards.typesetting import RGB

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


def lattice(layers: Layers, spacing: float, alpha: int) -> None:
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


def frame(layers: Layers, inset: float, radius: float) -> None:
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


def flag_ribbon(image: Image.Image, k: float) -> None:
    """UAE colours inside the frame's left edge: the red hoist beside green, white and black stripes."""
    H = image.height
    x, top, bottom = round(38 * k), round(40 * k), H - round(40 * k)
    draw = ImageDraw.Draw(image)
    red, stripe = round(9 * k), round(5 * k)
    draw.rectangle((x, top, x + red - 1, bottom), fill=UAE_RED)
    for i, colour in enumerate((UAE_GREEN, UAE_WHITE, UAE_BLACK)):
        x0 = x + red + i * stripe
        draw.rectangle((x0, top, x0 + stripe - 1, bottom), fill=colour)
