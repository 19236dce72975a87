"""Recording a purchase and its returns: order, lines, tenders, points earned and spent, tier — one unit of work.

A sale refuses bad input before anything is written: negative quantities or prices, tenders that do not pay
the total, more points than the customer holds, points below the minimum, points while the branch is offline
(DESIGN.md: a decrease offline needs head office's allowance), a gift card when no gift-card service is wired.
A return gives back, in proportion to the goods returned: money to the tenders that paid, points spent, value
taken off a gift card; and takes back the points those goods earned.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date

from core.customers.model import CustomerProfile
from core.kernel.errors import NotFound, ValidationError, ValidationErrors
from core.kernel.events import ReturnRecorded, SaleCompleted
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.ports import Clock
from core.kernel.text import clean_text
from core.loyalty.ledger import (
    Ledger,
    account_totals,
    load_rules,
    lot_expiry,
    open_ledger,
    refuse_offline_redemption,
    settle_tier,
)
from core.loyalty.ports import LoyaltyUnitOfWork, LoyaltyUowFactory, OrderRecord
from core.loyalty.rules import AccountTotals, EventKind, ProgramRules, Tier, earn_points, qualifying_of, tier_for
from core.offline.allowances import Connectivity, OfflineAllowanceService, StandaloneLink
from core.purchases.model import (
    OrderKind,
    OrderLineView,
    OrderView,
    Pool,
    PricedLine,
    Quote,
    ReturnDraft,
    ReturnResult,
    SaleDraft,
    SaleResult,
    SaleTotals,
    Settlement,
    Tender,
    deduct,
    discounted,
    earning_base_fils,
    line_key,
    offer_discount_fils,
    price_lines,
    returned_line,
    settle,
    split_refund,
    totals_of,
)
from core.purchases.ports import GiftCardTender, OfferCodes, OfferTerms
from core.purchases.products import Product, by_code
from core.staff.auth import Actor, Permission

RECENT_ORDERS = 30


class PurchaseService:
    def __init__(
        self,
        uow: LoyaltyUowFactory,
        clock: Clock,
        connectivity: Connectivity | None = None,
        gift_cards: GiftCardTender | None = None,
        offline: OfflineAllowanceService | None = None,
        offers: OfferCodes | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self.connectivity: Connectivity = connectivity or StandaloneLink()
        self.gift_cards = gift_cards
        # With head office configured, points spent are decided by the offline allowance rules
        # (core.offline.allowances).
        self.offline = offline
        # A campaign's offer codes (core.campaigns.offers); None: this till takes none.
        self.offers = offers

    # -- while the sale is being put together ----------------------------------------------------------------
    def product(self, actor: Actor, scanned: str) -> Product:
        """The product whose SKU or barcode was scanned or typed at the till. Reads only; refuses an empty
        code and a code no product carries, in words the cashier can act on."""
        actor.require(Permission.RECORD_SALES)
        code = clean_text(scanned, "scan", max_length=80)
        if not code:
            raise ValidationError(QT_TRANSLATE_NOOP("core", "Scan the product, or type its SKU or barcode."), "scan")
        product = by_code(code)
        if product is None:
            raise NotFound(
                QT_TRANSLATE_NOOP("core", "No product has the code {code}. Pick it from the list or type the line."),
                "scan",
                code=code,
            )
        return product

    def quote(self, actor: Actor, draft: SaleDraft) -> Quote:
        """Totals, what is still due, change, and the points this sale would earn. Writes nothing; refuses
        only bad lines (the tenders may still be incomplete)."""
        actor.require(Permission.RECORD_SALES)
        lines = price_lines(draft.lines)
        today = self._clock.today()
        with self._uow(None) as uow:
            terms = self._offer(draft, uow)
            lines, discount, offer_points = _with_offer(lines, terms)
            totals = totals_of(lines)
            rules = load_rules(uow)
            customer = self._customer(uow, draft.customer_id) if draft.customer_id else None
            held: AccountTotals | None = None
            if customer is not None:
                account = uow.loyalty.account(customer.id)
                held = account_totals(uow, account.id, today, rules) if account else AccountTotals()
        t = draft.tenders
        points_fils = max(0, t.points) * rules.point_value_fils
        paid = max(0, t.cash_fils) + max(0, t.card_fils) + max(0, t.gift_card_fils) + points_fils
        earn = 0
        tier: Tier | None = None
        if customer is not None and held is not None:
            tier = tier_for(qualifying_of(held, rules).points, rules)
            base = earning_base_fils(totals, min(points_fils, totals.total_fils))
            earn = earn_points(base, customer.segment.value, tier, rules)
        return Quote(
            lines=tuple(lines),
            totals=totals,
            points_fils=points_fils,
            due_fils=max(0, totals.total_fils - paid),
            change_fils=max(0, min(paid - totals.total_fils, max(0, t.cash_fils))),
            points_to_earn=earn,
            balance=held.balance if held is not None else None,
            tier=tier.value if tier else None,
            point_value_fils=rules.point_value_fils,
            min_redeem_points=rules.min_redeem_points,
            discount_fils=discount,
            offer_points=offer_points,
        )

    def check_offer(self, actor: Actor, code: str, customer_id: str | None) -> OfferTerms:
        """The campaign offer ``code`` gives the sale's customer, or a DomainError saying why not (unknown,
        expired, another customer's, already redeemed, the campaign's cap reached). Writes nothing."""
        actor.require(Permission.RECORD_SALES)
        with self._uow(None) as uow:
            terms = self._offer(SaleDraft(customer_id, (), offer_code=code), uow)
        assert terms is not None
        return terms

    def _offer(self, draft: SaleDraft, uow: LoyaltyUnitOfWork) -> OfferTerms | None:
        code = draft.offer_code
        if not isinstance(code, str) or not code.strip():
            return None
        if self.offers is None:
            raise ValidationError(QT_TRANSLATE_NOOP("core", "Offer codes cannot be taken at this till."), "offer_code")
        return self.offers.look_up(code, draft.customer_id or None, uow)

    # -- the sale ----------------------------------------------------------------------------------------------
    def record_sale(self, actor: Actor, draft: SaleDraft) -> SaleResult:
        """Writes the order, its lines, the points spent and earned, any tier upgrade (bonus, cached tier,
        TierUpgraded) and SaleCompleted for whatever hangs on a sale — all in one transaction, or nothing."""
        actor.require(Permission.RECORD_SALES)
        lines = price_lines(draft.lines)
        draft = self._with_card_resolved(actor, draft)
        today, now = self._clock.today(), self._clock.now()
        with self._uow(actor) as uow:
            terms = self._offer(draft, uow)
            lines, discount, offer_points = _with_offer(lines, terms)
            totals = totals_of(lines)
            rules = load_rules(uow)
            settlement = settle(totals.total_fils, draft.tenders, rules)
            customer = self._customer(uow, draft.customer_id) if draft.customer_id else None
            self._refuse_tenders(settlement, customer, rules)
            ledger = open_ledger(uow, customer, today, rules) if customer is not None else None
            tier_before = ledger.tier(rules) if ledger else None
            if ledger is not None and settlement.points > ledger.balance:
                raise ValidationError(
                    QT_TRANSLATE_NOOP("core", "The customer holds {balance} points; redeem at most that."),
                    "points",
                    balance=ledger.balance,
                )
            number = uow.orders.next_number(OrderKind.SALE.value)
            values = _sale_values(number, customer, actor, totals, settlement)
            tenders = settlement.as_json()
            if terms is not None:
                tenders["offer"] = _offer_json(terms, discount, offer_points)
                values["tenders"] = tenders
            order_id, line_ids = uow.orders.add(values, [_line_values(line) for line in lines])
            if terms is not None and self.offers is not None:
                self.offers.redeem(terms, order_id, discount, offer_points, uow)
            if settlement.gift_card_fils and self.gift_cards is not None:
                self.gift_cards.redeem(actor, settlement.gift_card_code, settlement.gift_card_fils, order_id, uow)
            earned = bonus = 0
            tier_after: Tier | None = None
            if ledger is not None and customer is not None and tier_before is not None:
                earned, bonus, tier_after = self._move_sale_points(
                    uow, ledger, customer, rules, settlement, totals, tier_before, today, order_id
                )
                if offer_points and terms is not None:
                    # The offer's bonus lands with the sale, as a lot that expires like earned points.
                    reason = f"campaign:{terms.campaign_id}"
                    ledger.post(
                        uow,
                        EventKind.BONUS,
                        offer_points,
                        order_id=order_id,
                        reason=reason,
                        expires_on=lot_expiry(today, rules),
                    )
            branch_en, branch_ar = uow.orders.branch_names()
            uow.raise_event(
                SaleCompleted(
                    order_id,
                    number,
                    customer.id if customer else None,
                    totals.total_fils,
                    points_earned=earned,
                    points_redeemed=settlement.points,
                    customer=customer,
                )
            )
            uow.commit()
        order = OrderView(
            id=order_id,
            number=number,
            kind=OrderKind.SALE,
            created_at=now,
            customer_id=customer.id if customer else None,
            customer_name_en=customer.display_name("en") if customer else "",
            customer_name_ar=customer.display_name("ar") if customer else "",
            staff_name=actor.display_name,
            staff_name_ar=actor.display_name_ar,
            branch_name=branch_en,
            branch_name_ar=branch_ar,
            net_fils=totals.net_fils,
            vat_fils=totals.vat_fils,
            total_fils=totals.total_fils,
            tenders=tenders,
            lines=tuple(_line_view(i, line, line.quantity) for i, line in zip(line_ids, lines, strict=True)),
            points_earned=earned,
            points_redeemed=settlement.points,
            bonus_points=bonus + offer_points,
        )
        return SaleResult(
            order=order,
            points_earned=earned,
            points_redeemed=settlement.points,
            bonus_points=bonus,
            balance_after=ledger.balance if ledger else None,
            tier_before=tier_before.value if tier_before else None,
            tier_after=tier_after.value if tier_after else None,
            change_fils=settlement.change_fils,
            discount_fils=discount,
            offer_points=offer_points,
        )

    def _with_card_resolved(self, actor: Actor, draft: SaleDraft) -> SaleDraft:
        """The gift-card code checked by the gift-card service's own look-up (one lock, one counter for the
        till) and kept in canonical form, so the order stores ``PO-XXXX-XXXX-XXXX`` whatever was typed."""
        t = draft.tenders
        code = t.gift_card_code
        if self.gift_cards is None or not isinstance(code, str) or not code.strip():
            return draft
        if isinstance(t.gift_card_fils, bool) or not isinstance(t.gift_card_fils, int) or t.gift_card_fils <= 0:
            return draft  # settle() refuses a wrong amount before anything is looked up
        return replace(draft, tenders=replace(t, gift_card_code=self.gift_cards.resolve(actor, code)))

    def _refuse_tenders(self, settlement: Settlement, customer: CustomerProfile | None, rules: ProgramRules) -> None:
        """Refuses what this till cannot take, before anything is written: points without a customer, below
        the minimum or offline without an allowance, and a gift card when no gift-card service is wired."""
        if settlement.points:
            self._check_points(settlement, customer, rules)
        if settlement.gift_card_fils and self.gift_cards is None:
            raise ValidationError(
                QT_TRANSLATE_NOOP("core", "Gift cards cannot be taken at this till yet. Take another payment method."),
                "gift_card_code",
            )

    def _check_points(self, settlement: Settlement, customer: CustomerProfile | None, rules: ProgramRules) -> None:
        if customer is None:
            raise ValidationError(
                QT_TRANSLATE_NOOP("core", "Choose the customer first: points belong to a customer."), "points"
            )
        if settlement.points < rules.min_redeem_points:
            raise ValidationError(
                QT_TRANSLATE_NOOP("core", "Redeem at least {min} points at a time."),
                "points",
                min=rules.min_redeem_points,
            )
        if self.offline is None:
            refuse_offline_redemption(self.connectivity)

    def _move_sale_points(
        self,
        uow: LoyaltyUnitOfWork,
        ledger: Ledger,
        customer: CustomerProfile,
        rules: ProgramRules,
        settlement: Settlement,
        totals: SaleTotals,
        tier_before: Tier,
        today: date,
        order_id: str,
    ) -> tuple[int, int, Tier]:
        """Points spent, then points earned on what money paid (at the tier the customer had before this
        sale), then the tier settled. Returns (earned, bonus, tier after)."""
        ledger.redeem(uow, settlement.points, self.offline, order_id=order_id)
        base = earning_base_fils(totals, settlement.points_fils)
        earned = earn_points(base, customer.segment.value, tier_before, rules)
        ledger.post(uow, EventKind.EARN, earned, order_id=order_id, expires_on=lot_expiry(today, rules))
        tier_after, bonus = settle_tier(uow, ledger, customer, rules, tier_before, today, order_id)
        return earned, bonus, tier_after

    # -- returns -------------------------------------------------------------------------------------------------
    def record_return(self, actor: Actor, draft: ReturnDraft) -> ReturnResult:
        """Returns some or all of a sale's goods; refuses more than is left to return.

        A return is not always safe offline (DESIGN.md, "effects that must happen once per cause"): this till
        knows only the returns it has heard of, so while head office is out of reach it takes back only
        receipts sold at this branch, and refuses a receipt of another branch, which that branch may be taking
        back at the same moment. Whatever still goes over (a receipt returned at two branches online but
        before either synced) is kept and raised as an exception at head office."""
        actor.require(Permission.PROCESS_RETURNS)
        reason = clean_text(draft.reason, "reason", max_length=200)
        wanted = _wanted_quantities(draft)
        today = self._clock.today()
        offline = self.connectivity.is_offline()
        with self._uow(actor) as uow:
            rules = load_rules(uow)
            original = _returnable_order(uow, draft.original_order_id)
            if offline and original.branch_id and original.branch_id != actor.branch_id:
                raise ValidationError(
                    QT_TRANSLATE_NOOP(
                        "core",
                        "This receipt is from another branch, and head office cannot be reached to check whether "
                        "it was already returned there. Take it back once this branch is online again.",
                    ),
                    "order",
                )
            previous = uow.orders.returns_of(original.id)
            returned = _returned_lines(original, previous, wanted)
            refund = _refund_of(original, previous, returned, rules)
            customer = self._customer(uow, original.customer_id) if original.customer_id else None
            ledger = open_ledger(uow, customer, today, rules) if customer is not None else None
            tier_before = ledger.tier(rules) if ledger is not None else Tier.BRONZE
            back = (
                _take_back_points(uow, ledger, original, previous, refund, rules)
                if ledger is not None
                else PointsBack(refunds=refund.refunds)
            )
            refunds = back.refunds
            if refunds[Tender.GIFT_CARD] and self.gift_cards is None:
                raise ValidationError(
                    QT_TRANSLATE_NOOP(
                        "core",
                        "This sale was paid with a gift card, and gift cards cannot be handled at this till yet.",
                    ),
                    "gift_card_code",
                )
            return_id, _line_ids = uow.orders.add(
                {
                    "number": uow.orders.next_number(OrderKind.RETURN.value),
                    "customer_id": original.customer_id,
                    "kind": OrderKind.RETURN.value,
                    "original_order_id": original.id,
                    "staff_id": actor.staff_id,
                    "net_fils": refund.totals.net_fils,
                    "vat_fils": refund.totals.vat_fils,
                    "total_fils": refund.totals.total_fils,
                    "tenders": _return_tenders(refund, back, reason),
                },
                [_line_values(line) for line in returned],
            )
            if refunds[Tender.GIFT_CARD] and self.gift_cards is not None:
                code = str(original.tenders.get("gift_card_code", ""))
                self.gift_cards.refund(actor, code, refunds[Tender.GIFT_CARD], return_id, uow)
            tier_after: Tier | None = None
            if ledger is not None and customer is not None:
                expires_on = lot_expiry(today, rules)
                ledger.post(uow, EventKind.RESTORE, refund.points_restored, order_id=return_id, expires_on=expires_on)
                ledger.post(uow, EventKind.REVERSE, -back.reverse, order_id=return_id, offline_pending=offline)
                tier_after, _bonus = settle_tier(uow, ledger, customer, rules, tier_before, today, return_id)
            order = self._view(uow, return_id)
            uow.raise_event(
                ReturnRecorded(return_id, original.id, original.customer_id, refund.total_fils, back.reverse)
            )
            uow.commit()
        return ReturnResult(
            order=order,
            refunds={t.value: refunds[t] for t in Tender},
            points_restored=refund.points_restored,
            points_reversed=back.reverse,
            deducted_fils=sum(back.deducted.values()),
            balance_after=ledger.balance if ledger else None,
            tier_after=tier_after.value if tier_after else None,
        )

    # -- orders ---------------------------------------------------------------------------------------------------
    def order(self, actor: Actor, order_id: str) -> OrderView:
        actor.require(Permission.VIEW_LOYALTY)
        with self._uow(None) as uow:
            return self._view(uow, order_id)

    def find_order(self, actor: Actor, number: str) -> OrderView:
        """An order by its receipt number (as printed, any case)."""
        actor.require(Permission.VIEW_LOYALTY)
        text = (clean_text(number, "number", max_length=40, required=True) or "").upper()
        with self._uow(None) as uow:
            record = uow.orders.by_number(text)
            if record is None:
                raise NotFound(QT_TRANSLATE_NOOP("core", "No order has the number {number}."), "number", number=text)
            return self._view_of(uow, record)

    def orders_of(self, actor: Actor, customer_id: str, limit: int = RECENT_ORDERS) -> list[OrderView]:
        """The customer's latest sales and returns, newest first."""
        actor.require(Permission.VIEW_LOYALTY)
        with self._uow(None) as uow:
            return [self._view_of(uow, r) for r in uow.orders.for_customer(customer_id, limit)]

    # -- helpers ---------------------------------------------------------------------------------------------------
    @staticmethod
    def _customer(uow: LoyaltyUnitOfWork, customer_id: str | None) -> CustomerProfile:
        customer = uow.customers.get(customer_id) if customer_id else None
        if customer is None:
            raise NotFound(QT_TRANSLATE_NOOP("core", "This customer no longer exists."), "customer")
        return customer

    def _view(self, uow: LoyaltyUnitOfWork, order_id: str) -> OrderView:
        record = uow.orders.get(order_id)
        if record is None:
            raise NotFound(QT_TRANSLATE_NOOP("core", "This order no longer exists."))
        return self._view_of(uow, record)

    def _view_of(self, uow: LoyaltyUnitOfWork, record: OrderRecord) -> OrderView:
        """An order the caller has already read, with what is left to return and its points."""
        returns = uow.orders.returns_of(record.id) if record.kind == OrderKind.SALE.value else []
        pools = _pools(record, returns) if record.kind == OrderKind.SALE.value else {}
        left = {k: p.quantity - p.returned for k, p in pools.items()}
        lines = []
        for line in record.lines:
            key = line_key(line.sku, line.unit_price_fils, line.size_ml)
            returnable = min(line.quantity, left.get(key, 0))
            if key in left:
                left[key] -= returnable
            lines.append(
                OrderLineView(
                    line.id,
                    line.sku,
                    line.name,
                    line.brand,
                    line.family,
                    line.size_ml,
                    line.quantity,
                    line.unit_price_fils,
                    line.net_fils,
                    line.vat_fils,
                    returnable,
                )
            )
        earned = redeemed = bonus = 0
        name_en = name_ar = ""
        if record.customer_id:
            customer = uow.customers.get(record.customer_id)
            if customer is not None:
                name_en, name_ar = customer.display_name("en"), customer.display_name("ar")
            account = uow.loyalty.account(record.customer_id)
            if account is not None:
                for event in uow.loyalty.order_events(account.id, [record.id]):
                    if event.kind in (EventKind.EARN.value, EventKind.REVERSE.value):
                        earned += event.points
                    elif event.kind in (EventKind.REDEEM.value, EventKind.RESTORE.value):
                        redeemed -= event.points
                    elif event.kind == EventKind.BONUS.value:
                        bonus += event.points
        return OrderView(
            id=record.id,
            number=record.number,
            kind=OrderKind(record.kind),
            created_at=record.created_at,
            customer_id=record.customer_id,
            customer_name_en=name_en,
            customer_name_ar=name_ar,
            staff_name=record.staff_name,
            staff_name_ar=record.staff_name_ar,
            branch_name=record.branch_name,
            branch_name_ar=record.branch_name_ar,
            net_fils=record.net_fils,
            vat_fils=record.vat_fils,
            total_fils=record.total_fils,
            tenders=dict(record.tenders),
            lines=tuple(lines),
            original_order_id=record.original_order_id,
            points_earned=earned,
            points_redeemed=redeemed,
            bonus_points=bonus,
            return_numbers=tuple(r.number for r in returns),
        )


@dataclass(frozen=True)
class Refund:
    """Where a return's money goes back, before any points it owes are settled."""

    totals: SaleTotals  # of the returned lines: negative
    refunds: dict[Tender, int]  # positive: what each tender of the sale gets back
    points_restored: int  # points that paid for the goods, put back on the account
    returned_so_far: int  # fils of the sale returned, this return included
    final: bool  # the last of the sale's value comes back with this return

    @property
    def total_fils(self) -> int:
        return -self.totals.total_fils


@dataclass(frozen=True)
class PointsBack:
    """The points the returned goods earned, taken back: off the balance as far as it holds them, the rest
    (the shortfall) deducted from the money refunded at the points' value, any remainder written off."""

    refunds: dict[Tender, int]  # after deductions
    reverse: int = 0
    shortfall: int = 0
    deducted: dict[Tender, int] = field(default_factory=dict)
    written_off: int = 0


def _with_offer(lines: list[PricedLine], terms: OfferTerms | None) -> tuple[list[PricedLine], int, int]:
    """The lines after the offer's discount, the discount (fils off the net amount) and its bonus points."""
    if terms is None:
        return lines, 0, 0
    discount = offer_discount_fils(sum(line.net_fils for line in lines), terms.kind, terms.value)
    points = terms.value if terms.kind == "bonus_points" else 0
    return discounted(lines, discount), discount, points


def _offer_json(terms: OfferTerms, discount: int, points: int) -> dict[str, object]:
    """The order's record of the offer taken (its receipt prints it)."""
    return {
        "code": terms.code,
        "campaign_id": terms.campaign_id,
        "kind": terms.kind,
        "discount": discount,
        "points": points,
    }


def _sale_values(
    number: str, customer: CustomerProfile | None, actor: Actor, totals: SaleTotals, settlement: Settlement
) -> dict[str, object]:
    return {
        "number": number,
        "customer_id": customer.id if customer else None,
        "kind": OrderKind.SALE.value,
        "staff_id": actor.staff_id,
        "net_fils": totals.net_fils,
        "vat_fils": totals.vat_fils,
        "total_fils": totals.total_fils,
        "tenders": settlement.as_json(),
    }


def _wanted_quantities(draft: ReturnDraft) -> dict[str, int]:
    """Quantities per line of the sale; refuses a negative quantity and a return of nothing."""
    wanted: dict[str, int] = defaultdict(int)
    for item in draft.lines:
        if not isinstance(item.quantity, int) or item.quantity < 0:
            raise ValidationErrors(
                [ValidationError(QT_TRANSLATE_NOOP("core", "A quantity cannot be negative."), "quantity")]
            )
        wanted[item.line_id] += item.quantity
    if not any(wanted.values()):
        raise ValidationErrors(
            [ValidationError(QT_TRANSLATE_NOOP("core", "Choose at least one item to return."), "lines")]
        )
    return wanted


def _returnable_order(uow: LoyaltyUnitOfWork, order_id: str) -> OrderRecord:
    original = uow.orders.get(order_id)
    if original is None:
        raise NotFound(QT_TRANSLATE_NOOP("core", "This order no longer exists."))
    if original.kind != OrderKind.SALE.value:
        raise ValidationError(QT_TRANSLATE_NOOP("core", "A return cannot itself be returned."), "order")
    return original


def _returned_lines(original: OrderRecord, previous: list[OrderRecord], wanted: dict[str, int]) -> list[PricedLine]:
    """The negative lines of this return. Lines of one product at one price count as one pool, so returning
    "2 of the 3 oud" works whichever of the sale's lines the cashier picked; refuses a line not on the sale
    and more than is left of a pool."""
    pools = _pools(original, previous)
    key_of = {line.id: line_key(line.sku, line.unit_price_fils, line.size_ml) for line in original.lines}
    per_key: dict[str, int] = defaultdict(int)
    for line_id, quantity in wanted.items():
        if line_id not in key_of:
            raise ValidationError(QT_TRANSLATE_NOOP("core", "This item is not on the order being returned."), "lines")
        per_key[key_of[line_id]] += quantity
    returned: list[PricedLine] = []
    for key, quantity in per_key.items():
        pool = pools[key]
        if quantity > pool.quantity - pool.returned:
            raise ValidationError(
                QT_TRANSLATE_NOOP("core", "Only {left} of {name} can still be returned."),
                "quantity",
                left=pool.quantity - pool.returned,
                name=pool.name,
            )
        if quantity:
            returned.append(returned_line(pool, quantity))
    return returned


def _refund_of(
    original: OrderRecord, previous: list[OrderRecord], returned: list[PricedLine], rules: ProgramRules
) -> Refund:
    """The refund split across what each tender of the sale can still take back."""
    totals = totals_of(returned)
    refund_total = -totals.total_fils
    returned_so_far = sum(-r.total_fils for r in previous) + refund_total
    final = returned_so_far >= original.total_fils
    refunds = split_refund(refund_total, _remaining_tenders(original, previous), rules.point_value_fils, final=final)
    points_restored = refunds[Tender.POINTS] // rules.point_value_fils
    return Refund(totals, refunds, points_restored, returned_so_far, final)


def _take_back_points(
    uow: LoyaltyUnitOfWork,
    ledger: Ledger,
    original: OrderRecord,
    previous: list[OrderRecord],
    refund: Refund,
    rules: ProgramRules,
) -> PointsBack:
    """The sale's earned points in proportion to the value returned so far (all of them on the final
    return), less what earlier returns took back."""
    earned, reversed_before = _earned_and_reversed(uow, ledger, original, previous)
    target = earned if refund.final else earned * refund.returned_so_far // max(1, original.total_fils)
    to_reverse = max(0, target - reversed_before)
    available = max(0, ledger.balance + refund.points_restored)
    reverse = min(to_reverse, available)
    shortfall = to_reverse - reverse
    if not shortfall:
        return PointsBack(refund.refunds, reverse)
    refunds, written_off = deduct(refund.refunds, shortfall * rules.point_value_fils)
    deducted = {t: refund.refunds[t] - refunds[t] for t in Tender if refund.refunds[t] != refunds[t]}
    return PointsBack(refunds, reverse, shortfall, deducted, written_off)


def _return_tenders(refund: Refund, back: PointsBack, reason: str | None) -> dict[str, object]:
    """The return order's tenders as stored: money out per tender (negative) and how its points settled."""
    tenders: dict[str, object] = {t.value: -back.refunds[t] for t in Tender}
    tenders.update(
        points_restored=refund.points_restored,
        points_reversed=back.reverse,
        points_shortfall=back.shortfall,
        deducted={t.value: v for t, v in back.deducted.items()},
        written_off=back.written_off,
    )
    if reason:
        tenders["reason"] = reason
    return tenders


def _line_view(line_id: str, line: PricedLine, returnable: int) -> OrderLineView:
    return OrderLineView(
        line_id,
        line.sku,
        line.name,
        line.brand,
        line.family,
        line.size_ml,
        line.quantity,
        line.unit_price_fils,
        line.net_fils,
        line.vat_fils,
        returnable,
    )


def _line_values(line: PricedLine) -> dict[str, object]:
    return {
        "sku": line.sku,
        "product_name": line.name,
        "brand": line.brand,
        "family": line.family,
        "size_ml": line.size_ml,
        "quantity": line.quantity,
        "unit_price_fils": line.unit_price_fils,
        "net_fils": line.net_fils,
        "vat_fils": line.vat_fils,
    }


def _pools(original: OrderRecord, returns: list[OrderRecord]) -> dict[str, Pool]:
    pools: dict[str, Pool] = {}
    for line in original.lines:
        key = line_key(line.sku, line.unit_price_fils, line.size_ml)
        found = pools.get(key)
        if found is None:
            pools[key] = Pool(
                key,
                line.sku,
                line.name,
                line.brand,
                line.family,
                line.size_ml,
                line.unit_price_fils,
                line.quantity,
                line.vat_fils,
                0,
                line.net_fils,
            )
        else:
            pools[key] = replace(
                found,
                quantity=found.quantity + line.quantity,
                vat_fils=found.vat_fils + line.vat_fils,
                net_fils=found.net_fils + line.net_fils,
            )
    for ret in returns:
        for line in ret.lines:
            key = line_key(line.sku, line.unit_price_fils, line.size_ml)
            if key in pools:
                pools[key] = replace(pools[key], returned=pools[key].returned - line.quantity)
    return pools


def _remaining_tenders(original: OrderRecord, returns: list[OrderRecord]) -> dict[Tender, int]:
    """What each tender of the sale can still take back: paid, minus refunded, minus deducted."""
    remaining = {t: int(original.tenders.get(t.value, 0) or 0) for t in Tender}
    for ret in returns:
        deducted = ret.tenders.get("deducted", {}) or {}
        for t in Tender:
            remaining[t] -= -int(ret.tenders.get(t.value, 0) or 0) + int(deducted.get(t.value, 0) or 0)
    return remaining


def _earned_and_reversed(
    uow: LoyaltyUnitOfWork, ledger: Ledger, original: OrderRecord, returns: list[OrderRecord]
) -> tuple[int, int]:
    """Points the sale earned, and how many of them earlier returns already took back (or settled in money)."""
    events = uow.loyalty.order_events(ledger.account.id, [original.id, *(r.id for r in returns)])
    earned = sum(e.points for e in events if e.order_id == original.id and e.kind == EventKind.EARN.value)
    reversed_before = -sum(e.points for e in events if e.kind == EventKind.REVERSE.value)
    reversed_before += sum(int(r.tenders.get("points_shortfall", 0) or 0) for r in returns)
    return earned, reversed_before


__all__ = ["PurchaseService", "SaleTotals"]
