"""The scanning pipeline end to end: real QR images, a real video file, the real CameraWorker in a QThread."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import gc
import io
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, SignalInstance, Slot
from PySide6.QtGui import QImage

from core.giftcards.codes import qr_payload
from ui.scan.camera import CameraView, CameraWorker, frame_to_qimage, parse_source
from ui.scan.decoder import ZBAR, Decoder, decode_frame, pick_gift_card_codes, zbar_alone, zxing_alone
from ui.scan.diagnostics import damaged_set, qr_image, read_rates, run_diagnostics, sample_code
from ui.scan.till_frames import HEIGHT, WIDTH, till_frame

pytestmark = pytest.mark.integration

FPS = 30
BACKGROUND_BGR = (40, 90, 200)  # orange-ish: BGR/RGB mix-ups show in the preview test
FOREIGN = "WIFI:S:BranchGuest;T:WPA;P:not-a-card;;"
CODES = [sample_code(random.Random(seed)) for seed in (101, 202)]
CODE_A, CODE_B = CODES


def frame_with(text: str | None, module_px: int = 5) -> np.ndarray:
    frame = np.zeros((480, 640, 3), np.uint8)
    frame[:] = BACKGROUND_BGR
    if text is not None:
        qr = qr_image(text, module_px)
        h, w = qr.shape
        y, x = (480 - h) // 2, (640 - w) // 2
        frame[y : y + h, x : x + w] = qr[:, :, None]
    return frame


# The film: blank, card A held for a third of a second, blank, card B, blank, card A again, blank, a foreign QR.
SCRIPT: list[tuple[str | None, int]] = [
    (None, 5),
    (qr_payload(CODE_A), 10),
    (None, 5),
    (qr_payload(CODE_B), 10),
    (None, 5),
    (qr_payload(CODE_A), 10),
    (None, 5),
    (FOREIGN, 10),
    (None, 5),
]
TOTAL_FRAMES = sum(n for _, n in SCRIPT)


def write_video(path: Path, script: list[tuple[str | None, int]]) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), FPS, (640, 480))
    assert writer.isOpened()
    for text, count in script:
        frame = frame_with(text)
        for _ in range(count):
            writer.write(frame)
    writer.release()
    return path


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_video(tmp_path_factory.mktemp("scan") / "counter.avi", SCRIPT)


class Collector(QObject):
    """Lives in the GUI thread, so the worker's signals reach it queued, as they reach a real window."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[QImage] = []
        self.image_times: list[float] = []
        self.codes: list[str] = []
        self.foreign: list[str] = []
        self.errors: list[str] = []

    @Slot(QImage)
    def on_frame(self, image: QImage) -> None:
        self.images.append(image)
        self.image_times.append(time.monotonic())

    @Slot(str)
    def on_code(self, code: str) -> None:
        self.codes.append(code)

    @Slot(str)
    def on_foreign(self, text: str) -> None:
        self.foreign.append(text)

    @Slot(str)
    def on_error(self, message: str) -> None:
        self.errors.append(message)


class _Relay(QObject):
    """Lives in the test's (main) thread: a worker thread's signal reaches it queued, through the event loop."""

    fired = Signal()


_RELAYS: list[_Relay] = []


def in_main_thread(signal: SignalInstance) -> SignalInstance:
    """``signal`` of a worker thread, re-emitted in the main thread. qtbot.waitSignal on the worker's own
    signal runs its slot (a plain Python callable) in the worker thread, which can stop the blocker's timer and
    quit its loop from there just before the loop starts: the wait then never ends."""
    relay = _Relay()
    _RELAYS.append(relay)
    signal.connect(relay.fired)
    return relay.fired


@pytest.fixture
def start_worker(qtbot) -> Iterator:  # type: ignore[no-untyped-def]
    threads: list[QThread] = []

    def start(worker: CameraWorker) -> Collector:
        collector = Collector()
        thread = QThread()
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        worker.frame_ready.connect(collector.on_frame)
        worker.code_read.connect(collector.on_code)
        worker.foreign_code.connect(collector.on_foreign)
        worker.error.connect(collector.on_error)
        threads.append(thread)
        thread.start()
        return collector

    yield start
    for thread in threads:
        thread.quit()
        assert thread.wait(5000)


def video_clock(worker_ref: list[CameraWorker]):  # type: ignore[no-untyped-def]
    """The worker's clock is the film's own time: debouncing becomes exact and independent of machine speed."""
    return lambda: worker_ref[0].frames / FPS


def test_worker_reads_each_card_once_per_appearance_and_reports_the_foreign_qr(
    qtbot, start_worker, video: Path
) -> None:  # type: ignore[no-untyped-def]
    ref: list[CameraWorker] = []
    worker = CameraWorker(str(video), debounce_s=0.25, pace=False, clock=video_clock(ref))
    ref.append(worker)
    with qtbot.waitSignal(in_main_thread(worker.finished), timeout=20_000):
        collector = start_worker(worker)
    qtbot.waitUntil(lambda: len(collector.images) == TOTAL_FRAMES, timeout=5000)
    assert collector.errors == []
    # Each appearance gives one read: A, B, then A again after it had left the picture for half a second.
    assert collector.codes == [CODE_A, CODE_B, CODE_A]
    assert all(a != b for a, b in zip(collector.codes, collector.codes[1:], strict=False))
    assert collector.foreign == [FOREIGN]
    assert worker.frames == TOTAL_FRAMES
    assert worker.stats.frames == TOTAL_FRAMES


def test_long_debounce_never_repeats_a_code(qtbot, start_worker, video: Path) -> None:  # type: ignore[no-untyped-def]
    ref: list[CameraWorker] = []
    worker = CameraWorker(str(video), debounce_s=60, pace=False, decode_every=2, clock=video_clock(ref))
    ref.append(worker)
    with qtbot.waitSignal(in_main_thread(worker.finished), timeout=20_000):
        collector = start_worker(worker)
    assert collector.codes == [CODE_A, CODE_B]
    assert worker.stats.frames == (TOTAL_FRAMES + 1) // 2  # every other frame decoded


@pytest.mark.camera_thread
def test_frames_arrive_as_qimages_at_camera_rate_without_blocking_the_gui(qtbot, start_worker, video: Path) -> None:  # type: ignore[no-untyped-def]
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    worker = CameraWorker(str(video), max_frames=36)  # paced to the file's 30 fps, like a live camera
    with qtbot.waitSignal(in_main_thread(worker.finished), timeout=20_000):
        collector = start_worker(worker)
    qtbot.waitUntil(lambda: len(collector.images) == 36, timeout=5000)
    timer.stop()

    image = collector.images[0]
    assert isinstance(image, QImage)
    assert not image.isNull()
    assert (image.width(), image.height()) == (640, 480)
    pixel = image.pixelColor(5, 5)  # the background is BGR (40, 90, 200) → RGB (200, 90, 40)
    assert abs(pixel.red() - 200) < 12 and abs(pixel.green() - 90) < 12 and abs(pixel.blue() - 40) < 12

    elapsed = collector.image_times[-1] - collector.image_times[0]
    fps = (len(collector.image_times) - 1) / elapsed
    assert fps >= 15, fps
    # The GUI thread kept running its timers while the worker captured and decoded.
    gaps = np.diff(ticks)
    assert len(ticks) > 0.5 * elapsed / 0.010
    assert gaps.max() < 0.25


@pytest.mark.camera_thread
def test_hours_of_preview_do_not_exhaust_the_reference_count_of_true(qtbot, start_worker, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # PySide6 6.12.0 drops a reference to True on every emit(); unchecked, 30 frames/s aborts the app in minutes.
    long_video = write_video(tmp_path / "preview.avi", [(None, 150)])
    gc.collect()
    before = sys.getrefcount(True)
    worker = CameraWorker(str(long_video), pace=False)
    with qtbot.waitSignal(in_main_thread(worker.finished), timeout=20_000):
        collector = start_worker(worker)
    qtbot.waitUntil(lambda: len(collector.images) == 150, timeout=5000)
    gc.collect()
    assert sys.getrefcount(True) > before - 20


def test_qimage_owns_its_pixels() -> None:
    frame = frame_with(None)
    image = frame_to_qimage(frame)
    frame[:] = 0  # the next capture overwrites OpenCV's buffer
    del frame
    assert image.pixelColor(0, 0).red() > 150
    gray = frame_to_qimage(np.full((4, 6), 77, np.uint8))
    assert gray.format() == QImage.Format.Format_Grayscale8 and gray.pixelColor(1, 1).red() == 77
    bgra = np.zeros((4, 6, 4), np.uint8)
    bgra[:] = (10, 20, 30, 255)
    color = frame_to_qimage(bgra).pixelColor(0, 0)
    assert (color.red(), color.green(), color.blue()) == (30, 20, 10)


def test_stop_on_read_ends_after_the_first_code(qtbot, start_worker, video: Path) -> None:  # type: ignore[no-untyped-def]
    worker = CameraWorker(str(video), stop_on_read=True, pace=False)
    with qtbot.waitSignal(in_main_thread(worker.finished), timeout=20_000):
        collector = start_worker(worker)
    assert collector.codes == [CODE_A]
    assert worker.frames < 10


@pytest.mark.camera_thread
def test_stop_from_the_gui_thread_ends_the_loop_promptly(qtbot, start_worker, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    long_video = write_video(tmp_path / "long.avi", [(None, 300)])  # ten seconds at 30 fps
    worker = CameraWorker(str(long_video))
    collector = start_worker(worker)
    qtbot.waitUntil(lambda: len(collector.images) >= 3, timeout=5000)
    stopped_at = time.monotonic()
    with qtbot.waitSignal(in_main_thread(worker.finished), timeout=2000):
        worker.stop()
        worker.stop()  # idempotent
    assert time.monotonic() - stopped_at < 1.0
    assert worker.frames < 300


def test_a_source_that_cannot_be_opened_reports_an_error(qtbot, start_worker, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    worker = CameraWorker(str(tmp_path / "missing.avi"))
    with qtbot.waitSignal(in_main_thread(worker.finished), timeout=5000):
        collector = start_worker(worker)
    qtbot.waitUntil(lambda: bool(collector.errors), timeout=2000)
    assert "cannot be opened" in collector.errors[0]
    assert collector.images == []

    camera = CameraWorker(97)  # no such camera on a test machine
    with qtbot.waitSignal(in_main_thread(camera.finished), timeout=5000):
        collector = start_worker(camera)
    qtbot.waitUntil(lambda: bool(collector.errors), timeout=2000)
    assert collector.errors[0].startswith("Camera 97 cannot be opened")


@pytest.mark.camera_thread
def test_camera_view_shows_the_preview_and_reemits_codes(qtbot, video: Path) -> None:  # type: ignore[no-untyped-def]
    view = CameraView()
    qtbot.addWidget(view)
    view.resize(400, 320)
    view.show()
    assert not view.is_running()
    with qtbot.waitSignal(view.code_read, timeout=10_000) as blocker:
        view.start(str(video), pace=False)
    assert blocker.args == [CODE_A]
    qtbot.waitUntil(lambda: view.frames_shown > 0, timeout=5000)
    assert view._preview.pixmap() is not None and not view._preview.pixmap().isNull()
    states: list[bool] = []
    view.running_changed.connect(states.append)
    view.stop(wait=True)  # the short film may already be over: stopping then is harmless
    assert not view.is_running()
    qtbot.waitUntil(lambda: False in states or view.worker is None, timeout=2000)

    errors: list[str] = []
    view.error.connect(errors.append)
    view.start(str(video) + ".missing")
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    view.stop(wait=True)
    assert not view.is_running()
    assert "cannot be opened" in view._status.text()


@pytest.mark.camera_thread
def test_deleting_a_running_camera_view_stops_its_thread(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from ui.scan import camera as module

    long_video = write_video(tmp_path / "long.avi", [(None, 300)])
    view = CameraView()
    view.start(str(long_video))
    qtbot.waitUntil(lambda: view.frames_shown >= 2, timeout=5000)
    assert module._LIVE
    view.deleteLater()  # the page holding the camera goes away without stopping it
    qtbot.waitUntil(lambda: not module._LIVE, timeout=3000)
    # At quit every camera still running is stopped and waited for.
    again = CameraView()
    qtbot.addWidget(again)
    again.start(str(long_video))
    qtbot.waitUntil(lambda: again.frames_shown >= 1, timeout=5000)
    module.stop_all_cameras()
    assert not again.is_running()


def test_parse_source() -> None:
    assert parse_source("0") == 0
    assert parse_source(" 2 ") == 2
    assert parse_source("rtsp://10.0.0.5/stream") == "rtsp://10.0.0.5/stream"
    assert parse_source(1) == 1


# Frames of a till-camera set (small, tilted, blurred codes on the cards' artwork, glare, low contrast) that
# zxing alone does not read: two with a located symbol or a dim picture, four with nothing located at all.
HARD_SEED, HARD_FRAMES = 4242, (18, 30, 34, 37, 73, 79)


def test_camera_reads_hard_frames_zxing_misses_and_never_a_wrong_code(qtbot, start_worker, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    frames = [till_frame(HARD_SEED, i) for i in HARD_FRAMES]
    counter = np.full((HEIGHT, WIDTH, 3), (60, 90, 120), np.uint8)
    path = tmp_path / "hard.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), FPS, (WIDTH, HEIGHT))
    assert writer.isOpened()
    for frame in frames:  # each card held up for a quarter of a second, the bare counter between
        for _ in range(8):
            writer.write(frame.image)
        for _ in range(4):
            writer.write(counter)
    writer.release()
    # What zxing alone reads in the film, frame by frame as the camera worker gets them.
    capture = cv2.VideoCapture(str(path))
    bare: set[str] = set()
    while True:
        ok, image = capture.read()
        if not ok:
            break
        bare.update(zxing_alone(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)))
    capture.release()

    ref: list[CameraWorker] = []
    worker = CameraWorker(str(path), debounce_s=60, pace=False, emit_frames=False, clock=video_clock(ref))
    ref.append(worker)
    # No wall-clock cut-off of the recovery passes here: what is read must not depend on how busy the test
    # machine is. The search share and the following of located symbols are the camera's own.
    worker.decoder = Decoder(budget_s=None)
    with qtbot.waitSignal(in_main_thread(worker.finished), timeout=30_000):
        collector = start_worker(worker)
    assert collector.errors == []
    expected = {frame.code for frame in frames}
    assert set(collector.codes) <= expected, "a code that is not on any card was reported"
    assert collector.foreign == []
    assert len(set(collector.codes)) >= 3, (collector.codes, bare)
    assert len(set(collector.codes)) >= len(bare) + 1, (collector.codes, bare)


# --- the decoder without Qt ---------------------------------------------------------------------------------


def test_decode_frame_accepts_bgr_bgra_and_gray() -> None:
    bgr = frame_with(qr_payload(CODE_A))
    gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    bgra = cv2.cvtColor(bgr, cv2.COLOR_BGR2BGRA)
    for frame in (bgr, gray, bgra):
        assert decode_frame(frame) == [qr_payload(CODE_A)]
    assert decode_frame(frame_with(None)) == []
    with pytest.raises(ValueError):
        decode_frame(np.zeros((4, 4, 2), np.uint8))


def test_two_cards_in_one_frame() -> None:
    frame = np.full((480, 640), 200, np.uint8)
    frame[40 : 40 + 185, 20 : 20 + 185] = qr_image(qr_payload(CODE_A), 5)
    frame[240 : 240 + 185, 400 : 400 + 185] = qr_image(qr_payload(CODE_B), 5)
    picked = pick_gift_card_codes(decode_frame(frame))
    assert sorted(picked.codes) == sorted([CODE_A, CODE_B])
    assert picked.foreign == []


def test_pick_gift_card_codes_separates_ours_from_foreign() -> None:
    picked = pick_gift_card_codes(
        [qr_payload(CODE_A), FOREIGN, CODE_A.lower(), "https://example.com/menu", CODE_B, FOREIGN]
    )
    assert picked.codes == [CODE_A, CODE_B]
    assert picked.foreign == [FOREIGN, "https://example.com/menu"]


def test_decoder_statistics_and_reads() -> None:
    decoder = Decoder()
    reads = decoder.decode(frame_with(qr_payload(CODE_A)))
    assert [(r.code, r.ours, r.decoder) for r in reads] == [(CODE_A, True, "zxing")]
    reads = decoder.decode(frame_with(FOREIGN))
    assert reads[0].code is None and not reads[0].ours and reads[0].problem
    decoder.decode(frame_with(None))
    stats = decoder.stats
    assert (stats.frames, stats.frames_with_symbols, stats.ours, stats.foreign) == (3, 2, 1, 1)
    assert stats.mean_ms > 0


def test_low_contrast_card_is_read_after_the_stretch() -> None:
    frame = frame_with(qr_payload(CODE_B))
    gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY).astype(np.float32)
    faint = (gray / 255 * 22 + 110).astype(np.uint8)  # 22 grey levels between "black" and "white"
    assert zxing_alone(faint) == []
    assert decode_frame(faint) == [qr_payload(CODE_B)]


def test_pyzbar_is_the_last_resort_for_a_located_but_unreadable_symbol(monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.scan import decoder as module

    frame = frame_with(qr_payload(CODE_A))
    gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    # zxing fails in this scenario (pretend), having located a symbol: the fallbacks must run down to pyzbar.
    monkeypatch.setattr(module, "_zxing", lambda g, **kw: ([], [(100, 100, 300, 300)]))
    texts, stage = module.decode_gray(gray)
    assert (texts, stage) == ([qr_payload(CODE_A)], ZBAR)
    # Nothing located, contrast fine, not thorough: pyzbar is not run on an ordinary empty frame.
    monkeypatch.setattr(module, "_zxing", lambda g, **kw: ([], []))
    monkeypatch.setattr(module, "zbar_alone", lambda g: pytest.fail("pyzbar ran on an empty frame"))
    assert module.decode_gray(gray) == ([], None)


def test_pipeline_reads_at_least_as_many_damaged_codes_as_the_best_single_decoder() -> None:
    items = damaged_set(per_kind=8, seed=21)
    zxing, zbar, pipeline = read_rates(
        items, {"zxing": zxing_alone, "zbar": zbar_alone, "pipeline": lambda g: decode_frame(g)}
    )
    assert pipeline.read >= max(zxing.read, zbar.read)
    for kind, count in pipeline.by_kind.items():
        assert count >= max(zxing.by_kind[kind], zbar.by_kind[kind]), kind
    assert pipeline.read > 0.6 * len(items)


# --- diagnostics ---------------------------------------------------------------------------------------------


def test_diagnostics_on_an_image_a_video_and_a_missing_source(tmp_path: Path, video: Path) -> None:
    image = tmp_path / "card.png"
    cv2.imwrite(str(image), frame_with(qr_payload(CODE_B)))
    out = io.StringIO()
    assert run_diagnostics([str(image)], out=out) == 0
    assert CODE_B in out.getvalue() and "ours" in out.getvalue()

    out = io.StringIO()
    assert run_diagnostics([str(video)], out=out) == 0
    text = out.getvalue()
    assert CODE_A in text and CODE_B in text and "foreign" in text and "frames/s" in text
    assert f"frames {TOTAL_FRAMES}," in text

    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), frame_with(None))
    assert run_diagnostics([str(blank)], out=io.StringIO()) == 1
    assert run_diagnostics([str(tmp_path / "missing.avi")], out=io.StringIO()) == 2


def test_diagnostics_self_test(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_diagnostics(["--self-test", "--per-kind", "3"]) == 0
    assert "pipeline" in capsys.readouterr().out
