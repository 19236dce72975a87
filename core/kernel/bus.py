"""The event bus: which handlers run for which domain event (cosmicpython's message bus, events only).

The composition root (storage/bootstrap.py) builds one bus from the handler tables each capability offers,
so a new capability adds its own table and never edits a central list. The unit of work calls ``handle`` as
it commits: every handler runs in the use case's transaction, and a handler that fails rolls the use case
back with it — a sale is never recorded without the messages it owes, nor the messages without the sale.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Protocol, TypeVar

from core.kernel.events import DomainEvent

E = TypeVar("E", bound=DomainEvent)

# A handler gets the event and the unit of work it was raised on; it may write through the unit of work's
# repositories and raise further events, which are handled before the commit too.
Handler = Callable[[Any, Any], None]
HandlerTable = Mapping[type[DomainEvent], Iterable[Handler]]

# Handlers raising events that raise events: a chain this long is a loop, not a use case.
MAX_EVENTS_PER_COMMIT = 10_000


class EventSource(Protocol):
    def collect_new_events(self) -> Iterator[DomainEvent]: ...


class EventBus:
    def __init__(self, *tables: HandlerTable) -> None:
        self._handlers: dict[type[DomainEvent], list[Handler]] = {}
        for table in tables:
            for kind, handlers in table.items():
                for handler in handlers:
                    self.subscribe(kind, handler)

    def subscribe(self, kind: type[E], handler: Callable[[E, Any], None]) -> None:
        """Runs ``handler`` for every event of type ``kind`` (or a subclass), after those subscribed before it."""
        self._handlers.setdefault(kind, []).append(handler)

    def handlers_for(self, event: DomainEvent) -> list[Handler]:
        found: list[Handler] = []
        for kind in type(event).__mro__:
            found.extend(self._handlers.get(kind, ()))
        return found

    def handle(self, uow: EventSource) -> int:
        """Hands every event ``uow`` has collected to its handlers, oldest first, including the events those
        handlers raise, until none is left. Returns how many events were handled."""
        handled = 0
        for event in uow.collect_new_events():
            handled += 1
            if handled > MAX_EVENTS_PER_COMMIT:
                raise RuntimeError(f"more than {MAX_EVENTS_PER_COMMIT} events in one commit: a handler loops")
            for handler in self.handlers_for(event):
                handler(event, uow)
        return handled
