"""A campaign as a manager defines it: what kind, who (an audience definition), what it says in each language,
which offer it carries, how it splits into A/B variants and a control group, and its status.

When it runs is core.campaigns.schedule; who runs it, and how a recipient is never reached twice, is
core.campaigns.executor. This module only checks and serialises: ``CampaignDefinition.validated`` names every
wrong field at once (ValidationErrors with translatable messages), and ``to_json``/``from_json`` give the form
kept in the ``campaigns`` register (columns ``definition`` and ``variants``), refusing a field it does not know.

The message is either a built-in campaign template (core.messaging.templates, marked promotional) or the
campaign's own wording in both languages. A wording may use only the variables a campaign supplies
(``CAMPAIGN_VARIABLES``): the customer's names, the branch, the offer's value and validity, and the campaign's
link (``{link}``: each recipient's short link in a chain, core.campaigns.links); anything else would leave a
message half filled for every recipient, so it is refused when the campaign is saved.

The offer is stored only: a till redeems it in a later change. It must carry a cap (how many may be redeemed),
so a mistyped campaign cannot give away without bound.

Variants and control: each customer is assigned deterministically from a hash of the campaign and customer ids
(``assign``), so a rerun, a restart or another executor puts them in the same arm. The control share (a
percentage) receives nothing and is recorded with the outcome ``control``: the lift is measured against it.
With two variants or more the results name the one leading on the campaign's chosen ``metric`` (read, clicked,
converted, or revenue per recipient). A campaign stored before the metric could be chosen reads as "converted".

Who writes the status: the managers (schedule, pause, resume, complete), and the executor only to mark a
one-off "completed" once its only run has reached everyone. A run writes nothing else but the occurrence it
finished (``last_occurrence``). The campaign row is a register merged per field, last writer wins
(core.kernel.replication), and in a chain the executor is head office's node, which learns of a pause at a
branch only at its next sync: had a run written "running" and then "scheduled", its later stamp would undo a
pause made meanwhile. Written this way the status field has no other writer to lose to, so a pause or a
completion stands on every replica. A paused campaign stops before its next batch wherever the pause has
arrived; one paused mid-run resumes the run it was in. A one-off whose run reached everyone before the pause
arrived at the node is completed (there was nothing left to stop) unless the pause is the later write: then it
reads paused, runs no more (its one occurrence is finished), and a manager completes it. "Running" is no longer
written; a row stored with it (a run cut short before this rule) is run and paused like a scheduled one.
"""

from __future__ import annotations

import hashlib
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from core.campaigns.audience import AudienceDefinition
from core.campaigns.calendar import Occasion
from core.campaigns.links import checked_link
from core.campaigns.schedule import Schedule
from core.kernel.errors import ValidationError, ValidationErrors
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.text import clean_text
from core.messaging.consent import MESSAGE_CHANNELS
from core.messaging.templates import CAMPAIGN_TEMPLATES, LANGUAGES
from core.messaging.templates import RESTOCK as RESTOCK_TEMPLATE

FORMAT_VERSION = 1
NAME_MAX = 120
WORDING_MAX = 1_000  # characters of one language's text: ten SMS parts in Arabic, more than WhatsApp needs
MAX_VARIANTS = 4
VARIANT_NAME_MAX = 12
MAX_CONTROL_PERCENT = 50
MAX_OFFER_VALUE = 10**9
MAX_VALIDITY_DAYS = 366
MAX_OFFER_CAP = 10**7
CONVERSION_DAYS = 7  # a purchase this many days after the send counts as the campaign's conversion
MAX_CONVERSION_DAYS = 90
PREFERRED = "preferred"  # the customer's preferred channel among those they consented to, as messaging routes

# What a campaign's wording may name: the customer, the branch, the offer it carries (its words, its last day,
# the recipient's code) and the recipient's link; a restock alert also the product that came back.
CAMPAIGN_VARIABLES = ("name", "first_name", "branch", "offer", "valid_until", "code", "link")
RESTOCK_VARIABLES = (*CAMPAIGN_VARIABLES, "product")


class CampaignKind(StrEnum):
    BIRTHDAY = "birthday"
    ANNIVERSARY = "anniversary"  # of the customer's registration
    WIN_BACK = "win_back"
    RESTOCK = "restock"
    SEASONAL = "seasonal"
    BROADCAST = "broadcast"


class CampaignStatus(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    RUNNING = "running"
    PAUSED = "paused"
    COMPLETED = "completed"


# Which status may follow which. A campaign paused while a run is under way stops before its next batch.
TRANSITIONS: dict[CampaignStatus, frozenset[CampaignStatus]] = {
    CampaignStatus.DRAFT: frozenset({CampaignStatus.SCHEDULED}),
    CampaignStatus.SCHEDULED: frozenset({CampaignStatus.RUNNING, CampaignStatus.PAUSED, CampaignStatus.DRAFT}),
    CampaignStatus.RUNNING: frozenset({CampaignStatus.SCHEDULED, CampaignStatus.PAUSED, CampaignStatus.COMPLETED}),
    CampaignStatus.PAUSED: frozenset({CampaignStatus.SCHEDULED, CampaignStatus.COMPLETED}),
    CampaignStatus.COMPLETED: frozenset(),
}


class Metric(StrEnum):
    """What the A/B variants are compared on (core.campaigns.results): a share of the recipients, or revenue."""

    READ = "read"
    CLICKED = "clicked"
    CONVERTED = "converted"
    REVENUE = "revenue"  # per recipient


class OfferKind(StrEnum):
    BONUS_POINTS = "bonus_points"  # value: points
    DISCOUNT_CODE = "discount_code"  # value: percent off
    VOUCHER = "voucher"  # value: fils


NO_NAME = QT_TRANSLATE_NOOP("core", "Give the campaign a name.")
NOT_A_KIND = QT_TRANSLATE_NOOP("core", "“{value}” is not a kind of campaign.")
NO_OCCASION = QT_TRANSLATE_NOOP("core", "A seasonal campaign needs its occasion.")
NOT_AN_OCCASION = QT_TRANSLATE_NOOP("core", "“{value}” is not an occasion of the calendar.")
BAD_CHANNEL = QT_TRANSLATE_NOOP("core", "Choose the customer's preferred channel, WhatsApp, SMS or email.")
NO_MESSAGE = QT_TRANSLATE_NOOP("core", "Choose a campaign template or write the message in Arabic and English.")
BOTH_MESSAGES = QT_TRANSLATE_NOOP("core", "Choose a template or write your own message, not both.")
UNKNOWN_TEMPLATE = QT_TRANSLATE_NOOP("core", "“{value}” is not a campaign template.")
MISSING_LANGUAGE = {
    "ar": QT_TRANSLATE_NOOP("core", "Write the message in Arabic too."),
    "en": QT_TRANSLATE_NOOP("core", "Write the message in English too."),
}
WORDING_TOO_LONG = QT_TRANSLATE_NOOP("core", "A message is at most {limit} characters long.")
UNKNOWN_VARIABLE = QT_TRANSLATE_NOOP("core", "A campaign cannot fill in “{variable}”: use {allowed}.")
BROKEN_WORDING = QT_TRANSLATE_NOOP("core", "The message has a brace that does not close a variable.")
OFFER_VARIABLE_WITHOUT_OFFER = QT_TRANSLATE_NOOP("core", "The message names the offer, but the campaign has none.")
LINK_VARIABLE_WITHOUT_LINK = QT_TRANSLATE_NOOP("core", "The message names the link, but the campaign has none.")
NOT_AN_OFFER = QT_TRANSLATE_NOOP("core", "“{value}” is not a kind of offer.")
OFFER_VALUE = QT_TRANSLATE_NOOP("core", "An offer's value is more than zero and at most {limit}.")
DISCOUNT_PERCENT = QT_TRANSLATE_NOOP("core", "A discount is from 1 to 100 percent.")
OFFER_VALIDITY = QT_TRANSLATE_NOOP("core", "An offer is valid for 1 to {limit} days.")
OFFER_CAP = QT_TRANSLATE_NOOP("core", "Set how many times the offer may be redeemed (1 to {limit}).")
TOO_MANY_VARIANTS = QT_TRANSLATE_NOOP("core", "A campaign has at most {limit} variants.")
VARIANT_NAME = QT_TRANSLATE_NOOP("core", "Each variant has its own name of 1 to {limit} characters.")
VARIANT_WEIGHT = QT_TRANSLATE_NOOP("core", "A variant's weight is a whole number from 1 to 100.")
CONTROL_SHARE = QT_TRANSLATE_NOOP("core", "The control group is from 0 to {limit} percent of the audience.")
BAD_CONVERSION_DAYS = QT_TRANSLATE_NOOP(
    "core", "A purchase counts as converted within 1 to {limit} days of the message."
)
NOT_A_METRIC = QT_TRANSLATE_NOOP("core", "Compare the variants on read, clicked, converted or revenue.")
UNREADABLE = QT_TRANSLATE_NOOP("core", "This campaign cannot be read: {detail}.")


@dataclass(frozen=True)
class Message:
    """A built-in campaign template (``template_key``), or the campaign's own wording per language (``texts``,
    with ``{first_name}`` style variables)."""

    template_key: str | None = None
    texts: Mapping[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"template_key": self.template_key, "texts": dict(self.texts)}


@dataclass(frozen=True)
class Offer:
    kind: str
    value: int  # points, percent or fils, by kind
    validity_days: int
    cap: int | None  # how many redemptions in all; required

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "value": self.value, "validity_days": self.validity_days, "cap": self.cap}


@dataclass(frozen=True)
class Variant:
    name: str
    weight: int
    message: Message

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "weight": self.weight, "message": self.message.to_json()}


CONTROL = "control"  # the arm that receives nothing


@dataclass(frozen=True)
class CampaignDefinition:
    name: str
    kind: str
    audience: AudienceDefinition = field(default_factory=AudienceDefinition)
    message: Message = field(default_factory=Message)
    channel: str = PREFERRED
    offer: Offer | None = None
    variants: tuple[Variant, ...] = ()
    control_percent: int = 0
    occasion: str | None = None  # a seasonal campaign's occasion (core.campaigns.calendar.Occasion)
    schedule: Schedule = field(default_factory=Schedule)
    conversion_days: int = CONVERSION_DAYS  # the results' attribution window (core.campaigns.results)
    link: str | None = None  # the page the campaign promotes (https); each recipient gets a short link to it
    metric: str = Metric.CONVERTED.value  # what the A/B variants are compared on (a Metric)

    def validated(self) -> CampaignDefinition:
        """The definition with its name and texts cleaned; ValidationErrors naming every wrong field."""
        errors: list[ValidationError] = []
        try:
            name = clean_text(self.name, "name", max_length=NAME_MAX, required=True) or ""
        except ValidationError:
            name = ""
        if not name:
            errors.append(ValidationError(NO_NAME, "name"))
        if self.kind not in {k.value for k in CampaignKind}:
            errors.append(ValidationError(NOT_A_KIND, "kind", value=str(self.kind)))
        if self.kind == CampaignKind.SEASONAL and not self.occasion:
            errors.append(ValidationError(NO_OCCASION, "occasion"))
        if self.occasion is not None and self.occasion not in {o.value for o in Occasion}:
            errors.append(ValidationError(NOT_AN_OCCASION, "occasion", value=str(self.occasion)))
        if self.channel != PREFERRED and self.channel not in MESSAGE_CHANNELS:
            errors.append(ValidationError(BAD_CHANNEL, "channel"))
        audience = self.audience
        try:
            audience = self.audience.validated()
        except ValidationErrors as many:
            errors.extend(many.errors)
        if self.offer is not None:
            _check_offer(self.offer, errors)
        link = self.link
        if link is not None:
            try:
                link = checked_link(link)
            except ValidationError as error:
                errors.append(error)
        messages: list[tuple[str, Message]] = []
        if self.variants:
            if len(self.variants) > MAX_VARIANTS:
                errors.append(ValidationError(TOO_MANY_VARIANTS, "variants", limit=MAX_VARIANTS))
            names = [v.name for v in self.variants]
            for variant in self.variants:
                if not 1 <= len(variant.name.strip()) <= VARIANT_NAME_MAX or names.count(variant.name) > 1:
                    errors.append(ValidationError(VARIANT_NAME, "variants", limit=VARIANT_NAME_MAX))
                    break
                if variant.name == CONTROL:
                    errors.append(ValidationError(VARIANT_NAME, "variants", limit=VARIANT_NAME_MAX))
                    break
            for variant in self.variants:
                if (
                    isinstance(variant.weight, bool)
                    or not isinstance(variant.weight, int)
                    or not 1 <= variant.weight <= 100
                ):
                    errors.append(ValidationError(VARIANT_WEIGHT, "variants"))
                messages.append((f"variants.{variant.name}", variant.message))
        else:
            messages.append(("message", self.message))
        for where, message in messages:
            _check_message(
                where,
                message,
                self.offer is not None,
                errors,
                has_link=self.link is not None,
                restock=self.kind == CampaignKind.RESTOCK,
            )
        if (
            isinstance(self.control_percent, bool)
            or not isinstance(self.control_percent, int)
            or not 0 <= self.control_percent <= MAX_CONTROL_PERCENT
        ):
            errors.append(ValidationError(CONTROL_SHARE, "control_percent", limit=MAX_CONTROL_PERCENT))
        if not _whole(self.conversion_days) or not 1 <= self.conversion_days <= MAX_CONVERSION_DAYS:
            errors.append(ValidationError(BAD_CONVERSION_DAYS, "conversion_days", limit=MAX_CONVERSION_DAYS))
        if not isinstance(self.metric, str) or self.metric not in {m.value for m in Metric}:
            errors.append(ValidationError(NOT_A_METRIC, "metric"))
        try:
            schedule = self.schedule.validated()
        except ValidationErrors as many:
            errors.extend(many.errors)
            schedule = self.schedule
        if errors:
            raise ValidationErrors(errors)
        return CampaignDefinition(
            name=name,
            kind=self.kind,
            audience=audience,
            message=_cleaned(self.message),
            channel=self.channel,
            offer=self.offer,
            variants=tuple(Variant(v.name.strip(), v.weight, _cleaned(v.message)) for v in self.variants),
            control_percent=self.control_percent,
            occasion=self.occasion,
            schedule=schedule,
            conversion_days=self.conversion_days,
            link=link,
            metric=str(self.metric),
        )

    @property
    def arms(self) -> tuple[Variant, ...]:
        """The variants that receive a message: the listed ones, or the campaign's own message as "A"."""
        return self.variants or (Variant("A", 1, self.message),)

    # -- JSON: the register's ``definition`` and ``variants`` columns ----------------------------------------------

    def definition_json(self) -> dict[str, Any]:
        data = {
            "version": FORMAT_VERSION,
            "message": self.message.to_json(),
            "channel": self.channel,
            "offer": None if self.offer is None else self.offer.to_json(),
            "control_percent": self.control_percent,
            "occasion": self.occasion,
            "conversion_days": self.conversion_days,
            "metric": self.metric,
        }
        if self.link is not None:  # head office redirects a short link to this stored value only
            data["link"] = self.link
        return data

    def variants_json(self) -> list[dict[str, Any]]:
        return [v.to_json() for v in self.variants]

    @classmethod
    def from_json(
        cls,
        name: str,
        kind: str,
        audience: object,
        definition: object,
        variants: object,
        schedule: object,
    ) -> CampaignDefinition:
        """A definition from its register row's columns, validated; an unknown field or a newer version is
        refused (ValidationError) rather than ignored."""
        data = _mapping(definition or {}, "definition")
        known = {
            "version",
            "message",
            "channel",
            "offer",
            "control_percent",
            "occasion",
            "conversion_days",
            "link",
            "metric",
        }
        _known(data, known, "definition")
        if data.get("version", FORMAT_VERSION) != FORMAT_VERSION:
            raise ValidationError(UNREADABLE, "definition", detail=f"version {data.get('version')!r}")
        offer_data = data.get("offer")
        offer = None
        if offer_data is not None:
            o = _mapping(offer_data, "offer")
            _known(o, {"kind", "value", "validity_days", "cap"}, "offer")
            offer = Offer(str(o.get("kind")), o.get("value", 0), o.get("validity_days", 0), o.get("cap"))
        if variants is not None and not isinstance(variants, list):
            raise ValidationError(UNREADABLE, "variants", detail="variants")
        arms = []
        for raw in (variants or [])[: MAX_VARIANTS + 1]:
            v = _mapping(raw, "variants")
            _known(v, {"name", "weight", "message"}, "variants")
            arms.append(Variant(str(v.get("name", "")), v.get("weight", 0), _message(v.get("message"))))
        return cls(
            name=name,
            kind=kind,
            audience=AudienceDefinition.from_json(audience or {}),
            message=_message(data.get("message")),
            channel=str(data.get("channel", PREFERRED)),
            offer=offer,
            variants=tuple(arms),
            control_percent=data.get("control_percent", 0),
            occasion=data.get("occasion"),
            schedule=Schedule.from_json(schedule or {}),
            conversion_days=data.get("conversion_days", CONVERSION_DAYS),
            link=data.get("link"),
            metric=data.get("metric", Metric.CONVERTED.value),  # absent from campaigns stored before it was chosen
        ).validated()


# -- assignment ----------------------------------------------------------------------------------------------------


def bucket(campaign_id: str, customer_id: str) -> int:
    """A number from 0 to 9999 fixed by the two ids: the same everywhere, every run."""
    digest = hashlib.sha256(f"{campaign_id}/{customer_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 10_000


def assign(campaign_id: str, customer_id: str, control_percent: int, arms: Sequence[Variant]) -> str:
    """The customer's arm: ``CONTROL`` for the first ``control_percent`` of buckets, else a variant by weight."""
    b = bucket(campaign_id, customer_id)
    if b < control_percent * 100:
        return CONTROL
    if len(arms) == 1 and arms[0].weight > 0:
        return arms[0].name  # what the draw below gives a single arm, without hashing again
    # The rest of the range is cut by weight, using a second draw so the arms do not depend on the control size.
    digest = hashlib.sha256(f"{campaign_id}/{customer_id}/variant".encode()).digest()
    point = int.from_bytes(digest[:8], "big") % sum(a.weight for a in arms)
    for arm in arms:
        if point < arm.weight:
            return arm.name
        point -= arm.weight
    return arms[-1].name


# -- checks --------------------------------------------------------------------------------------------------------


def wording_variables(text: str) -> list[str]:
    """The variables a wording names; ValueError for an unmatched brace."""
    return [name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None]


def _check_message(
    where: str,
    message: Message,
    has_offer: bool,
    errors: list[ValidationError],
    *,
    has_link: bool = False,
    restock: bool = False,
) -> None:
    """``restock``: a restock alert's message, which may also be the restock template and name the product."""
    allowed_variables = RESTOCK_VARIABLES if restock else CAMPAIGN_VARIABLES
    texts = {k: v for k, v in message.texts.items() if v and v.strip()}
    if message.template_key is None and not texts:
        errors.append(ValidationError(NO_MESSAGE, where))
        return
    if message.template_key is not None and texts:
        errors.append(ValidationError(BOTH_MESSAGES, where))
        return
    if message.template_key is not None:
        if message.template_key not in CAMPAIGN_TEMPLATES and not (
            restock and message.template_key == RESTOCK_TEMPLATE
        ):
            errors.append(ValidationError(UNKNOWN_TEMPLATE, where, value=message.template_key))
        return
    for language in LANGUAGES:
        if language not in texts:
            errors.append(ValidationError(MISSING_LANGUAGE[language], where))
    for language, text in texts.items():
        if language not in LANGUAGES:
            errors.append(ValidationError(UNREADABLE, where, detail=language[:10]))
            continue
        if len(text) > WORDING_MAX:
            errors.append(ValidationError(WORDING_TOO_LONG, where, limit=WORDING_MAX))
            continue
        try:
            names = wording_variables(text)
        except ValueError:
            errors.append(ValidationError(BROKEN_WORDING, where))
            continue
        for name in names:
            if name not in allowed_variables:
                allowed = ", ".join("{" + v + "}" for v in allowed_variables)
                errors.append(ValidationError(UNKNOWN_VARIABLE, where, variable=name, allowed=allowed))
                break
            if name in ("offer", "valid_until", "code") and not has_offer:
                errors.append(ValidationError(OFFER_VARIABLE_WITHOUT_OFFER, where))
                break
            if name == "link" and not has_link:
                errors.append(ValidationError(LINK_VARIABLE_WITHOUT_LINK, where))
                break


def _check_offer(offer: Offer, errors: list[ValidationError]) -> None:
    if offer.kind not in {k.value for k in OfferKind}:
        errors.append(ValidationError(NOT_AN_OFFER, "offer", value=str(offer.kind)))
    if not _whole(offer.value) or not 0 < offer.value <= MAX_OFFER_VALUE:
        errors.append(ValidationError(OFFER_VALUE, "offer.value", limit=MAX_OFFER_VALUE))
    elif offer.kind == OfferKind.DISCOUNT_CODE and offer.value > 100:
        errors.append(ValidationError(DISCOUNT_PERCENT, "offer.value"))
    if not _whole(offer.validity_days) or not 1 <= offer.validity_days <= MAX_VALIDITY_DAYS:
        errors.append(ValidationError(OFFER_VALIDITY, "offer.validity_days", limit=MAX_VALIDITY_DAYS))
    if offer.cap is None or not _whole(offer.cap) or not 1 <= offer.cap <= MAX_OFFER_CAP:
        errors.append(ValidationError(OFFER_CAP, "offer.cap", limit=MAX_OFFER_CAP))


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _cleaned(message: Message) -> Message:
    texts = {k: v.strip() for k, v in message.texts.items() if v and v.strip()}
    return Message(message.template_key, texts)


def _message(value: object) -> Message:
    data = _mapping(value or {}, "message")
    _known(data, {"template_key", "texts"}, "message")
    texts = _mapping(data.get("texts") or {}, "message.texts")
    key = data.get("template_key")
    if key is not None and not isinstance(key, str):
        raise ValidationError(UNREADABLE, "message", detail="template_key")
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in texts.items()):
        raise ValidationError(UNREADABLE, "message", detail="texts")
    return Message(key, dict(texts))


def _mapping(value: object, name: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValidationError(UNREADABLE, name, detail=name)
    return value


def _known(data: Mapping[str, Any], allowed: set[str], name: str) -> None:
    unknown = sorted(str(k) for k in set(data) - allowed)
    if unknown:
        raise ValidationError(UNREADABLE, name, detail=", ".join(unknown)[:100])
