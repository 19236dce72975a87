"""Camera capture and QR reading off the GUI thread, and the widget that shows the live picture.

Typical use (what :class:`CameraView` does)::

    thread = QThread()
    worker = CameraWorker(0, debounce_s=3.0)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)  # quit is thread-safe
    worker.code_read.connect(on_code)           # canonical PO-XXXX-XXXX-XXXX
    thread.start()
    ...
    worker.stop()                               # from any thread; the loop ends within one frame
    thread.wait()

``run`` loops until :meth:`CameraWorker.stop`, the end of a video file, or a camera failure; it never touches a
widget. Each captured frame is emitted as a ``QImage`` that owns its pixels (a copy, so it outlives the
OpenCV buffer that the next ``read()`` reuses).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, QSize, Qt, QThread, Signal, Slot
from PySide6.QtGui import QCloseEvent, QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from ui.scan.decoder import Decoder, DecoderStats
from ui.widgets.plain import plain_labels

Source = int | str

# A camera that fails this many reads in a row is gone (unplugged, taken by another program); single failed
# reads happen on USB cameras and are ignored.
_MAX_FAILED_READS = 25


def parse_source(source: Source) -> Source:
    """A camera index given as text ("0") becomes an int; paths and stream URLs stay as they are."""
    if isinstance(source, str) and source.strip().isdigit():
        return int(source.strip())
    return source


def frame_to_qimage(frame: np.ndarray) -> QImage:
    """A QImage owning a copy of an OpenCV frame (BGR, BGRA or grayscale), no colour conversion pass."""
    if not frame.flags["C_CONTIGUOUS"]:
        frame = np.ascontiguousarray(frame)
    height, width = frame.shape[:2]
    if frame.ndim == 2:
        fmt = QImage.Format.Format_Grayscale8
    elif frame.shape[2] == 3:
        fmt = QImage.Format.Format_BGR888
    elif frame.shape[2] == 4:
        fmt = QImage.Format.Format_ARGB32  # OpenCV's BGRA is ARGB32 in little-endian memory order
    else:
        raise ValueError(f"not an image: shape {frame.shape}")
    view = QImage(frame.data, width, height, frame.strides[0], fmt)
    return view.copy()  # the view points into numpy memory; the copy owns its pixels


class _Debouncer:
    """Lets a text through once, then again only after it has been out of sight for ``seconds``."""

    def __init__(self, seconds: float, clock: Callable[[], float]) -> None:
        self.seconds = seconds
        self._clock = clock
        self._last_seen: dict[str, float] = {}

    def admit(self, text: str) -> bool:
        now = self._clock()
        last = self._last_seen.get(text)
        self._last_seen[text] = now  # seen again: it stays "in view"
        if len(self._last_seen) > 256:
            self._forget(now)
        return last is None or now - last >= self.seconds

    def _forget(self, now: float) -> None:
        self._last_seen = {t: s for t, s in self._last_seen.items() if now - s < self.seconds}


class CameraWorker(QObject):
    """Captures from ``cv2.VideoCapture(source)`` and reads gift-card QR codes, in the thread it is moved to.

    ``source``: a camera index, a stream URL or a video file path. ``debounce_s``: the same code is emitted
    again only after it has been out of view this long. ``decode_every``: decode one frame in n (the preview
    still gets every frame). ``stop_on_read``: stop after the first of our codes. ``pace``: hold a video file to
    its own frame rate like a live camera (default: only for files; a camera or stream paces itself).
    ``max_frames``: stop after this many frames (tests, diagnostics).
    """

    frame_ready = Signal(QImage)
    code_read = Signal(str)
    foreign_code = Signal(str)
    error = Signal(str)
    finished = Signal()

    def __init__(
        self,
        source: Source,
        *,
        debounce_s: float = 3.0,
        decode_every: int = 1,
        stop_on_read: bool = False,
        pace: bool | None = None,
        emit_frames: bool = True,
        max_frames: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.source = parse_source(source)
        self.decode_every = max(1, decode_every)
        self.stop_on_read = stop_on_read
        self.emit_frames = emit_frames
        self.max_frames = max_frames
        self._is_file = isinstance(self.source, str) and Path(self.source).is_file()
        self.pace = self._is_file if pace is None else pace
        self._clock = clock
        self._codes = _Debouncer(debounce_s, clock)
        self._foreign = _Debouncer(debounce_s, clock)
        self._stop = threading.Event()
        self.decoder = Decoder()
        self.frames = 0

    @property
    def stats(self) -> DecoderStats:
        return self.decoder.stats

    @property
    def stop_event(self) -> threading.Event:
        return self._stop

    def stop(self) -> None:
        """Ask the capture loop to end; safe from any thread, returns at once."""
        self._stop.set()

    @Slot()
    def run(self) -> None:
        capture: cv2.VideoCapture | None = None
        try:
            capture = self._open()
            if capture is not None:
                self._loop(capture)
        except Exception as exc:  # a worker thread must report, not die silently
            self.error.emit(
                QCoreApplication.translate("CameraWorker", "The camera stopped with an error: {error}").format(
                    error=exc
                ),
            )
        finally:
            if capture is not None:
                capture.release()
            self.finished.emit()

    def _open(self) -> cv2.VideoCapture | None:
        capture = cv2.VideoCapture(self.source)
        if not capture.isOpened():
            capture.release()
            if isinstance(self.source, int):
                message = QCoreApplication.translate(
                    "CameraWorker",
                    "Camera {camera} cannot be opened. Check that it is connected and not in use by another program.",
                ).format(camera=self.source)
            else:
                message = QCoreApplication.translate(
                    "CameraWorker", "The video source {source} cannot be opened."
                ).format(source=self.source)
            self.error.emit(message)
            return None
        if not self._is_file:
            # Keep only the newest frame queued: a slow decode must not make the preview lag behind.
            capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)
        return capture

    def _loop(self, capture: cv2.VideoCapture) -> None:
        fps = capture.get(cv2.CAP_PROP_FPS) if self.pace else 0.0
        period = 1.0 / fps if fps and fps > 0 else 0.0
        next_due = time.monotonic()
        failures = 0
        while not self._stop.is_set():
            if self.max_frames is not None and self.frames >= self.max_frames:
                return
            ok, frame = capture.read()
            if not ok or frame is None:
                if self._is_file:
                    return  # end of the video
                failures += 1
                if failures >= _MAX_FAILED_READS:
                    self.error.emit(QCoreApplication.translate("CameraWorker", "The camera stopped sending pictures."))
                    return
                time.sleep(0.02)
                continue
            failures = 0
            self.frames += 1
            if self.emit_frames:
                self.frame_ready.emit(frame_to_qimage(frame))
            if (self.frames - 1) % self.decode_every == 0 and self._decode(frame):
                return
            if period:
                next_due += period
                delay = next_due - time.monotonic()
                if delay > 0:
                    self._stop.wait(delay)
                else:
                    next_due = time.monotonic()

    def _decode(self, frame: np.ndarray) -> bool:
        """Emits what the frame shows; True when the loop should end (``stop_on_read``)."""
        for read in self.decoder.decode(frame):
            if read.code is not None:
                if self._codes.admit(read.code):
                    self.code_read.emit(read.code)
                    if self.stop_on_read:
                        self._stop.set()
                        return True
            elif self._foreign.admit(read.text):
                self.foreign_code.emit(read.text)
        return False


_LIVE: dict[QThread, CameraWorker] = {}


class _Reaper(QObject):
    """Lives in the GUI thread and lets go of camera threads once they have really ended.

    The last reference to a QThread must not be dropped inside its own ``finished`` signal (the thread is
    still running then, and destroying it aborts the process); this slot runs queued, afterwards.
    """

    @Slot()
    def reap(self) -> None:
        for thread in [t for t in _LIVE if t.isFinished()]:
            thread.wait()
            del _LIVE[thread]

    @Slot()
    def stop_all(self) -> None:
        stop_all_cameras()


_reaper: _Reaper | None = None


def _keep_until_finished(thread: QThread, worker: CameraWorker) -> None:
    """Holds camera threads until they end, and stops them all when the application quits."""
    global _reaper
    if _reaper is None:
        _reaper = _Reaper()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(_reaper.stop_all)
    _LIVE[thread] = worker
    thread.finished.connect(_reaper.reap)


def stop_all_cameras(timeout_ms: int = 3000) -> None:
    """Stops every camera started by a :class:`CameraView` and waits for their threads (at quit)."""
    live = list(_LIVE.items())
    for _, worker in live:
        worker.stop_event.set()
    for thread, _ in live:
        thread.wait(timeout_ms)


class CameraView(QWidget):
    """Live camera preview with a start/stop API; re-emits what the worker reads.

    The capture and decoding run in a QThread owned by this view; the GUI thread only scales and shows frames.
    """

    code_read = Signal(str)
    foreign_code = Signal(str)
    error = Signal(str)
    running_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._preview = QLabel(self)
        self._preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._preview.setMinimumSize(QSize(160, 120))
        self._preview.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self._preview.setStyleSheet("background: #111; color: #ddd;")
        self._status = QLabel(self)
        self._status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._preview, 1)
        layout.addWidget(self._status)
        self._thread: QThread | None = None
        self._worker: CameraWorker | None = None
        self._last_image: QImage | None = None
        self._failed = False
        self.frames_shown = 0
        # Stops the current capture without touching Qt objects, so it is safe while this view is destroyed.
        self._stop_current: list[Callable[[], None]] = [lambda: None]
        stop_current = self._stop_current
        self.destroyed.connect(lambda *_: stop_current[0]())
        self._set_idle_text()
        plain_labels(self)

    # -- public API -------------------------------------------------------------------------------------------

    def start(self, source: Source = 0, **options: object) -> CameraWorker:
        """Start capturing from ``source`` (options as for :class:`CameraWorker`); restarts if running."""
        self.stop(wait=True)
        worker = CameraWorker(source, **options)  # type: ignore[arg-type]
        thread = QThread()  # no parent: if this view is deleted first, the thread still ends cleanly
        thread.setObjectName("camera")
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        # Direct: quitting must not wait for the GUI thread, which may be blocked in stop(wait=True).
        worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        worker.finished.connect(worker.deleteLater)
        _keep_until_finished(thread, worker)
        self._stop_current[0] = worker.stop_event.set  # plain Python: fine after the worker is deleted
        worker.frame_ready.connect(self._show_frame)
        worker.code_read.connect(self._on_code)
        worker.foreign_code.connect(self._on_foreign)
        worker.error.connect(self._on_error)
        thread.finished.connect(self._on_thread_finished)
        self._thread, self._worker = thread, worker
        self.frames_shown = 0
        self._failed = False
        self._status.setText(self.tr("Starting the camera…"))
        thread.start()
        self.running_changed.emit(True)
        return worker

    def stop(self, *, wait: bool = False, timeout_ms: int = 3000) -> None:
        """Ask the camera to stop; with ``wait``, block until its thread has ended (at most ``timeout_ms``)."""
        thread = self._thread
        self._stop_current[0]()
        if wait and thread is not None:
            thread.wait(timeout_ms)
            self._on_thread_finished()

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    @property
    def worker(self) -> CameraWorker | None:
        return self._worker

    # -- slots ------------------------------------------------------------------------------------------------

    @Slot(QImage)
    def _show_frame(self, image: QImage) -> None:
        self._last_image = image
        self.frames_shown += 1
        if self.frames_shown == 1:
            self._status.setText(self.tr("Hold the gift card's QR code in front of the camera."))
        self._render()

    def _render(self) -> None:
        if self._last_image is None:
            return
        pixmap = QPixmap.fromImage(self._last_image)
        self._preview.setPixmap(
            pixmap.scaled(
                self._preview.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation
            )
        )

    @Slot(str)
    def _on_code(self, code: str) -> None:
        self._status.setText(self.tr("Read gift card {code}").format(code=code))
        self.code_read.emit(code)

    @Slot(str)
    def _on_foreign(self, text: str) -> None:
        self._status.setText(self.tr("This QR code is not one of our gift cards."))
        self.foreign_code.emit(text)

    @Slot(str)
    def _on_error(self, message: str) -> None:
        self._failed = True
        self._status.setText(message)
        self.error.emit(message)

    @Slot()
    def _on_thread_finished(self) -> None:
        if self._thread is None:
            return
        if self._thread.isRunning():
            return
        self._thread, self._worker = None, None
        if not self._failed:  # an error stays on screen: it says what to fix
            self._status.setText(self.tr("The camera is off."))
        self.running_changed.emit(False)

    def _set_idle_text(self) -> None:
        self._preview.setText(self.tr("No camera picture"))
        self._status.setText(self.tr("The camera is off."))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._render()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop(wait=True)
        super().closeEvent(event)
