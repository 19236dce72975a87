"""``python main.py diagnose``: what the scanning pipeline reads from an image, a video, a camera or a stream.

Used at a till to answer "why does the camera not read this card": it prints every read with its frame, time,
the decoder stage that read it and whether it is one of our codes, then totals and the frame rate. The exit
status is 0 when at least one of our gift-card codes was read, 1 when none was, 2 when the source cannot be
opened. ``--self-test`` needs no camera: it decodes generated damaged QR images and compares the pipeline with
each decoder alone (the same set the benchmark and the tests use).

No Qt: this runs in a console and loops over ``cv2.VideoCapture`` itself.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import cv2
import numpy as np
import qrcode

from core.giftcards.codes import ALPHABET, check_character, format_code, qr_payload
from ui.scan.decoder import Decoder, Read, decode_frame, zbar_alone, zxing_alone

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".pgm", ".ppm"})
EXIT_READ, EXIT_NOTHING, EXIT_NO_SOURCE = 0, 1, 2


# --- generated test material (also used by the tests and benchmarks/bench_decode.py) -------------------------


def sample_code(rng: random.Random) -> str:
    """A valid code drawn from a seeded generator: reproducible test material, never a card to sell."""
    body = "".join(rng.choice(ALPHABET) for _ in range(11))
    return format_code(body + check_character(body))


def qr_image(text: str, module_px: int, *, border: int = 4, light: int = 255, dark: int = 0) -> np.ndarray:
    """A grayscale image of the QR code of ``text`` (error correction Q, as printed on the cards)."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_Q, border=border)
    qr.add_data(text)
    qr.make(fit=True)
    modules = np.array(qr.get_matrix(), dtype=bool)
    image = np.where(modules, dark, light).astype(np.uint8)
    return np.kron(image, np.ones((module_px, module_px), dtype=np.uint8))


def place(background: np.ndarray, patch: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    out = background.copy()
    h, w = patch.shape[:2]
    y = int(rng.integers(0, background.shape[0] - h + 1))
    x = int(rng.integers(0, background.shape[1] - w + 1))
    out[y : y + h, x : x + w] = patch
    return out


def scene(rng: np.random.Generator, width: int = 640, height: int = 480) -> np.ndarray:
    """A cluttered grayscale counter-top: boxes, lines, printed text, sensor noise."""
    image = np.full((height, width), int(rng.integers(90, 200)), np.uint8)
    for _ in range(25):
        shade = int(rng.integers(0, 255))
        p1 = (int(rng.integers(0, width)), int(rng.integers(0, height)))
        p2 = (int(rng.integers(0, width)), int(rng.integers(0, height)))
        kind = int(rng.integers(0, 3))
        if kind == 0:
            cv2.rectangle(image, p1, p2, shade, -1)
        elif kind == 1:
            cv2.line(image, p1, p2, shade, int(rng.integers(1, 6)))
        else:
            scale = float(rng.uniform(0.4, 1.5))
            cv2.putText(image, "Oud Royal 100ml AED 450", p1, cv2.FONT_HERSHEY_SIMPLEX, scale, shade, 2)
    noisy = image + rng.normal(0, 6, image.shape)
    return cv2.GaussianBlur(np.clip(noisy, 0, 255).astype(np.uint8), (0, 0), 1.0)


def scene_frames(count: int, *, seed: int = 1) -> list[tuple[str | None, np.ndarray]]:
    """``count`` 640×480 BGR camera-like frames; every other one shows a card's QR at one of several sizes."""
    rng = np.random.default_rng(seed)
    codes = random.Random(seed)
    frames: list[tuple[str | None, np.ndarray]] = []
    for i in range(count):
        gray = scene(rng)
        code = None
        if i % 2 == 0:
            code = sample_code(codes)
            gray = place(gray, qr_image(qr_payload(code), (2, 3, 4, 5, 7)[(i // 2) % 5]), rng)
        frames.append((code, cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)))
    return frames


def _centered(patch: np.ndarray, background: int = 200) -> np.ndarray:
    image = np.full((480, 640), background, np.uint8)
    h, w = patch.shape
    y, x = (480 - h) // 2, (640 - w) // 2
    image[y : y + h, x : x + w] = patch
    return image


DAMAGE_KINDS = ("rotation", "perspective", "blur", "low-contrast", "noise", "jpeg", "small")


def damaged_set(per_kind: int = 20, *, seed: int = 7) -> list[tuple[str, str, np.ndarray]]:
    """``(kind, code, grayscale 640×480 image)`` of QR codes damaged the ways a till camera damages them.

    The strengths are chosen so that neither decoder reads everything: the set measures, it does not flatter.
    """
    rng = np.random.default_rng(seed)
    codes = random.Random(seed)
    items: list[tuple[str, str, np.ndarray]] = []
    src = np.array([[0, 0], [640, 0], [640, 480], [0, 480]], dtype=np.float32)
    for _ in range(per_kind):
        for kind in DAMAGE_KINDS:
            code = sample_code(codes)
            payload = qr_payload(code)
            base = _centered(qr_image(payload, int(rng.integers(3, 6))))
            if kind == "rotation":
                matrix = cv2.getRotationMatrix2D((320, 240), float(rng.uniform(10, 80)), 1.0)
                image = cv2.GaussianBlur(cv2.warpAffine(base, matrix, (640, 480), borderValue=200), (0, 0), 1.2)
            elif kind == "perspective":
                # The card seen at an angle: one edge nearer the lens than the opposite one.
                tx, ty = float(rng.uniform(0.45, 0.75)), float(rng.uniform(0.0, 0.35))
                dst = np.array(
                    [[0, 240 * tx], [640, 240 * ty], [640 - 320 * ty, 480 - 240 * ty], [320 * tx, 480 - 240 * tx]],
                    dtype=np.float32,
                )
                matrix = cv2.getPerspectiveTransform(src, dst)
                image = cv2.warpPerspective(base, matrix, (640, 480), borderValue=200)
            elif kind == "blur":
                image = cv2.GaussianBlur(base, (0, 0), float(rng.uniform(1.5, 3.5)))
            elif kind == "low-contrast":
                low = int(rng.integers(60, 160))
                high = low + int(rng.integers(12, 40))
                image = (base.astype(np.float32) / 255 * (high - low) + low).astype(np.uint8)
            elif kind == "noise":
                noisy = base + rng.normal(0, float(rng.uniform(50, 110)), base.shape)
                image = np.clip(noisy, 0, 255).astype(np.uint8)
            elif kind == "jpeg":
                quality = int(rng.integers(1, 6))
                ok, buffer = cv2.imencode(
                    ".jpg", cv2.GaussianBlur(base, (0, 0), 0.8), [cv2.IMWRITE_JPEG_QUALITY, quality]
                )
                decoded = cv2.imdecode(buffer, cv2.IMREAD_GRAYSCALE)
                assert ok and decoded is not None
                image = decoded
            else:  # small: one or two pixels per module, slightly out of focus
                small = _centered(qr_image(payload, int(rng.integers(1, 3))))
                image = cv2.GaussianBlur(small, (0, 0), float(rng.uniform(0.4, 0.9)))
            items.append((kind, code, image))
    return items


def pipeline(gray: np.ndarray) -> list[str]:
    return decode_frame(gray)


@dataclass(frozen=True, slots=True)
class ReadRate:
    name: str
    read: int
    total: int
    by_kind: dict[str, int]

    @property
    def rate(self) -> float:
        return self.read / self.total if self.total else 0.0


def read_rates(
    items: Sequence[tuple[str, str, np.ndarray]], decoders: dict[str, Callable[[np.ndarray], list[str]]]
) -> list[ReadRate]:
    """How many images of ``items`` each decoder reads correctly (the expected code's payload)."""
    rates = []
    for name, decode in decoders.items():
        by_kind = dict.fromkeys(DAMAGE_KINDS, 0)
        read = 0
        for kind, code, image in items:
            if qr_payload(code) in decode(image):
                read += 1
                by_kind[kind] = by_kind.get(kind, 0) + 1
        rates.append(ReadRate(name, read, len(items), by_kind))
    return rates


# --- the command ---------------------------------------------------------------------------------------------


def parse_source(text: str) -> int | str:
    """A camera index ("0", "1") as int; anything else (a file path or stream URL) unchanged."""
    stripped = text.strip()
    return int(stripped) if stripped.isdigit() else stripped


def _describe(read: Read) -> str:
    if read.ours:
        return f"ours     {read.code}"
    shown = read.text if len(read.text) <= 60 else read.text[:57] + "..."
    return f"foreign  {shown!r}"


def _frames(capture: cv2.VideoCapture, limit: int | None, seconds: float | None) -> Iterator[np.ndarray]:
    start = time.monotonic()
    count = 0
    while limit is None or count < limit:
        if seconds is not None and time.monotonic() - start >= seconds:
            return
        ok, frame = capture.read()
        if not ok:
            return
        count += 1
        yield frame


def _self_test(per_kind: int, out: TextIO) -> int:
    items = damaged_set(per_kind)
    rates = read_rates(items, {"zxing alone": zxing_alone, "zbar alone": zbar_alone, "pipeline": pipeline})
    print(f"damaged set: {len(items)} images, {per_kind} of each kind: {', '.join(DAMAGE_KINDS)}", file=out)
    for r in rates:
        kinds = "  ".join(f"{k} {v}" for k, v in r.by_kind.items())
        print(f"  {r.name:12s} {r.read:4d}/{r.total} = {100 * r.rate:5.1f} %   ({kinds})", file=out)
    best_single = max(r.read for r in rates[:2])
    return EXIT_READ if rates[2].read >= best_single and rates[2].read > 0 else EXIT_NOTHING


def run_diagnostics(argv: list[str], *, out: TextIO | None = None) -> int:
    """Entry point of ``main.py diagnose``; returns the process exit status."""
    out = out or sys.stdout
    parser = argparse.ArgumentParser(
        prog="diagnose",
        description="Decode QR codes from an image, a video file, a camera index or a stream URL and report "
        "what the gift-card scanner reads.",
    )
    parser.add_argument("source", nargs="?", help="image file, video file, camera index (0, 1, ...) or stream URL")
    parser.add_argument("--frames", type=int, default=None, help="stop after this many frames")
    parser.add_argument("--seconds", type=float, default=None, help="stop after this many seconds")
    parser.add_argument("--every", type=int, default=1, help="decode every n-th frame (default: every frame)")
    parser.add_argument("--thorough", action="store_true", help="run every fallback decoder on every frame")
    parser.add_argument("--quiet", action="store_true", help="print totals only")
    parser.add_argument("--self-test", action="store_true", help="decode generated damaged QR images instead")
    parser.add_argument("--per-kind", type=int, default=20, help="self-test images per kind of damage")
    args = parser.parse_args(argv)

    if args.self_test:
        return _self_test(args.per_kind, out)
    if args.source is None:
        parser.error("a source is required (or --self-test)")
    source = parse_source(args.source)
    is_image = isinstance(source, str) and Path(source).suffix.lower() in IMAGE_SUFFIXES
    decoder = Decoder(thorough=args.thorough or is_image)
    distinct: dict[str, int] = {}
    foreign: set[str] = set()

    def report(index: int, elapsed: float, reads: list[Read]) -> None:
        for read in reads:
            if read.code is not None:
                distinct[read.code] = distinct.get(read.code, 0) + 1
            else:
                foreign.add(read.text)
            if not args.quiet:
                print(f"frame {index:6d}  t={elapsed:7.2f}s  {read.decoder:16s} {_describe(read)}", file=out)

    start = time.monotonic()
    frames = 0
    if is_image:
        image = cv2.imread(str(source), cv2.IMREAD_UNCHANGED)
        if image is None:
            print(f"cannot read the image {source}", file=out)
            return EXIT_NO_SOURCE
        frames = 1
        report(1, 0.0, decoder.decode(image))
    else:
        capture = cv2.VideoCapture(source)
        if not capture.isOpened():
            print(f"cannot open {source!r} (no such camera, file or stream)", file=out)
            return EXIT_NO_SOURCE
        try:
            for frames, frame in enumerate(_frames(capture, args.frames, args.seconds), start=1):
                if (frames - 1) % max(args.every, 1) == 0:
                    report(frames, time.monotonic() - start, decoder.decode(frame))
        finally:
            capture.release()
    elapsed = time.monotonic() - start
    stats = decoder.stats
    print(
        f"frames {frames}, decoded {stats.frames}, with a symbol {stats.frames_with_symbols}, "
        f"our codes {len(distinct)} distinct ({stats.ours} reads), foreign {len(foreign)} distinct "
        f"({stats.foreign} reads)",
        file=out,
    )
    by_decoder = ", ".join(f"{k} {v}" for k, v in stats.by_decoder.most_common()) or "none"
    print(f"reads by stage: {by_decoder}", file=out)
    fps = frames / elapsed if elapsed > 0 else 0.0
    print(f"elapsed {elapsed:.2f}s, {fps:.1f} frames/s, decode {stats.mean_ms:.2f} ms/frame mean", file=out)
    for code, count in distinct.items():
        print(f"read {code} in {count} frames", file=out)
    return EXIT_READ if distinct else EXIT_NOTHING


if __name__ == "__main__":
    raise SystemExit(run_diagnostics(sys.argv[1:]))
