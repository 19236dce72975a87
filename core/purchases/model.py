"""A purchase at the till: lines priced with 5 % VAT per line, tenders split, and how a return is refunded.

Pure rules (no storage). Amounts are fils, points are whole points. A sale's order and lines are stored with
positive amounts; a return is an order of kind ``return`` whose lines and amounts are negative.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from core.kernel.arguments import fils_arg, int_arg, text_arg
from core.kernel.errors import ValidationError, ValidationErrors
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.money import format_aed, vat_fils
from core.kernel.text import clean_text
from core.loyalty.rules import ProgramRules, tier_rank
from core.purchases.products import Family

MAX_LINES = 50
MAX_QUANTITY = 999
MAX_UNIT_PRICE_FILS = 100_000_000  # AED 1,000,000: a typo guard, not a business limit
SKU_MAX = 40
NAME_MAX = 120
BRAND_MAX = 60


class OrderKind(StrEnum):
    SALE = "sale"
    RETURN = "return"


class Tender(StrEnum):
    CASH = "cash"
    CARD = "card"
    GIFT_CARD = "gift_card"
    POINTS = "points"


MONEY_TENDERS: tuple[Tender, ...] = (Tender.CASH, Tender.CARD, Tender.GIFT_CARD)


@dataclass(frozen=True)
class LineDraft:
    """A line as the cashier entered it; prices are net of VAT."""

    sku: str
    name: str
    brand: str = ""
    family: str = ""
    size_ml: int | None = None
    quantity: int = 1
    unit_price_fils: int = 0


@dataclass(frozen=True)
class PricedLine:
    sku: str
    name: str
    brand: str
    family: str
    size_ml: int | None
    quantity: int
    unit_price_fils: int
    net_fils: int
    vat_fils: int

    @property
    def gross_fils(self) -> int:
        return self.net_fils + self.vat_fils


@dataclass(frozen=True)
class TenderDraft:
    cash_fils: int = 0
    card_fils: int = 0
    gift_card_fils: int = 0
    gift_card_code: str = ""
    points: int = 0


@dataclass(frozen=True)
class SaleDraft:
    customer_id: str | None
    lines: tuple[LineDraft, ...]
    tenders: TenderDraft = TenderDraft()
    offer_code: str = ""  # a campaign's offer code (core.campaigns.offers), typed or scanned


@dataclass(frozen=True)
class SaleTotals:
    net_fils: int
    vat_fils: int
    total_fils: int


@dataclass(frozen=True)
class Settlement:
    """How a sale was paid. ``cash_fils`` is what the till keeps (tendered cash minus change)."""

    cash_fils: int
    card_fils: int
    gift_card_fils: int
    gift_card_code: str
    points: int
    points_fils: int
    change_fils: int

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            Tender.CASH.value: self.cash_fils,
            Tender.CARD.value: self.card_fils,
            Tender.GIFT_CARD.value: self.gift_card_fils,
            Tender.POINTS.value: self.points_fils,
            "points_redeemed": self.points,
            "change": self.change_fils,
        }
        if self.gift_card_code:
            data["gift_card_code"] = self.gift_card_code
        return data


def _line_error(message: str, index: int, name: str, **params: Any) -> ValidationError:
    return ValidationError(message, f"lines.{index}.{name}", line=index + 1, **params)


def price_line(draft: LineDraft, index: int = 0) -> PricedLine:
    """One line, validated: a name, a quantity of 1 to 999, a price not below zero, a known family."""
    errors: list[ValidationError] = []
    sku = name = brand = None
    try:
        sku = clean_text(draft.sku, f"lines.{index}.sku", max_length=SKU_MAX)
        name = clean_text(draft.name, f"lines.{index}.name", max_length=NAME_MAX)
        brand = clean_text(draft.brand, f"lines.{index}.brand", max_length=BRAND_MAX)
    except ValidationError as err:
        errors.append(err)
    if not errors and not (name or sku):
        errors.append(
            _line_error(QT_TRANSLATE_NOOP("core", "Line {line}: enter the product's name or SKU."), index, "name")
        )
    if not isinstance(draft.quantity, int) or draft.quantity <= 0:
        errors.append(
            _line_error(QT_TRANSLATE_NOOP("core", "Line {line}: the quantity must be 1 or more."), index, "quantity")
        )
    elif draft.quantity > MAX_QUANTITY:
        errors.append(
            _line_error(
                QT_TRANSLATE_NOOP("core", "Line {line}: at most {max} items on one line."),
                index,
                "quantity",
                max=MAX_QUANTITY,
            )
        )
    if not isinstance(draft.unit_price_fils, int) or draft.unit_price_fils < 0:
        errors.append(
            _line_error(QT_TRANSLATE_NOOP("core", "Line {line}: a price cannot be negative."), index, "unit_price")
        )
    elif draft.unit_price_fils > MAX_UNIT_PRICE_FILS:
        errors.append(
            _line_error(
                QT_TRANSLATE_NOOP("core", "Line {line}: check the price; it is above AED 1,000,000."),
                index,
                "unit_price",
            )
        )
    family = (draft.family or "").strip().lower()
    if family and family not in {f.value for f in Family}:
        errors.append(
            _line_error(
                QT_TRANSLATE_NOOP("core", "Line {line}: choose a fragrance family from the list."), index, "family"
            )
        )
    if draft.size_ml is not None and not 0 < draft.size_ml <= 5000:
        errors.append(_line_error(QT_TRANSLATE_NOOP("core", "Line {line}: a size is 1 to 5000 ml."), index, "size_ml"))
    if errors:
        raise ValidationErrors(errors)
    net = draft.unit_price_fils * draft.quantity
    return PricedLine(
        sku=(sku or (name or "")[:SKU_MAX]).upper(),
        name=name or sku or "",
        brand=brand or "",
        family=family,
        size_ml=draft.size_ml,
        quantity=draft.quantity,
        unit_price_fils=draft.unit_price_fils,
        net_fils=net,
        vat_fils=vat_fils(net),
    )


def price_lines(drafts: Sequence[LineDraft]) -> list[PricedLine]:
    """Every line priced, or ValidationErrors naming every bad line at once."""
    if not drafts:
        raise ValidationErrors(
            [ValidationError(QT_TRANSLATE_NOOP("core", "Add at least one product to the sale."), "lines")]
        )
    if len(drafts) > MAX_LINES:
        raise ValidationErrors(
            [ValidationError(QT_TRANSLATE_NOOP("core", "At most {max} lines on one sale."), "lines", max=MAX_LINES)]
        )
    errors: list[ValidationError] = []
    priced: list[PricedLine] = []
    for index, draft in enumerate(drafts):
        try:
            priced.append(price_line(draft, index))
        except ValidationErrors as bad:
            errors.extend(bad.errors)
    if errors:
        raise ValidationErrors(errors)
    return priced


def totals_of(lines: Iterable[PricedLine]) -> SaleTotals:
    items = list(lines)
    net = sum(line.net_fils for line in items)
    vat = sum(line.vat_fils for line in items)
    return SaleTotals(net, vat, net + vat)


# -- a campaign's offer ---------------------------------------------------------------------------------------


def offer_discount_fils(net_fils: int, kind: str, value: int) -> int:
    """What an offer takes off a sale's net amount (before VAT). A discount code is ``value`` percent of it,
    rounded half up to the fils (15 % of 333 fils is 49.95 → 50); a voucher is ``value`` fils, at most the
    net amount (a voucher gives no change); bonus points take nothing off."""
    if net_fils <= 0:
        return 0
    if kind == "discount_code":
        return min(net_fils, (net_fils * value + 50) // 100)
    if kind == "voucher":
        return min(net_fils, value)
    return 0


def discounted(lines: Sequence[PricedLine], discount_fils: int) -> list[PricedLine]:
    """The lines with ``discount_fils`` taken off their net amounts in proportion to them, VAT then charged on
    each discounted net (UAE VAT is due on the consideration actually paid). The shares are whole fils by the
    largest remainder (ties to the earlier line), so they add up to the discount exactly; no line goes below
    zero. A return then gives back a line's discounted net in proportion (``returned_line``)."""
    total = sum(line.net_fils for line in lines)
    if discount_fils <= 0 or total <= 0:
        return list(lines)
    discount_fils = min(discount_fils, total)
    shares = [discount_fils * line.net_fils // total for line in lines]
    rest = discount_fils - sum(shares)
    order = sorted(range(len(lines)), key=lambda i: (-(discount_fils * lines[i].net_fils % total), i))
    for i in order[:rest]:
        shares[i] += 1
    out = []
    for line, share in zip(lines, shares, strict=True):
        net = line.net_fils - share
        out.append(
            PricedLine(
                sku=line.sku,
                name=line.name,
                brand=line.brand,
                family=line.family,
                size_ml=line.size_ml,
                quantity=line.quantity,
                unit_price_fils=line.unit_price_fils,
                net_fils=net,
                vat_fils=vat_fils(net),
            )
        )
    return out


def settle(total_fils: int, tenders: TenderDraft, rules: ProgramRules) -> Settlement:
    """Checks that the tenders pay the total exactly; only cash may exceed it (the excess is change)."""
    amounts = {
        "cash": tenders.cash_fils,
        "card": tenders.card_fils,
        "gift_card": tenders.gift_card_fils,
        "points": tenders.points,
    }
    for name, value in amounts.items():
        # An int of fils, at most kernel.arguments.MAX_FILS a tender: a typed 2**70 is a mistake, not cash.
        if (int_arg(value, name) if name == "points" else fils_arg(value, name)) < 0:
            raise ValidationError(QT_TRANSLATE_NOOP("core", "A payment amount cannot be negative."), name)
    code = text_arg(tenders.gift_card_code, "gift_card_code").strip()
    if tenders.gift_card_fils and not code:
        raise ValidationError(
            QT_TRANSLATE_NOOP("core", "Scan or type the gift card's code to pay with it."), "gift_card_code"
        )
    points_fils = tenders.points * rules.point_value_fils
    non_cash = tenders.card_fils + tenders.gift_card_fils + points_fils
    if non_cash > total_fils:
        raise ValidationError(
            QT_TRANSLATE_NOOP(
                "core", "Card, gift card and points together pay more than the total. Only cash can give change."
            ),
            "card",
        )
    due_in_cash = total_fils - non_cash
    if tenders.cash_fils < due_in_cash:
        raise ValidationError(
            QT_TRANSLATE_NOOP("core", "{due} is still to pay. Add a payment."),
            "cash",
            due=format_aed(due_in_cash - tenders.cash_fils),
        )
    return Settlement(
        cash_fils=due_in_cash,
        card_fils=tenders.card_fils,
        gift_card_fils=tenders.gift_card_fils,
        gift_card_code=code if tenders.gift_card_fils else "",
        points=tenders.points,
        points_fils=points_fils,
        change_fils=tenders.cash_fils - due_in_cash,
    )


def earning_base_fils(totals: SaleTotals, points_fils: int) -> int:
    """The net amount points are earned on: the part of the sale not paid with points, before VAT."""
    if totals.total_fils <= 0:
        return 0
    paid_with_points_net = points_fils * totals.net_fils // totals.total_fils
    return max(0, totals.net_fils - paid_with_points_net)


# -- returns ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReturnLineDraft:
    line_id: str  # a line of the original sale
    quantity: int


@dataclass(frozen=True)
class ReturnDraft:
    original_order_id: str
    lines: tuple[ReturnLineDraft, ...]
    reason: str = ""


def line_key(sku: str, unit_price_fils: int, size_ml: int | None) -> str:
    """Lines of one sale with the same product at the same price are one pool for returns."""
    return f"{sku}|{unit_price_fils}|{size_ml or ''}"


@dataclass(frozen=True)
class Pool:
    """A product of the original sale: how many were bought, for how much, and how many came back already."""

    key: str
    sku: str
    name: str
    brand: str
    family: str
    size_ml: int | None
    unit_price_fils: int
    quantity: int
    vat_fils: int
    returned: int
    net_fils: int = -1  # what the pool's lines charged before VAT (after an offer's discount); -1: price × quantity

    @property
    def charged_net_fils(self) -> int:
        return self.unit_price_fils * self.quantity if self.net_fils < 0 else self.net_fils


def returned_line(pool: Pool, quantity: int) -> PricedLine:
    """The negative line for ``quantity`` more of a pool. The net amount and VAT are taken back in proportion,
    cumulatively, so returning everything in several goes gives back exactly what was charged (a discounted
    line gives back its discounted amount)."""
    done, after = pool.returned, pool.returned + quantity
    vat = pool.vat_fils * after // pool.quantity - pool.vat_fils * done // pool.quantity
    charged = pool.charged_net_fils
    net = charged * after // pool.quantity - charged * done // pool.quantity
    return PricedLine(
        sku=pool.sku,
        name=pool.name,
        brand=pool.brand,
        family=pool.family,
        size_ml=pool.size_ml,
        quantity=-quantity,
        unit_price_fils=pool.unit_price_fils,
        net_fils=-net,
        vat_fils=-vat,
    )


def split_refund(
    refund_fils: int, remaining: dict[Tender, int], point_value_fils: int, *, final: bool = False
) -> dict[Tender, int]:
    """How much of a return goes back to each tender of the sale, given what each can still take back.

    Proportional to what is left on each tender. Points go back in whole points (rounded down); the fils a
    whole point cannot cover are settled by the ``final`` return (the last goods back), which gives back
    everything still remaining. Never more than a tender paid; never negative.
    """
    left = sum(remaining.values())
    if final or refund_fils >= left:
        return {t: remaining.get(t, 0) for t in Tender}
    out = dict.fromkeys(Tender, 0)
    points_left = remaining.get(Tender.POINTS, 0)
    out[Tender.POINTS] = (refund_fils * points_left // left) // point_value_fils * point_value_fils
    money_left = {t: remaining.get(t, 0) for t in MONEY_TENDERS}
    money_total = sum(money_left.values())
    want = refund_fils - out[Tender.POINTS]
    if want > money_total:  # the money tenders cannot cover it: more whole points, as far as they go
        extra = min(points_left - out[Tender.POINTS], (want - money_total) // point_value_fils * point_value_fils)
        out[Tender.POINTS] += extra
        want = money_total
    if money_total:
        for tender in MONEY_TENDERS:
            out[tender] = want * money_left[tender] // money_total
        leftover = want - sum(out[t] for t in MONEY_TENDERS)
        for tender in MONEY_TENDERS:
            give = min(leftover, money_left[tender] - out[tender])
            out[tender] += give
            leftover -= give
    return out


def deduct(refunds: dict[Tender, int], fils: int) -> tuple[dict[Tender, int], int]:
    """Takes ``fils`` off the money refunds (cash, then card, then gift card); returns what could not be."""
    out = dict(refunds)
    for tender in MONEY_TENDERS:
        take = min(out[tender], fils)
        out[tender] -= take
        fils -= take
    return out, fils


# -- what the UI shows -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderLineView:
    id: str
    sku: str
    name: str
    brand: str
    family: str
    size_ml: int | None
    quantity: int
    unit_price_fils: int
    net_fils: int
    vat_fils: int
    returnable: int = 0  # for a sale's line: how many can still come back

    @property
    def gross_fils(self) -> int:
        return self.net_fils + self.vat_fils


@dataclass(frozen=True)
class OrderView:
    id: str
    number: str
    kind: OrderKind
    created_at: datetime
    customer_id: str | None
    customer_name_en: str
    customer_name_ar: str
    staff_name: str
    staff_name_ar: str
    branch_name: str
    branch_name_ar: str
    net_fils: int
    vat_fils: int
    total_fils: int
    tenders: dict[str, Any]
    lines: tuple[OrderLineView, ...]
    original_order_id: str | None = None
    points_earned: int = 0  # net of what was reversed by this order (a return's is negative)
    points_redeemed: int = 0  # net of what was restored (a return's is negative)
    bonus_points: int = 0
    return_numbers: tuple[str, ...] = ()

    def tender(self, name: Tender) -> int:
        return int(self.tenders.get(name.value, 0) or 0)


@dataclass(frozen=True)
class Quote:
    """What the till shows while a sale is being put together; nothing is written."""

    lines: tuple[PricedLine, ...]
    totals: SaleTotals
    points_fils: int
    due_fils: int  # still to pay (0 when paid)
    change_fils: int
    points_to_earn: int
    balance: int | None  # the customer's points, None without a customer
    tier: str | None
    point_value_fils: int
    min_redeem_points: int
    discount_fils: int = 0  # taken off the net amount by the offer code
    offer_points: int = 0  # bonus points the offer code adds


@dataclass(frozen=True)
class SaleResult:
    order: OrderView
    points_earned: int
    points_redeemed: int
    bonus_points: int
    balance_after: int | None
    tier_before: str | None
    tier_after: str | None
    change_fils: int
    discount_fils: int = 0
    offer_points: int = 0

    @property
    def upgraded(self) -> bool:
        if self.tier_after is None or self.tier_before is None:
            return False
        return tier_rank(self.tier_after) > tier_rank(self.tier_before)


@dataclass(frozen=True)
class ReturnResult:
    order: OrderView
    refunds: dict[str, int] = field(default_factory=dict)  # per tender, fils given back (positive)
    points_restored: int = 0
    points_reversed: int = 0
    deducted_fils: int = 0  # taken off the refund for points earned on these goods and already spent
    balance_after: int | None = None
    tier_after: str | None = None
