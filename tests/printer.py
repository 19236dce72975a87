"""A fake ESC/POS network printer on 127.0.0.1 that records every job's bytes, and a reader of what a job
asked: init, raster images (decoded back into a picture), feed and cut."""

from __future__ import annotations

import contextlib
import socket
import threading
from dataclasses import dataclass, field

from PIL import Image

ESC_INIT = b"\x1b@"
RASTER = b"\x1dv0"
FULL_CUT = b"\x1dV\x00"


class FakeNetworkPrinter:
    """Listens on a free loopback port (like a printer's TCP 9100); each connection is one job."""

    def __init__(self) -> None:
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(4)
        self.port = self._server.getsockname()[1]
        self.jobs: list[bytes] = []
        self._done = threading.Condition()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _addr = self._server.accept()
            except OSError:
                return
            data = bytearray()
            with conn:
                while chunk := conn.recv(65536):
                    data.extend(chunk)
            with self._done:
                self.jobs.append(bytes(data))
                self._done.notify_all()

    def wait_for_jobs(self, count: int, timeout: float = 10.0) -> list[bytes]:
        with self._done:
            self._done.wait_for(lambda: len(self.jobs) >= count, timeout)
        return list(self.jobs)

    def close(self) -> None:
        """The printer goes off: nothing listens on its port any more."""
        # A socket closed while a thread waits in accept() stays open until that call returns: shut it down.
        with contextlib.suppress(OSError):
            self._server.shutdown(socket.SHUT_RDWR)
        self._server.close()
        self._thread.join(5)


@dataclass
class Job:
    initialised: bool
    blocks: list[tuple[int, int, int]] = field(default_factory=list)  # (mode, width in bytes, height in dots)
    image: Image.Image | None = None
    cut: bool = False
    unknown: bytes = b""


def read_job(data: bytes) -> Job:
    """Walks the command stream: ESC @, then GS v 0 blocks (header m xL xH yL yH, then the dots), then the
    feed (ESC d n) and GS V 0. Anything else is kept in ``unknown``."""
    job = Job(initialised=data.startswith(ESC_INIT))
    at = len(ESC_INIT) if job.initialised else 0
    rows: list[bytes] = []
    width_bytes = 0
    unknown = bytearray()
    while at < len(data):
        if data.startswith(RASTER, at):
            mode = data[at + 3]
            width_bytes = data[at + 4] | data[at + 5] << 8
            height = data[at + 6] | data[at + 7] << 8
            start = at + 8
            body = data[start : start + width_bytes * height]
            rows.extend(body[i * width_bytes : (i + 1) * width_bytes] for i in range(height))
            job.blocks.append((mode, width_bytes, height))
            at = start + width_bytes * height
        elif data.startswith(b"\x1bd", at):
            at += 3
        elif data.startswith(FULL_CUT, at):
            job.cut = at + len(FULL_CUT) == len(data)
            at += len(FULL_CUT)
        else:
            unknown.append(data[at])
            at += 1
    job.unknown = bytes(unknown)
    if rows:
        # A set bit is a black dot; Pillow's "1" mode stores a set bit as white, so invert.
        packed = bytes(b ^ 0xFF for row in rows for b in row)
        job.image = Image.frombytes("1", (width_bytes * 8, len(rows)), packed)
    return job
