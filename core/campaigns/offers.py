"""A campaign's offer redeemed at the till: each recipient's code, and the checks a sale makes before it gives.

The code. Every recipient a message reaches with an offer gets a code of eight characters shown as
``XXXX-XXXX``, from an alphabet without the look-alikes 0/O, 1/I/L and U/V's neighbour confusion (30 symbols,
about 39 bits). It is derived from the execution's id (itself derived from campaign, customer and occurrence),
so a rerun, a resumed run or a second executor writes the same code; nothing secret is involved, and the id
it comes from is never shown to a customer. Two recipients may, very rarely, share a code: the till then takes
the one sent to the sale's customer. The code is stored on the execution row with the last day it may be
redeemed (the send's Asia/Dubai day plus the offer's validity), in the same batch transaction.

At the till (``CampaignOffers.look_up``, inside the sale's unit of work) a code is refused, each with its own
message, when it is unknown, when its campaign is gone, when it has expired (the Asia/Dubai day, from the
clock), when the sale has no customer or another customer than the recipient (a code is personal: the
redemption is the recipient's conversion), when this recipient already redeemed it, or when the campaign has
reached its cap. Cap and "already redeemed" count what this store knows: a branch cannot know offline what
the others gave, so in a chain the cap may be passed by the redemptions made at other branches before they
sync (the redemptions ledger keeps every one, and the report counts each recipient once).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Protocol, cast

from core.campaigns.model import OfferKind
from core.campaigns.ports import CampaignUnitOfWork
from core.kernel.errors import Conflict, NotFound, ValidationError
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.ports import Clock
from core.kernel.text import ascii_digits
from core.purchases.ports import OfferTerms

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L, U
LENGTH = 8
GROUP = 4
FIELD = "offer_code"
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212_.]+")

EMPTY = QT_TRANSLATE_NOOP("core", "Type or scan the offer code.")
NOT_A_CODE = QT_TRANSLATE_NOOP("core", "An offer code has 8 letters and digits, such as K7M2-Q9XR.")
UNKNOWN = QT_TRANSLATE_NOOP("core", "No campaign offer has the code {code}.")
CAMPAIGN_GONE = QT_TRANSLATE_NOOP("core", "The campaign of the code {code} no longer exists.")
EXPIRED = QT_TRANSLATE_NOOP("core", "The offer {code} ended on {date}.")
NO_CUSTOMER = QT_TRANSLATE_NOOP("core", "Choose the customer the offer {code} was sent to first.")
OTHER_CUSTOMER = QT_TRANSLATE_NOOP("core", "The offer {code} was sent to another customer.")
ALREADY = QT_TRANSLATE_NOOP("core", "The offer {code} was already redeemed.")
CAPPED = QT_TRANSLATE_NOOP("core", "The campaign's offer has reached its limit of {cap} redemptions.")


_PAIRS = [a + b for a in ALPHABET for b in ALPHABET]  # two base-30 digits at a time: the executor's loop calls this


def offer_code(execution_id: str) -> str:
    """The recipient's code, ``XXXX-XXXX``: the same for the same execution, everywhere, every run (about
    2.5 µs: the first 64 bits of a SHA-256 of the id, in base 30)."""
    number = int.from_bytes(hashlib.sha256(b"offer-code/" + execution_id.encode()).digest()[:8], "big")
    number, a = divmod(number, 900)
    number, b = divmod(number, 900)
    number, c = divmod(number, 900)
    return f"{_PAIRS[a]}{_PAIRS[b]}-{_PAIRS[c]}{_PAIRS[number % 900]}"


def normalize_offer_code(text: str) -> str:
    """Any way a code reaches the till (lower case, spaces or dashes anywhere, Arabic-Indic or Persian digits)
    → ``XXXX-XXXX``; ValidationError for anything that cannot be one. (The Arabic keyboard layout is mapped
    back to the keys' Latin letters by the page, which knows the keyboard.)"""
    cleaned = _SEPARATORS.sub("", ascii_digits(unicodedata.normalize("NFKC", text or ""))).upper()
    if not cleaned:
        raise ValidationError(EMPTY, FIELD)
    if len(cleaned) != LENGTH or any(c not in ALPHABET for c in cleaned):
        raise ValidationError(NOT_A_CODE, FIELD)
    return f"{cleaned[:GROUP]}-{cleaned[GROUP:]}"


@dataclass(frozen=True)
class CodeHolder:
    """A recipient's execution row carrying ``code``."""

    execution_id: str
    campaign_id: str
    customer_id: str
    expires_on: date | None


@dataclass(frozen=True)
class Redemption:
    execution_id: str
    campaign_id: str
    customer_id: str
    order_id: str
    code: str
    kind: str
    discount_fils: int
    points: int


class OfferRepository(Protocol):
    def holders(self, code: str) -> list[CodeHolder]:
        """The execution rows that carry ``code`` (nearly always one)."""
        ...

    def redeemed(self, execution_id: str) -> bool:
        """Whether this store knows a redemption of this recipient's code."""
        ...

    def redemptions(self, campaign_id: str) -> int:
        """How many recipients of the campaign this store knows to have redeemed (each counted once)."""
        ...

    def add_redemption(self, redemption: Redemption) -> None: ...


class OfferUnitOfWork(CampaignUnitOfWork, Protocol):
    offers: OfferRepository


class CampaignOffers:
    """A sale's offer codes (core.purchases.ports.OfferCodes), inside the sale's own unit of work."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    def look_up(self, code: str, customer_id: str | None, uow: object) -> OfferTerms:
        work = cast(OfferUnitOfWork, uow)
        canonical = normalize_offer_code(code)
        holders = work.offers.holders(canonical)
        if not holders:
            raise NotFound(UNKNOWN, FIELD, code=canonical)
        if customer_id is None:
            raise ValidationError(NO_CUSTOMER, FIELD, code=canonical)
        mine = [h for h in holders if h.customer_id == customer_id]
        if not mine:
            raise ValidationError(OTHER_CUSTOMER, FIELD, code=canonical)
        holder = mine[0]
        try:
            campaign = work.campaigns.get(holder.campaign_id)
        except ValidationError:
            campaign = None
        offer = campaign.definition.offer if campaign is not None else None
        if campaign is None or offer is None:
            raise NotFound(CAMPAIGN_GONE, FIELD, code=canonical)
        if holder.expires_on is not None and self._clock.today() > holder.expires_on:
            raise ValidationError(EXPIRED, FIELD, code=canonical, date=holder.expires_on.isoformat())
        if work.offers.redeemed(holder.execution_id):
            raise Conflict(ALREADY, FIELD, code=canonical)
        cap = offer.cap
        if cap is not None and work.offers.redemptions(holder.campaign_id) >= cap:
            raise Conflict(CAPPED, FIELD, cap=cap)
        return OfferTerms(
            code=canonical,
            execution_id=holder.execution_id,
            campaign_id=holder.campaign_id,
            customer_id=holder.customer_id,
            kind=str(OfferKind(offer.kind)),
            value=offer.value,
        )

    def redeem(self, terms: OfferTerms, order_id: str, discount_fils: int, points: int, uow: object) -> None:
        work = cast(OfferUnitOfWork, uow)
        work.offers.add_redemption(
            Redemption(
                execution_id=terms.execution_id,
                campaign_id=terms.campaign_id,
                customer_id=terms.customer_id,
                order_id=order_id,
                code=terms.code,
                kind=terms.kind,
                discount_fils=discount_fils,
                points=points,
            )
        )
