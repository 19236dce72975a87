"""The event bus on its own: which handlers run, in what order, and events raised while handling."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from core.kernel import bus as bus_module
from core.kernel.bus import EventBus
from core.kernel.events import CustomerRegistered, DomainEvent, SaleCompleted, TierUpgraded


@dataclass
class Events:
    """Just the part of a unit of work the bus needs."""

    events: list[DomainEvent] = field(default_factory=list)

    def raise_event(self, event: DomainEvent) -> None:
        self.events.append(event)

    def collect_new_events(self) -> Iterator[DomainEvent]:
        while self.events:
            yield self.events.pop(0)


def sale(number: str = "S-1") -> SaleCompleted:
    return SaleCompleted("o1", number, "c1", 10_000, 100, 0)


def test_each_event_goes_to_its_own_handlers_in_the_order_they_subscribed() -> None:
    seen: list[str] = []
    bus = EventBus(
        {SaleCompleted: [lambda e, _u: seen.append(f"receipt {e.order_number}")]},
        {SaleCompleted: [lambda e, _u: seen.append(f"survey {e.order_number}")]},
    )
    bus.subscribe(CustomerRegistered, lambda e, _u: seen.append(f"welcome {e.customer_id}"))
    source = Events([sale(), CustomerRegistered("c9"), TierUpgraded("c1", "bronze", "silver", 100, 1_100, None)])
    assert bus.handle(source) == 3
    assert seen == ["receipt S-1", "survey S-1", "welcome c9"]
    assert source.events == []


def test_a_handler_on_the_base_class_hears_every_event() -> None:
    seen: list[type[DomainEvent]] = []
    bus = EventBus({DomainEvent: [lambda e, _u: seen.append(type(e))]})
    bus.handle(Events([sale(), CustomerRegistered("c1")]))
    assert seen == [SaleCompleted, CustomerRegistered]


def test_events_raised_by_a_handler_are_handled_in_the_same_pass() -> None:
    seen: list[str] = []

    def on_sale(event: SaleCompleted, uow: Any) -> None:
        uow.raise_event(CustomerRegistered(str(event.customer_id)))

    bus = EventBus({SaleCompleted: [on_sale], CustomerRegistered: [lambda e, _u: seen.append(e.customer_id)]})
    assert bus.handle(Events([sale()])) == 2
    assert seen == ["c1"]


def test_events_are_frozen_so_no_handler_changes_what_the_next_one_sees() -> None:
    event = sale()
    with pytest.raises(AttributeError):
        event.total_fils = 0  # type: ignore[misc]


def test_a_handler_that_raises_forever_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bus_module, "MAX_EVENTS_PER_COMMIT", 50)
    bus = EventBus({SaleCompleted: [lambda e, uow: uow.raise_event(e)]})
    with pytest.raises(RuntimeError, match="loops"):
        bus.handle(Events([sale()]))
