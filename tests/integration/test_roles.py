"""Every service method that takes an actor, called with every role on a real store, is refused exactly where
the role table (core.staff.access) says so, and the table's documentation (docs/ROLES.md) is the table's."""

from __future__ import annotations

import dataclasses
import inspect
import typing
from collections.abc import Callable
from typing import Any

import pytest

from core.kernel.errors import PermissionDenied
from core.staff.access import ACCESS, ROLES_DOC, allowed_roles, markdown
from core.staff.auth import Actor, Role
from storage.bootstrap import Services
from tests.conftest import actor_for


def service_classes() -> dict[str, type]:
    """The services the app is built from (storage.bootstrap.Services), by field name."""
    hints = typing.get_type_hints(Services)
    found: dict[str, type] = {}
    for field in dataclasses.fields(Services):
        kind = hints[field.name]
        candidates = [kind, *typing.get_args(kind)]  # ``X | None``: X
        cls = next((c for c in candidates if inspect.isclass(c) and c is not type(None)), None)
        if cls is not None and cls.__module__.startswith("core."):
            found[field.name] = cls
    return found


def actor_methods() -> dict[str, tuple[str, str]]:
    """The "Service.method" → (the Services field, the method name) for every public method taking an actor."""
    methods: dict[str, tuple[str, str]] = {}
    for attribute, cls in service_classes().items():
        for name, fn in inspect.getmembers(cls, inspect.isfunction):
            if not name.startswith("_") and "actor" in inspect.signature(fn).parameters:
                methods[f"{cls.__name__}.{name}"] = (attribute, name)
    return methods


METHODS = actor_methods()


def test_the_walk_finds_the_services() -> None:
    assert {"CustomerService.reveal", "TicketService.assign", "AuditTrailService.entries"} <= set(METHODS)
    assert len(METHODS) > 100


def test_every_method_has_a_row_and_every_row_a_method() -> None:
    assert sorted(set(METHODS) - set(ACCESS)) == [], "add these to core.staff.access.ACCESS"
    assert sorted(set(ACCESS) - set(METHODS)) == [], "these rows name no method any more"


def test_the_roles_document_is_the_table() -> None:
    assert ROLES_DOC.read_text(encoding="utf-8") == markdown(), "run: python -m core.staff.access"


def call(fn: Callable[..., Any], actor: Actor, *, every: bool) -> BaseException | None:
    """Calls ``fn`` as ``actor`` with None for every other argument it requires (``every``: for the optional
    ones too): what a refused role sends must not matter, since the permission is checked before anything else
    is read."""
    kwargs: dict[str, Any] = {}
    for name, parameter in inspect.signature(fn).parameters.items():
        if name == "actor":
            kwargs[name] = actor
        elif every or parameter.default is inspect.Parameter.empty:
            kwargs[name] = None
    try:
        fn(**kwargs)
    except Exception as error:  # anything but PermissionDenied is the method's own business with a None
        return error
    return None


@pytest.mark.parametrize("method", sorted(METHODS))
def test_each_role_is_refused_exactly_where_the_table_says(services: Services, method: str) -> None:
    attribute, name = METHODS[method]
    fn = getattr(getattr(services, attribute), name)
    allowed = allowed_roles(method)
    wrong: list[str] = []
    for role in Role:
        for every in (False, True):  # the optional arguments at their defaults, then None as well
            outcome = call(fn, actor_for(services, role), every=every)
            refused = isinstance(outcome, PermissionDenied)
            if role in allowed and refused:
                wrong.append(f"{role.value}: refused")
            elif role not in allowed and not refused:
                wrong.append(f"{role.value}: not refused ({type(outcome).__name__ if outcome else 'ran'})")
    assert wrong == [], f"{method} (table: {sorted(r.value for r in allowed)})"
