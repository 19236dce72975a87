"""What an approved erasure overwrites, row by row: one table of rules that head office (its merged rows and
the payloads of its change log) and every branch store (its rows, its search index and its own change log)
apply alike, so every replica ends with the same scrubbed rows (DESIGN.md: erasure is head office's decision,
applied everywhere by sync).

What is kept, and why: orders, order lines, gift-card and loyalty ledgers keep their amounts, dates and ids for
the VAT record-keeping period and refer to the customer by id only. Nothing in them names the customer, so they
lose no field. shared/reference/providers.md (section 9) gives the VAT facts (5 %, vouchers) but no retention
figure; the default of five years (VAT_RETENTION_YEARS, configurable at head office) is the Tax Procedures
law's minimum (Federal Law No. 7 of 2017, art. 5; the VAT law, Federal Decree-Law No. 8 of 2017, art. 78) —
to be confirmed by the chain's tax adviser. A gift card keeps its amount, code and expiry (its balance is money
the holder may still spend) and loses the buyer's and recipient's names and its message. Consent rows keep when
and how consent changed, without the address.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

ERASED_NAME_EN = "Erased customer"
ERASED_NAME_AR = "عميل محذوف"
# Years invoices and the ledgers behind them are kept after an erasure (the UAE's VAT record retention).
VAT_RETENTION_YEARS = 5

# The customer's profile after an erasure: a name that says so, everything that identifies them emptied, no
# consent left to reach them by. The number (the loyalty card's identity), segment and language stay.
CUSTOMER_ERASED: dict[str, Any] = {
    "first_name_en": ERASED_NAME_EN,
    "last_name_en": None,
    "first_name_ar": ERASED_NAME_AR,
    "last_name_ar": None,
    "mobile": None,
    "email": None,
    "emirate": None,
    "area": None,
    "address_line": None,
    "po_box": None,
    "birthday": None,
    "emirates_id": None,
    "notes": None,
    "time_zone": None,
    "consent_whatsapp": False,
    "consent_sms": False,
    "consent_email": False,
}


def _history(changes: Any) -> Any:
    """An audit entry keeps which fields changed, and loses what they held."""
    if not isinstance(changes, Mapping):
        return {}
    return {name: [None, None] for name in changes}


@dataclass(frozen=True)
class Rule:
    """How rows of ``entity`` are found for a customer, and what their identifying fields become.

    ``columns``: the entity's columns holding a customer id (none: the row is the customer); ``parent``:
    (column, entity) when the row belongs to a parent row of the customer's instead (a ticket's response, a
    message's status line)."""

    entity: str
    values: Mapping[str, Any]
    columns: tuple[str, ...] = ("customer_id",)
    parent: tuple[str, str] | None = None
    ledger: bool = False
    computed: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)


RULES: tuple[Rule, ...] = (
    Rule("customers", CUSTOMER_ERASED, columns=()),
    Rule("customer_history", {}, ledger=True, computed={"changes": _history}),
    Rule(
        "customer_preferences",
        {
            "families": [],
            "brands": [],
            "sizes_ml": [],
            "favourite_notes": [],
            "occasions": [],
            "dislikes": [],
            "intensity": None,
            "budget_min_fils": None,
            "budget_max_fils": None,
        },
    ),
    Rule(
        "communications",
        {"recipient": "", "body": "", "params": None, "interactive": None, "last_error": None},
    ),
    Rule("communication_events", {"detail": None}, columns=(), parent=("message_id", "communications"), ledger=True),
    Rule("consent_changes", {"address": None, "evidence": {}}, ledger=True),
    Rule("customer_feedback", {"comment": None}, ledger=True),
    Rule("support_tickets", {"subject": "", "description": ""}),
    Rule("ticket_responses", {"body": ""}, columns=(), parent=("ticket_id", "support_tickets"), ledger=True),
    Rule("vip_visits", {"notes": None, "mood": None, "products_tried": []}, ledger=True),
    Rule("follow_ups", {"note": None}),
    Rule("personal_shopper_assignments", {"reason": None}),
    Rule(
        "gift_cards",
        {"recipient_name": None, "from_name": None, "message": None},
        columns=("purchaser_customer_id", "recipient_customer_id"),
    ),
    Rule("erasure_requests", {"reason": ""}),
)
BY_ENTITY = {rule.entity: rule for rule in RULES}


def scrubbed(entity: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` (a whole row, or a change's partial payload) with the identifying fields it holds overwritten;
    fields it does not hold stay absent, so an update stays an update of the same fields."""
    out = dict(data)
    rule = BY_ENTITY.get(entity)
    if rule is None:
        return out
    for name, value in rule.values.items():
        if name in out:
            out[name] = value
    for name, compute in rule.computed.items():
        if name in out:
            out[name] = compute(out[name])
    return out


def customer_of(entity: str, data: Mapping[str, Any]) -> set[str]:
    """The customer ids a row's own fields name (its parent's customer is the caller's to look up)."""
    rule = BY_ENTITY.get(entity)
    if rule is None:
        return set()
    if entity == "customers":
        return {str(data["id"])} if data.get("id") else set()
    return {str(data[c]) for c in rule.columns if data.get(c)}
