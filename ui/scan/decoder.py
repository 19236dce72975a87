"""QR decoding of camera frames and still images. No Qt here: the camera worker calls it from its own thread.

The pipeline, cheapest first:

1. one grayscale conversion of the frame (none if it already is grayscale);
2. zxing-cpp restricted to QR codes, at full resolution, not inverted (our codes are dark on light) — about a
   quarter of a millisecond on a 640×480 frame; it also reports symbols it located but could not decode;
3. only when that read nothing and the frame gives a reason — zxing located a symbol it could not decode, the
   frame is low-contrast (dim light, a glossy card at an angle: the grayscale is stretched first, as zxing's
   binarizer takes a low local range for blank paper), or noisy — or the caller asks for a ``thorough`` read
   (a still image), the recovery passes, each only while the frame's time budget lasts:

   - ``zxing-roi``: each located symbol cut out with a margin, upscaled 2× (bicubic) and unsharp-masked, then
     the same crop adaptively thresholded: small codes get the pixels per module that zxing's sampling
     needs, and motion blur loses its grip on module edges;
   - ``zxing-histogram``: zxing with its global-histogram binarizer (noise, low contrast);
   - ``zxing-adaptive``: the whole frame adaptively thresholded (each pixel against its neighbourhood's
     mean), which finds symbols under glare, in shadow and on dim cards that zxing's own binarizer loses; a
     symbol it locates but cannot read goes to ``zxing-roi``;
   - ``zbar``: pyzbar (tilted and very noisy codes).

   A still image (``thorough``) also gets zxing's downscaled and inverted retries. Each pass was kept for
   what it adds on the generated till sets (``ui.scan.till_frames``, ``benchmarks/bench_decode.py``).

:class:`Decoder`, which the camera uses, adds what successive video frames give: the place of a symbol
located in one frame is tried again in the next frames, and frames with no reason to try harder get the
adaptive search within a small share of the decode time.

pyzbar is 10–20× slower than the QR-only zxing call, so running it on every frame without a code (most
frames, at a till) would multiply the per-frame cost; the gates keep the fallbacks for frames where they can
help, and a card held in front of the camera is seen in many frames anyway.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import cv2
import numpy as np
import zxingcpp
from pyzbar import pyzbar

from core.giftcards.codes import normalize_code
from core.kernel.errors import ValidationError

ZXING = "zxing"
ZXING_RETRY = "zxing-retry"
ZXING_STRETCHED = "zxing-stretched"
ZXING_HISTOGRAM = "zxing-histogram"
ZBAR = "zbar"
ZXING_ROI = "zxing-roi"
ZXING_ADAPTIVE = "zxing-adaptive"

# One format, as the binding accepts (its stub names only the set). Not a BarcodeFormats built here: one held
# by the module outlives nanobind at exit, which then reports it as leaked.
_QR = cast(zxingcpp.BarcodeFormats, zxingcpp.BarcodeFormat.QRCode)
_ZBAR_SYMBOLS = [pyzbar.ZBarSymbol.QRCODE]
# Below this spread between the darkest and brightest sampled pixels a frame counts as low-contrast.
LOW_CONTRAST_RANGE = 96
# Below this spread there is no symbol to find at all.
BLANK_RANGE = 8
# Above this mean step between horizontally adjacent pixels a frame counts as noisy (a clean frame: 2–5).
NOISE_STEP = 14.0
_SAMPLE_STEP = 8
# The adaptive threshold: neighbourhood side (pixels, odd) and offset below the local mean.
ADAPTIVE_BLOCK = 21
ADAPTIVE_C = 1
# A located symbol is cut out with this share of its size around it, and upscaled this many times while the
# crop stays under ROI_MAX_SIDE pixels.
ROI_MARGIN = 0.3
ROI_SCALE = 2
ROI_MAX_SIDE = 800
MAX_ROIS = 2
# The camera's search on frames with no reason to try harder: this share of the decode time, at most.
SEARCH_SHARE = 0.08
# A symbol located but not read is looked for at the same place in this many following frames.
FOLLOW_FRAMES = 15
# No recovery pass starts after this long into a live frame's decode.
FRAME_BUDGET_S = 0.020


@dataclass(frozen=True, slots=True)
class Read:
    """One symbol read: the raw ``text``, which ``decoder`` read it, and the gift-card ``code`` if it is ours."""

    text: str
    decoder: str
    code: str | None = None
    problem: str | None = None  # the English reason it is not one of our codes

    @property
    def ours(self) -> bool:
        return self.code is not None


@dataclass(frozen=True, slots=True)
class Picked:
    """Scanned texts split into our gift-card codes (canonical, in order, no repeats) and the rest."""

    codes: list[str]
    foreign: list[str]


def to_gray(frame: np.ndarray) -> np.ndarray:
    """The 8-bit grayscale of a BGR, BGRA or grayscale frame; a grayscale frame is returned as is (no copy)."""
    if frame.ndim == 2:
        gray = frame
    elif frame.ndim == 3 and frame.shape[2] == 1:
        gray = frame[:, :, 0]
    elif frame.ndim == 3 and frame.shape[2] == 3:
        gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    elif frame.ndim == 3 and frame.shape[2] == 4:
        gray = cv2.cvtColor(frame, cv2.COLOR_BGRA2GRAY)
    else:
        raise ValueError(f"not an image: shape {frame.shape}")
    if gray.dtype != np.uint8:
        gray = cv2.convertScaleAbs(gray)
    return gray


Box = tuple[int, int, int, int]  # x0, y0, x1, y1 of a located symbol, in the frame's pixels


def _box(position: zxingcpp.Position) -> Box:
    corners = (position.top_left, position.top_right, position.bottom_right, position.bottom_left)
    xs, ys = [p.x for p in corners], [p.y for p in corners]
    return min(xs), min(ys), max(xs) + 1, max(ys) + 1


def _zxing(gray: np.ndarray, **options: Any) -> tuple[list[str], list[Box]]:
    """Texts read, and the boxes of the symbols zxing located but could not decode."""
    results = zxingcpp.read_barcodes(gray, formats=_QR, return_errors=True, **options)
    texts = [r.text for r in results if r.valid]
    return texts, [_box(r.position) for r in results if not r.valid]


def zxing_alone(gray: np.ndarray) -> list[str]:
    """The bare QR-only zxing-cpp call, for comparisons."""
    return [r.text for r in zxingcpp.read_barcodes(gray, formats=_QR)]


def zbar_alone(gray: np.ndarray) -> list[str]:
    """pyzbar alone, QR only."""
    texts = []
    for symbol in pyzbar.decode(gray, symbols=_ZBAR_SYMBOLS):
        try:
            texts.append(symbol.data.decode("utf-8"))
        except UnicodeDecodeError:
            texts.append(symbol.data.decode("latin-1"))
    return texts


def _stretch(gray: np.ndarray, low: int, high: int) -> np.ndarray:
    lut = np.clip((np.arange(256, dtype=np.float32) - low) * (255.0 / max(high - low, 1)), 0, 255)
    return cv2.LUT(gray, lut.astype(np.uint8))


def _unsharp(gray: np.ndarray, sigma: float, amount: float) -> np.ndarray:
    blurred = cv2.GaussianBlur(gray, (0, 0), sigma)
    return cv2.addWeighted(gray, 1.0 + amount, blurred, -amount, 0)


def _adaptive(gray: np.ndarray, block: int) -> np.ndarray:
    """Each pixel against the mean of its neighbourhood: glare, a shadow or a dim corner no longer decide."""
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, block, ADAPTIVE_C)


def _roi(gray: np.ndarray, box: Box) -> tuple[list[str], list[Box]]:
    """A located symbol cut out with a margin, upscaled and sharpened: small codes get the pixels per module
    zxing's sampling needs, and blur loses its grip on module edges."""
    x0, y0, x1, y1 = box
    margin = int(ROI_MARGIN * max(x1 - x0, y1 - y0)) + 4
    height, width = gray.shape[:2]
    x0, y0 = max(x0 - margin, 0), max(y0 - margin, 0)
    x1, y1 = min(x1 + margin, width), min(y1 + margin, height)
    if x1 - x0 < 16 or y1 - y0 < 16:
        return [], []
    crop = gray[y0:y1, x0:x1]
    scale = ROI_SCALE if max(crop.shape) * ROI_SCALE <= ROI_MAX_SIDE else 1
    if scale > 1:
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    texts, _ = _zxing(_unsharp(crop, 1.0 * scale, 1.0))
    if texts:
        return texts, []
    texts, _ = _zxing(_adaptive(crop, ADAPTIVE_BLOCK * scale | 1), binarizer=zxingcpp.Binarizer.BoolCast)
    return texts, []


#: The recovery passes, in the order they run; ``skip`` in :func:`decode_gray` leaves some out (the benchmark
#: measures what each one adds).
PASSES = (ZXING_ROI, ZXING_RETRY, ZXING_HISTOGRAM, ZXING_ADAPTIVE, ZBAR)


def decode_gray(
    gray: np.ndarray,
    *,
    thorough: bool = False,
    hints: Sequence[Box] = (),
    search: bool = False,
    budget_s: float | None = None,
    skip: frozenset[str] = frozenset(),
) -> tuple[list[str], str | None]:
    """Texts of the QR codes in a grayscale image and the name of the stage that read them (None: nothing).

    ``hints``: where earlier video frames located a symbol; ``search``: run the adaptive-threshold pass even
    without a reason (the camera's budgeted search); ``budget_s``: start no further pass after this long.
    """
    texts, stage, _ = decode_gray_located(
        gray, thorough=thorough, hints=hints, search=search, budget_s=budget_s, skip=skip
    )
    return texts, stage


def decode_gray_located(
    gray: np.ndarray,
    *,
    thorough: bool = False,
    hints: Sequence[Box] = (),
    search: bool = False,
    budget_s: float | None = None,
    skip: frozenset[str] = frozenset(),
) -> tuple[list[str], str | None, list[Box]]:
    """:func:`decode_gray`, and the boxes of symbols located but not read (for the next video frame)."""
    start = time.perf_counter()
    # First pass at full resolution only, not inverted: our cards are printed dark on light, and zxing's
    # retries on the inverted and the downscaled image cost two thirds of the time of every frame without a
    # code. They run below when the frame gives a reason, and always on a still image (``thorough``).
    texts, located = _zxing(gray, try_invert=thorough, try_downscale=thorough)
    if texts:
        return texts, ZXING, []
    # Every 8th row: each row is contiguous, so OpenCV scans them without a copy, in microseconds.
    rows = gray[::_SAMPLE_STEP]
    low_f, high_f, _, _ = cv2.minMaxLoc(rows)
    low, high = int(low_f), int(high_f)
    if high - low < BLANK_RANGE and not thorough:
        return [], None, []  # a blank wall or a covered lens: nothing any decoder could read
    low_contrast = high - low < LOW_CONTRAST_RANGE
    # Sensor noise (a dim shop, high gain) shows as large steps between neighbouring pixels; averaging down
    # the resolution is what reads through it.
    noisy = cv2.absdiff(rows[:, 1:], rows[:, :-1]).mean() > NOISE_STEP
    if low_contrast:
        gray = _stretch(gray, low, high)
    reason = bool(located) or low_contrast or noisy or thorough
    if not (reason or hints or search):
        return [], None, []

    def in_time() -> bool:
        return thorough or budget_s is None or time.perf_counter() - start < budget_s

    # A located symbol (in this frame or the last ones) is the cheapest place to look: a small crop.
    if ZXING_ROI not in skip:
        for box in [*located, *hints][:MAX_ROIS]:
            if not in_time():
                break
            texts, _ = _roi(gray, box)
            if texts:
                return texts, ZXING_ROI, []
    # The same call again, on the stretched image and inverted too: it reads nothing the passes below do not
    # on the till sets, so a live frame skips it; a still image (``thorough``) can afford it.
    if thorough and ZXING_RETRY not in skip:
        texts, _ = _zxing(gray, try_invert=True)
        if texts:
            return texts, ZXING_STRETCHED if low_contrast else ZXING_RETRY, []
    if reason and ZXING_HISTOGRAM not in skip and in_time():
        texts, _ = _zxing(gray, binarizer=zxingcpp.Binarizer.GlobalHistogram)
        if texts:
            return texts, ZXING_HISTOGRAM, []
    if (reason or search) and ZXING_ADAPTIVE not in skip and in_time():
        texts, found = _zxing(_adaptive(gray, ADAPTIVE_BLOCK), binarizer=zxingcpp.Binarizer.BoolCast)
        if texts:
            return texts, ZXING_ADAPTIVE, []
        new = [b for b in found if b not in located]
        if ZXING_ROI not in skip:
            for box in new[:MAX_ROIS]:
                if not in_time():
                    break
                texts, _ = _roi(gray, box)
                if texts:
                    return texts, ZXING_ROI, []
        located = located + new
    if reason and ZBAR not in skip and in_time():
        texts = zbar_alone(gray)
        if texts:
            return texts, ZBAR, []
    return [], None, located


def decode_frame(frame: np.ndarray, *, thorough: bool = False) -> list[str]:
    """Texts of the QR codes in a camera frame or image (BGR, BGRA or grayscale ``uint8`` array).

    ``thorough`` runs every fallback even when nothing hints at a code: for still images, where the extra
    milliseconds do not matter, not for a live camera.
    """
    texts, _ = decode_gray(to_gray(frame), thorough=thorough)
    return texts


def classify(text: str, decoder: str) -> Read:
    """A :class:`Read` of ``text``, recognising our gift-card codes through :func:`normalize_code`."""
    try:
        return Read(text, decoder, code=normalize_code(text))
    except ValidationError as exc:
        return Read(text, decoder, problem=exc.english())


def pick_gift_card_codes(texts: Iterable[str]) -> Picked:
    """Our gift-card codes among scanned texts, and the foreign ones kept so the UI can say "not one of ours"."""
    codes: list[str] = []
    foreign: list[str] = []
    for text in texts:
        read = classify(text, "")
        if read.code is None:
            if text not in foreign:
                foreign.append(text)
        elif read.code not in codes:
            codes.append(read.code)
    return Picked(codes, foreign)


@dataclass(slots=True)
class DecoderStats:
    frames: int = 0
    frames_with_symbols: int = 0
    ours: int = 0
    foreign: int = 0
    by_decoder: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def mean_ms(self) -> float:
        return 1000.0 * self.seconds / self.frames if self.frames else 0.0


class Decoder:
    """The pipeline with running statistics; one per camera or diagnostics run (not thread-safe).

    Successive frames of a live camera help in two ways. A symbol located but not read in one frame is looked
    for again, in a small upscaled crop at the same place, in the next ``follow_frames`` frames (the card
    moves a few pixels between frames, and the next frame has its own blur, glare and noise). And frames with
    no reason to try harder still get the adaptive-threshold search now and then: each frame earns
    ``search_share`` of its own decode time as credit, and the search runs when the credit covers what it
    cost last time, so over a minute of an empty counter the search adds at most that share to the decode
    time. No pass starts after ``budget_s`` of a frame's decode (a frame period at 30 fps, less the capture).
    """

    def __init__(
        self,
        *,
        thorough: bool = False,
        clock: Callable[[], float] | None = None,
        search_share: float = SEARCH_SHARE,
        follow_frames: int = FOLLOW_FRAMES,
        budget_s: float | None = FRAME_BUDGET_S,
    ) -> None:
        self.thorough = thorough
        self.stats = DecoderStats()
        self._clock: Callable[[], float] = clock or time.perf_counter
        self.search_share = search_share
        self.follow_frames = follow_frames
        self.budget_s = budget_s
        self._follow: list[Box] = []
        self._follow_left = 0
        self._credit = 0.0
        self._search_cost = 0.0

    def decode(self, frame: np.ndarray) -> list[Read]:
        start = self._clock()
        gray = to_gray(frame)
        search = not self.thorough and self._credit >= self._search_cost
        work = time.perf_counter()
        texts, stage, located = decode_gray_located(
            gray,
            thorough=self.thorough,
            hints=self._follow if self._follow_left > 0 else (),
            search=search,
            budget_s=self.budget_s,
        )
        spent = time.perf_counter() - work
        self._credit += self.search_share * spent
        if search:
            self._credit -= spent
            self._search_cost = spent
        if located:
            self._follow, self._follow_left = located, self.follow_frames
        elif texts:
            self._follow, self._follow_left = [], 0
        else:
            self._follow_left -= 1
        reads = [classify(text, stage or "") for text in dict.fromkeys(texts)]
        stats = self.stats
        stats.seconds += self._clock() - start
        stats.frames += 1
        if reads:
            stats.frames_with_symbols += 1
            stats.by_decoder[stage or ""] += 1
            stats.ours += sum(1 for r in reads if r.ours)
            stats.foreign += sum(1 for r in reads if not r.ours)
        return reads
