"""A customer with a long history is exported in bounded memory: the records stream from the store to both
files. The growth allowed is set under what reading the whole history first takes, which the test measures
too, so it fails if the export ever starts collecting records (benchmarks/bench_export.py: 100,000 events)."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from core.privacy.export import JsonExportWriter
from core.staff.auth import Role
from storage.bootstrap import Services
from tests.conftest import actor_for
from tests.export_world import add_events, customer_with_everything
from ui.privacy.pdf import PdfExportWriter, arabic_catalogue

EVENTS = 10_000
MB = 1024 * 1024
STREAMED_LIMIT_MB = 5.0


@pytest.mark.heavy
def test_a_long_history_is_exported_in_bounded_memory(qapp, services: Services, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    manager = actor_for(services, Role.MANAGER)
    world = customer_with_everything(services, manager)
    add_events(services, manager, world.customer_id, EVENTS)
    arabic = arabic_catalogue()
    export = services.customer_export
    now = services.clock.now()

    # Warm up once (SQL compiled, fonts loaded): what stays is not the export's growth.
    with (tmp_path / "warm.json").open("w", encoding="utf-8") as out:
        export.export(manager, world.customer_id, [JsonExportWriter(out, now, "t")])

    tracemalloc.start()
    everything = list(export.stream(manager, world.customer_id))
    whole_mb = tracemalloc.get_traced_memory()[1] / MB
    tracemalloc.stop()
    assert len(everything) > EVENTS
    del everything

    tracemalloc.start()
    with (tmp_path / "export.json").open("w", encoding="utf-8") as out:
        pdf = PdfExportWriter(tmp_path / "export.pdf", now, "t", arabic)
        summary = export.export(manager, world.customer_id, [JsonExportWriter(out, now, "t"), pdf])
    streamed_mb = tracemalloc.get_traced_memory()[1] / MB
    tracemalloc.stop()

    assert summary.records > EVENTS
    assert whole_mb > 2 * STREAMED_LIMIT_MB, f"reading it all first took only {whole_mb:.1f} MB"
    assert streamed_mb < STREAMED_LIMIT_MB, f"the streamed export peaked at {streamed_mb:.1f} MB"
    doc = json.loads((tmp_path / "export.json").read_text(encoding="utf-8"))
    assert sum(len(doc[name]) for name in summary.counts) == summary.records
    assert (tmp_path / "export.pdf").stat().st_size > 100_000
