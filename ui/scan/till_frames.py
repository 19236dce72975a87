"""Generated till-camera frames: small, tilted, blurred codes on the cards' own artwork. Test material only.

Each frame is what a 1280×720 till camera sees when a customer holds up a card: a printed gift card (the
project's own card faces, ``ui.cards``) or a paper voucher, lying on or held over a busy counter, its QR
symbol 110–170 px wide, turned, tilted up to 15 % (one edge up to 15 % longer than the opposite one), smeared by
motion blur up to 7 px in any direction, a little out of focus, with glare blobs, uneven or low contrast,
sensor noise and JPEG compression. The payload is the card's URL form (what the cards carry), a bare code
(``PO-XXXX-XXXX-XXXX``, as vouchers carry) or the lower-case URL a web shop might print.

Everything is drawn from seeded generators: the same ``(seed, index)`` gives the same frame, whatever else is
generated. The tuning set and the held-out set use different seeds (:data:`TUNING_SEED`, :data:`HELD_OUT_SEED`);
the decoder's passes are chosen on the first and the read rate is reported on the second.

:func:`till_clip` makes a short video of one card held in front of the camera: the hand drifts and shakes a
little from frame to frame and its motion blur changes; the light and the glare on the card stay.
"""

from __future__ import annotations

import functools
import math
import random
from dataclasses import dataclass, replace
from datetime import date
from typing import cast

import cv2
import numpy as np
import zxingcpp

from core.giftcards.codes import BASE_URL, normalize_code, qr_payload
from ui.cards.artwork import qr_modules
from ui.cards.layouts import OCCASIONS, CardFace, render_cr80
from ui.scan.diagnostics import sample_code, scene

WIDTH, HEIGHT = 1280, 720
TUNING_SEED = 1301
HELD_OUT_SEED = 7919
SYMBOL_PX = (110.0, 170.0)  # side of the symbol itself, quiet zone excluded
MAX_PERSPECTIVE = 0.15  # one edge up to this much longer than the opposite one
MAX_MOTION_PX = 7.0
PAYLOAD_KINDS = ("card-url", "bare-code", "lower-url")
_ART_DPI = 150  # card artwork is drawn once per occasion at this resolution and scaled to the frame
_QUIET = 4


@dataclass(frozen=True, slots=True)
class TillFrame:
    """A generated frame (BGR ``image``), the ``payload`` its QR carries and the ``code`` that payload names."""

    payload: str
    code: str
    image: np.ndarray
    symbol_px: float
    motion_px: float
    tilt: float
    glare: bool
    low_contrast: bool
    on_card: bool


def payload_for(code: str, kind: str) -> str:
    if kind == "card-url":
        return qr_payload(code)
    if kind == "bare-code":
        return code
    if kind == "lower-url":
        return BASE_URL + code
    raise ValueError(f"unknown payload kind {kind!r}")


@functools.lru_cache(maxsize=len(OCCASIONS))
def card_art(occasion: str) -> tuple[np.ndarray, tuple[float, float], float]:
    """A card face of ``occasion`` (BGR), the centre of its QR symbol and the symbol's side, in its pixels."""
    code = sample_code(random.Random(occasion))
    face = CardFace(code, 50_000, date(2027, 3, 1), recipient_name="Mariam", message="Eid Mubarak", occasion=occasion)
    image = cv2.cvtColor(np.asarray(render_cr80(face, dpi=_ART_DPI)), cv2.COLOR_RGB2BGR)
    found = zxingcpp.read_barcodes(image, formats=cast(zxingcpp.BarcodeFormats, zxingcpp.BarcodeFormat.QRCode))
    if not found:
        raise RuntimeError(f"the {occasion} card's own QR is not readable")
    p = found[0].position
    corners = np.array([[p.top_left.x, p.top_left.y], [p.bottom_right.x, p.bottom_right.y]], np.float32)
    centre = corners.mean(axis=0)
    side = float(abs(p.top_right.x - p.top_left.x) + 1)
    return image, (float(centre[0]), float(centre[1])), side


def _voucher(rng: np.random.Generator, symbol_side: float) -> tuple[np.ndarray, tuple[float, float], float]:
    """A strip of thermal paper with printed lines above and below where the QR goes."""
    width = int(symbol_side * rng.uniform(1.9, 2.6))
    height = int(symbol_side * rng.uniform(2.4, 3.2))
    paper = np.full((height, width, 3), int(rng.integers(225, 250)), np.uint8)
    centre = (width / 2.0, height * 0.55)
    for y in range(int(height * 0.06), int(centre[1] - symbol_side * 0.75), max(8, int(symbol_side * 0.12))):
        length = int(width * rng.uniform(0.35, 0.9))
        cv2.putText(
            paper,
            "PERFUME & OUD  AED " + str(int(rng.integers(50, 2000))),
            (int(width * 0.05), y + 6),
            cv2.FONT_HERSHEY_PLAIN,
            max(0.6, symbol_side / 140),
            (40, 40, 40),
            1,
        )
        cv2.line(paper, (int(width * 0.05), y + 10), (length, y + 10), (90, 90, 90), 1)
    for y in range(int(centre[1] + symbol_side * 0.8), height - 6, max(8, int(symbol_side * 0.12))):
        scale = max(0.6, symbol_side / 160)
        cv2.putText(paper, "Gift voucher", (int(width * 0.08), y), cv2.FONT_HERSHEY_PLAIN, scale, (50, 50, 50))
    return paper, centre, symbol_side


def _texture(rng: np.random.Generator) -> np.ndarray:
    """A busy background: a cluttered counter, wood grain, marble, or another card's artwork filling the view."""
    kind = int(rng.integers(0, 4))
    if kind == 0:
        gray = scene(rng, WIDTH, HEIGHT)
        tint = rng.uniform(0.7, 1.2, 3)
        return np.clip(gray[..., None] * tint[None, None, :], 0, 255).astype(np.uint8)
    if kind == 1:
        yy, xx = np.ogrid[0:HEIGHT, 0:WIDTH]
        wobble = cv2.resize(rng.normal(0, 1, (HEIGHT // 40, WIDTH // 40)).astype(np.float32), (WIDTH, HEIGHT))
        grain = np.sin((xx * 0.02 + yy * 0.11 + 6 * wobble) * float(rng.uniform(0.5, 1.5)))
        base = np.array([40, 80, 120], np.float32) * float(rng.uniform(0.7, 1.3))
        wood: np.ndarray = np.clip(base[None, None, :] * (1 + 0.35 * grain[..., None]), 0, 255).astype(np.uint8)
        return wood
    if kind == 2:
        noise = rng.normal(0, 1, (HEIGHT // 8, WIDTH // 8)).astype(np.float32)
        veins = np.abs(cv2.resize(cv2.GaussianBlur(noise, (0, 0), 2.0), (WIDTH, HEIGHT), interpolation=cv2.INTER_CUBIC))
        shade = 235 - np.clip(veins * 180, 0, 150)
        marble: np.ndarray = cv2.cvtColor(shade.astype(np.uint8), cv2.COLOR_GRAY2BGR)
        return marble
    art, (cx, cy), side = card_art(OCCASIONS[int(rng.integers(0, len(OCCASIONS)))])
    art = art.copy()
    # The panel left blank: a second readable code in the picture would be a different test.
    reach = int(side * 0.75)
    art[max(int(cy) - reach, 0) : int(cy) + reach, max(int(cx) - reach, 0) : int(cx) + reach] = (232, 246, 251)
    return cv2.resize(art, (WIDTH, HEIGHT), interpolation=cv2.INTER_LINEAR)


def _paint_symbol(canvas: np.ndarray, payload: str, centre: tuple[float, float], module: float) -> None:
    """Draws the QR of ``payload`` with its quiet zone onto ``canvas``, ``module`` pixels per module (any real)."""
    modules = np.pad(qr_modules(payload), _QUIET, constant_values=False)
    n = modules.shape[0]
    fine = 8
    big = np.where(np.kron(modules, np.ones((fine, fine), bool)), 24, 246).astype(np.uint8)
    # Placed at sub-pixel precision: an affine map from the fine raster straight onto the canvas, drawn only
    # over the symbol's own box.
    side = n * module
    x0, y0 = centre[0] - side / 2.0, centre[1] - side / 2.0
    bx0, by0 = max(int(x0), 0), max(int(y0), 0)
    bx1, by1 = min(math.ceil(x0 + side), canvas.shape[1]), min(math.ceil(y0 + side), canvas.shape[0])
    scale = module / fine
    matrix = np.array([[scale, 0, x0 - bx0], [0, scale, y0 - by0]], np.float32)
    box = (bx1 - bx0, by1 - by0)
    gray = cv2.warpAffine(big, matrix, box, flags=cv2.INTER_AREA, borderValue=0)
    mask = cv2.warpAffine(np.full(big.shape, 255, np.uint8), matrix, box, flags=cv2.INTER_AREA, borderValue=0)
    alpha = (mask.astype(np.float32) / 255.0)[..., None]
    region = canvas[by0:by1, bx0:bx1]
    region[:] = (region * (1 - alpha) + gray[..., None] * alpha).astype(np.uint8)


def _line_kernel(length: float, angle: float) -> np.ndarray:
    size = math.ceil(length) | 1
    size = max(size, 3)
    kernel: np.ndarray = np.zeros((size * 4, size * 4), np.float32)
    c = size * 2
    dx, dy = math.cos(angle) * length * 2, math.sin(angle) * length * 2
    cv2.line(kernel, (int(c - dx), int(c - dy)), (int(c + dx), int(c + dy)), 1.0, 2, cv2.LINE_AA)
    kernel = cv2.resize(kernel, (size, size), interpolation=cv2.INTER_AREA)
    return kernel / max(float(kernel.sum()), 1e-6)


@dataclass(frozen=True, slots=True)
class _Pose:
    """Where the card is and how it is seen; :func:`till_clip` nudges it from frame to frame."""

    centre: tuple[float, float]
    angle: float
    tilt: tuple[float, float]


def _compose(
    rng: np.random.Generator,
    background: np.ndarray,
    card: np.ndarray,
    qr_centre: tuple[float, float],
    pose: _Pose,
) -> np.ndarray:
    """The card warped into the frame so that its QR centre lands at ``pose.centre``."""
    h, w = card.shape[:2]
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    local = src - np.array(qr_centre, np.float32)
    kx, ky = pose.tilt
    tilted = local.copy()
    # A card tilted about its vertical axis: its right edge nearer (longer) than its left, and the same about
    # the horizontal axis. Each factor is measured on the card's own half-widths.
    tilted[:, 1] *= 1 + kx * np.sign(local[:, 0] + 1e-3 - 0.5 * (local[:, 0].max() + local[:, 0].min()))
    tilted[:, 0] *= 1 + ky * np.sign(local[:, 1] + 1e-3 - 0.5 * (local[:, 1].max() + local[:, 1].min()))
    cos, sin = math.cos(pose.angle), math.sin(pose.angle)
    rotated = tilted @ np.array([[cos, sin], [-sin, cos]], np.float32)
    dst = (rotated + np.array(pose.centre, np.float32)).astype(np.float32)
    matrix = cv2.getPerspectiveTransform(src, dst)
    frame = cv2.warpPerspective(
        card, matrix, (WIDTH, HEIGHT), dst=background.copy(), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_TRANSPARENT
    )
    # A soft shadow of the fingers holding the card, sometimes over its edge.
    if rng.random() < 0.4:
        cx, cy = dst[int(rng.integers(0, 4))]
        axes = (int(rng.integers(30, 70)), int(rng.integers(50, 110)))
        shade = tuple(int(v) for v in rng.integers(90, 170, 3))
        cv2.ellipse(frame, (int(cx), int(cy)), axes, float(rng.uniform(0, 180)), 0, 360, shade, -1)
    return frame


@dataclass(frozen=True, slots=True)
class _Look:
    """How the camera sees the card: lighting, glare (offsets from the QR centre, radius, strength), blur,
    noise and JPEG quality. A clip keeps its look and lets the hand's motion blur vary a little."""

    light: tuple[float, float, float, float]
    contrast: float
    glare: tuple[tuple[float, float, float, float], ...]
    motion: float
    motion_angle: float
    focus: float
    noise: float
    jpeg: int


def _look(rng: np.random.Generator) -> _Look:
    light = rng.uniform(0.75, 1.25, 4)
    spots = tuple(
        (float(rng.normal(0, 60)), float(rng.normal(0, 60)), float(rng.uniform(12, 45)), float(rng.uniform(90, 200)))
        for _ in range(int(rng.choice([0, 0, 1, 1, 2])))
    )
    return _Look(
        light=(float(light[0]), float(light[1]), float(light[2]), float(light[3])),
        contrast=float(rng.uniform(0.3, 0.65)) if rng.random() < 0.3 else 1.0,
        glare=spots,
        motion=float(rng.uniform(0, MAX_MOTION_PX)),
        motion_angle=float(rng.uniform(0, math.pi)),
        focus=float(rng.uniform(0.3, 1.3)),
        noise=float(rng.uniform(2, 9)),
        jpeg=int(rng.integers(35, 86)),
    )


def _degrade(rng: np.random.Generator, frame: np.ndarray, qr_at: tuple[float, float], look: _Look) -> np.ndarray:
    """The camera's share: lighting, glare, motion and focus blur, noise, JPEG. Returns a BGR frame."""
    img: np.ndarray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY).astype(np.float32)
    # Uneven light across the counter (a bilinear ramp), and sometimes a dim, flat picture.
    corners = np.array(look.light, np.float32).reshape(2, 2)
    img *= cv2.resize(corners, (WIDTH, HEIGHT), interpolation=cv2.INTER_LINEAR)
    if look.contrast < 1:
        mean = float(img.mean())
        img = cv2.addWeighted(img, look.contrast, img, 0, mean * (1 - look.contrast))
    for dx, dy, radius, strength in look.glare:
        # Glare off a glossy card: a bright blob, often near the code, sometimes on it.
        cx, cy = int(qr_at[0] + dx), int(qr_at[1] + dy)
        reach = int(radius * 3)
        x0, x1 = max(cx - reach, 0), min(cx + reach, WIDTH)
        y0, y1 = max(cy - reach, 0), min(cy + reach, HEIGHT)
        if x0 >= x1 or y0 >= y1:
            continue
        yy, xx = np.ogrid[y0:y1, x0:x1]
        img[y0:y1, x0:x1] += strength * np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * radius**2)).astype(np.float32)
    np.clip(img, 0, 255, out=img)
    if look.motion >= 1.0:
        img = cv2.filter2D(img, -1, _line_kernel(look.motion, look.motion_angle))
    if look.focus > 0.2:
        img = cv2.GaussianBlur(img, (0, 0), look.focus)
    oy, ox = int(rng.integers(0, 64)), int(rng.integers(0, 64))
    img += _noise_field()[oy : oy + HEIGHT, ox : ox + WIDTH] * np.float32(look.noise)
    out = np.clip(img, 0, 255).astype(np.uint8)
    ok, buffer = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, look.jpeg])
    decoded = cv2.imdecode(buffer, cv2.IMREAD_GRAYSCALE)
    assert ok and decoded is not None
    return cv2.cvtColor(decoded, cv2.COLOR_GRAY2BGR)


@functools.lru_cache(maxsize=1)
def _noise_field() -> np.ndarray:
    """Unit sensor noise, drawn once; each frame takes it from its own random offset."""
    return np.random.default_rng(0).standard_normal((HEIGHT + 64, WIDTH + 64), dtype=np.float32)


@dataclass(frozen=True, slots=True)
class _Setup:
    payload: str
    code: str
    card: np.ndarray
    qr_centre: tuple[float, float]
    symbol_px: float
    on_card: bool
    background: np.ndarray


def _setup(rng: np.random.Generator, codes: random.Random) -> _Setup:
    code = sample_code(codes)
    payload = payload_for(code, PAYLOAD_KINDS[int(rng.choice(3, p=[0.6, 0.2, 0.2]))])
    symbol_px = float(rng.uniform(*SYMBOL_PX))
    n = qr_modules(payload).shape[0]
    module = symbol_px / n
    on_card = rng.random() < 0.75
    if on_card:
        art, centre, side = card_art(OCCASIONS[int(rng.integers(0, len(OCCASIONS)))])
        # The card art is scaled so that its printed symbol has the wanted size; a longer payload (a bigger
        # symbol) is printed in the same panel with smaller modules, as a web shop's print would be.
        scale = symbol_px / side
        card = cv2.resize(art, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        qr_centre = (centre[0] * scale, centre[1] * scale)
    else:
        card, qr_centre, _ = _voucher(rng, symbol_px)
    _paint_symbol(card, payload, qr_centre, module)
    return _Setup(payload, normalize_code(payload), card, qr_centre, symbol_px, on_card, _texture(rng))


def _first_pose(rng: np.random.Generator, symbol_px: float) -> _Pose:
    margin = symbol_px * 0.75 + 10
    centre = (float(rng.uniform(margin, WIDTH - margin)), float(rng.uniform(margin, HEIGHT - margin)))
    angle = float(rng.uniform(-0.45, 0.45)) if rng.random() < 0.7 else float(rng.uniform(0, 2 * math.pi))
    half = MAX_PERSPECTIVE / 2
    return _Pose(centre, angle, (float(rng.uniform(-half, half)), float(rng.uniform(-half, half))))


def till_frame(seed: int, index: int) -> TillFrame:
    """Frame ``index`` of the set ``seed``: independent of every other frame."""
    rng = np.random.default_rng([seed, index])
    codes = random.Random(seed * 1_000_003 + index)
    setup = _setup(rng, codes)
    pose = _first_pose(rng, setup.symbol_px)
    return _shoot(rng, setup, pose, _look(rng))


def _shoot(rng: np.random.Generator, setup: _Setup, pose: _Pose, look: _Look) -> TillFrame:
    composed = _compose(rng, setup.background, setup.card, setup.qr_centre, pose)
    image = _degrade(rng, composed, pose.centre, look)
    return TillFrame(
        setup.payload,
        setup.code,
        image,
        setup.symbol_px,
        look.motion,
        max(abs(pose.tilt[0]), abs(pose.tilt[1])) * 2,
        bool(look.glare),
        look.contrast < 1,
        setup.on_card,
    )


def till_frames(count: int, *, seed: int = TUNING_SEED, start: int = 0) -> list[TillFrame]:
    """Frames ``start`` … ``start + count - 1`` of the set ``seed``."""
    return [till_frame(seed, i) for i in range(start, start + count)]


def till_clip(seed: int, index: int, frames: int) -> list[TillFrame]:
    """``frames`` successive camera frames of one card held up: the hand drifts a few pixels and turns a little
    between frames, its motion blur changes a little; the light, the glare on the card and the camera stay."""
    rng = np.random.default_rng([seed, index, frames])
    codes = random.Random(seed * 1_000_003 + index)
    setup = _setup(rng, codes)
    pose = _first_pose(rng, setup.symbol_px)
    look = _look(rng)
    clip = []
    for _ in range(frames):
        clip.append(_shoot(rng, setup, pose, look))
        motion = float(np.clip(look.motion + rng.normal(0, 0.7), 0, MAX_MOTION_PX))
        look = replace(look, motion=motion, motion_angle=look.motion_angle + float(rng.normal(0, 0.15)))
        dx, dy = rng.normal(0, 4, 2)
        cx = float(np.clip(pose.centre[0] + dx, setup.symbol_px, WIDTH - setup.symbol_px))
        cy = float(np.clip(pose.centre[1] + dy, setup.symbol_px, HEIGHT - setup.symbol_px))
        pose = _Pose((cx, cy), pose.angle + float(rng.normal(0, 0.02)), pose.tilt)
    return clip
