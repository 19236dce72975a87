"""Search as you type on the customers page: at once after a pause, one search at a time, never a stale list."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from core.customers.model import CustomerSummary
from storage.bootstrap import Services
from ui.ops import wait_for_background
from ui.pages.customers.page import CustomersPage


@pytest.fixture
def page(qtbot, services: Services) -> CustomersPage:  # type: ignore[no-untyped-def]
    page = CustomersPage(services)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    return page


def _shown(page: CustomersPage) -> list[list[str]]:
    """Every list the table is given, in order (the model is reset once per list)."""
    lists: list[list[str]] = []
    page.results.modelReset.connect(lambda: lists.append([r.number for r in page.results.rows]))
    return lists


def _gated(services: Services, slow_text: str) -> tuple[threading.Event, list[str], Callable[[str], object]]:
    """The real search, except that ``slow_text`` waits for the returned event: a slow older query."""
    release = threading.Event()
    asked: list[str] = []
    real = services.customers.search

    def search(text: str) -> list[CustomerSummary]:
        asked.append(text)
        if text == slow_text:
            assert release.wait(10)
        return real(text)

    return release, asked, search


def test_an_older_slow_answer_never_replaces_the_newer_one(qtbot, page: CustomersPage, services: Services) -> None:  # type: ignore[no-untyped-def]
    newer = [c.number for c in services.customers.search("moh")]
    older = [c.number for c in services.customers.search("a")]
    assert newer and older and newer != older
    release, asked, search = _gated(services, "a")
    services.customers.search = search  # type: ignore[method-assign]
    shown = _shown(page)

    page.search.setText("a")  # the first key: searched at once, and slow
    qtbot.waitUntil(lambda: asked == ["a"], timeout=2000)
    page.search.setText("moh")  # typed while "a" is still running
    qtbot.wait(150)
    assert asked == ["a"], "one search at a time: 'moh' waits for 'a' instead of queueing beside it"
    assert page.searching()
    release.set()
    qtbot.waitUntil(lambda: not page.searching(), timeout=3000)
    wait_for_background()
    assert asked == ["a", "moh"]
    assert shown == [newer], "the answer for 'a' came after 'moh' was typed: dropped, never shown"
    assert [r.number for r in page.results.rows] == newer


def test_a_slow_search_overtaken_by_a_fast_one_on_the_pool(qtbot, page: CustomersPage, services: Services) -> None:  # type: ignore[no-untyped-def]
    """Even when an older search finishes after a newer one (both started at once), only the newer shows."""
    newer = [c.number for c in services.customers.search("moh")]
    release, asked, search = _gated(services, "a")
    services.customers.search = search  # type: ignore[method-assign]
    shown = _shown(page)
    page.search.setText("a")
    qtbot.waitUntil(lambda: asked == ["a"], timeout=2000)
    # A second search started while the first runs, as a second page or a reset would: the pool runs both.
    page._typeahead._running = False
    page.search.setText("moh")
    qtbot.waitUntil(lambda: shown == [newer], timeout=3000)
    release.set()
    wait_for_background()
    qtbot.wait(100)
    assert shown == [newer]


def test_a_key_after_a_pause_searches_at_once_and_a_burst_waits(qtbot, page: CustomersPage, services: Services) -> None:  # type: ignore[no-untyped-def]
    _release, asked, search = _gated(services, "")
    services.customers.search = search  # type: ignore[method-assign]
    page.search.setText("m")
    assert not page._debounce.isActive(), "the first key does not wait"
    qtbot.waitUntil(lambda: asked == ["m"], timeout=2000)
    wait_for_background()
    qtbot.wait(80)  # a pause
    page.search.setText("mo")
    assert not page._debounce.isActive(), "a key after a pause does not wait"
    qtbot.waitUntil(lambda: asked == ["m", "mo"], timeout=2000)
    wait_for_background()
    qtbot.wait(80)
    page.search.setText("moh")  # a burst: three keys within a few milliseconds
    page.search.setText("moha")
    page.search.setText("moham")
    assert page._debounce.isActive(), "keys in a burst wait for it to end"
    qtbot.waitUntil(lambda: not page.searching(), timeout=2000)
    wait_for_background()
    assert asked[2:] in (["moh", "moham"], ["moham"]), asked
    assert all(r.name_en.lower().startswith("moham") for r in page.results.rows)
    assert page.results.rows
