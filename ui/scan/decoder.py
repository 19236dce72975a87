"""QR decoding of camera frames and still images. No Qt here: the camera worker calls it from its own thread.

The pipeline, cheapest first:

1. one grayscale conversion of the frame (none if it already is grayscale);
2. zxing-cpp restricted to QR codes, at full resolution, not inverted (our codes are dark on light) — about a
   quarter of a millisecond on a 640×480 frame; it also reports symbols it located but could not decode;
3. only when that read nothing and the frame gives a reason — zxing located a symbol it could not decode, the
   frame is low-contrast (dim light, a glossy card at an angle: the grayscale is stretched first, as zxing's
   binarizer takes a low local range for blank paper), or noisy — or the caller asks for a ``thorough`` read
   (a still image): zxing with its downscaling retries, zxing with its global-histogram binarizer, then pyzbar.

pyzbar is 10–20× slower than the QR-only zxing call, so running it on every frame without a code (most
frames, at a till) would multiply the per-frame cost; the gates keep the fallbacks for frames where they can
help, and a card held in front of the camera is seen in many frames anyway.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
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


def _zxing(gray: np.ndarray, **options: Any) -> tuple[list[str], bool]:
    """Texts read, and whether zxing located a symbol it could not decode."""
    results = zxingcpp.read_barcodes(gray, formats=_QR, return_errors=True, **options)
    texts = [r.text for r in results if r.valid]
    return texts, len(texts) < len(results)


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


def decode_gray(gray: np.ndarray, *, thorough: bool = False) -> tuple[list[str], str | None]:
    """Texts of the QR codes in a grayscale image and the name of the stage that read them (None: nothing)."""
    # First pass at full resolution only, not inverted: our cards are printed dark on light, and zxing's
    # retries on the inverted and the downscaled image cost two thirds of the time of every frame without a
    # code. They run below when the frame gives a reason, and always on a still image (``thorough``).
    texts, located = _zxing(gray, try_invert=thorough, try_downscale=thorough)
    if texts:
        return texts, ZXING
    # Every 8th row: each row is contiguous, so OpenCV scans them without a copy, in microseconds.
    rows = gray[::_SAMPLE_STEP]
    low_f, high_f, _, _ = cv2.minMaxLoc(rows)
    low, high = int(low_f), int(high_f)
    if high - low < BLANK_RANGE and not thorough:
        return [], None  # a blank wall or a covered lens: nothing any decoder could read
    low_contrast = high - low < LOW_CONTRAST_RANGE
    # Sensor noise (a dim shop, high gain) shows as large steps between neighbouring pixels; averaging down
    # the resolution is what reads through it.
    noisy = cv2.absdiff(rows[:, 1:], rows[:, :-1]).mean() > NOISE_STEP
    if low_contrast:
        gray = _stretch(gray, low, high)
    if not (located or low_contrast or noisy or thorough):
        return [], None
    texts, _ = _zxing(gray, try_invert=thorough)
    if texts:
        return texts, ZXING_STRETCHED if low_contrast else ZXING_RETRY
    texts, _ = _zxing(gray, binarizer=zxingcpp.Binarizer.GlobalHistogram)
    if texts:
        return texts, ZXING_HISTOGRAM
    texts = zbar_alone(gray)
    if texts:
        return texts, ZBAR
    return [], None


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
    """The pipeline with running statistics; one per camera or diagnostics run (not thread-safe)."""

    def __init__(self, *, thorough: bool = False, clock: Callable[[], float] | None = None) -> None:
        self.thorough = thorough
        self.stats = DecoderStats()
        self._clock: Callable[[], float] = clock or time.perf_counter

    def decode(self, frame: np.ndarray) -> list[Read]:
        start = self._clock()
        texts, stage = decode_gray(to_gray(frame), thorough=self.thorough)
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
