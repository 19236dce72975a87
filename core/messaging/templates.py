"""The wording of the messages the branch sends, in Arabic and English, with named variables.

Customer-facing texts go out in the customer's language whatever language the till shows, so they are plain
strings here rather than tr() texts. A template's id derives from its key, channel and language, so every
branch that first sends it writes the same template row and replicas merge instead of colliding.

On WhatsApp a message that is not a reply within the customer's 24 h window must be an approved template:
each body here is registered at Meta under ``whatsapp_name(key)`` in both languages, with ``{{n}}`` for the
n-th of its variables in ``variables_of`` order (``whatsapp_body`` writes that text), and a message carries its
values in the same order (``fill``). The order is the one of ``VARIABLES``, the same in both languages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache

from core.customers.model import Channel
from core.kernel.ids import stable_id

TIER_UPGRADE = "loyalty.tier_upgrade"
EXPIRY_WARNING = "loyalty.points_expiry"
RECEIPT = "sale.receipt"
GIFT_CARD_RECEIVED = "giftcard.received"
# What a personal shopper sends a customer from the customer screen.
RESTOCK = "shopper.restock"
APPOINTMENT = "shopper.appointment"
THANK_YOU = "shopper.thank_you"
SHOPPER_TEMPLATES = (RESTOCK, APPOINTMENT, THANK_YOU)
# A reply to a support ticket outside the customer's 24 h window (core.tickets).
TICKET_REPLY = "ticket.reply"
# The branch manager's alerts (core.tickets): to the branch's own staff at the address it set, not a customer.
TICKET_LOW_SCORE_ALERT = "ticket.low_score_alert"
TICKET_OVERDUE_ALERT = "ticket.overdue_alert"
STAFF_TEMPLATES = (TICKET_LOW_SCORE_ALERT, TICKET_OVERDUE_ALERT)
# What a campaign (core.campaigns) sends when it has no wording of its own.
CAMPAIGN_BIRTHDAY = "campaign.birthday"
CAMPAIGN_ANNIVERSARY = "campaign.anniversary"
CAMPAIGN_WIN_BACK = "campaign.win_back"
CAMPAIGN_SEASONAL = "campaign.seasonal"
CAMPAIGN_TEMPLATES = (CAMPAIGN_BIRTHDAY, CAMPAIGN_ANNIVERSARY, CAMPAIGN_WIN_BACK, CAMPAIGN_SEASONAL)
# The survey invitations (core.feedback): the NPS question after a sale, and after a personal shopper's visit.
SURVEY_POST_PURCHASE = "feedback.post_purchase"
SURVEY_VIP_SERVICE = "feedback.vip_service"
SURVEY_TICKET = "feedback.ticket_service"  # the satisfaction question when a support ticket is resolved
SURVEY_PRODUCT_REVIEW = "feedback.product_review"  # a rating 1–5 of the main product of a sale, days later
SURVEY_GENERAL = "feedback.general"  # the general satisfaction question a manager sends to an audience
SURVEY_TEMPLATES = (SURVEY_POST_PURCHASE, SURVEY_VIP_SERVICE, SURVEY_TICKET, SURVEY_PRODUCT_REVIEW, SURVEY_GENERAL)
# A campaign's own wording is a template of its own: "campaign.<campaign id>.<variant>".
CAMPAIGN_PREFIX = "campaign."
# Offers need promotional consent and wait for the allowed hours; the others are service messages.
PROMOTIONAL = frozenset({RESTOCK, *CAMPAIGN_TEMPLATES})

LANGUAGES = ("ar", "en")
# The templates a manager can reword, in the order the editor lists them.
KEYS = (RECEIPT, TIER_UPGRADE, EXPIRY_WARNING, GIFT_CARD_RECEIVED)

# What a template may refer to, in the order a template row lists them.
VARIABLES: tuple[str, ...] = ("name", "first_name", "tier", "bonus", "balance", "points", "date")
VARIABLES += ("order_number", "total", "amount", "from_name", "note", "product", "time", "branch", "balance_aed")
VARIABLES += ("offer", "valid_until")  # a campaign's offer, in words, and the last day it may be redeemed
VARIABLES += ("code",)  # the recipient's own offer code (core.campaigns.offers)
VARIABLES += ("link",)  # a campaign's link: the recipient's short link to it (core.campaigns.links)
VARIABLES += ("survey_code",)  # a survey invitation's code, for an answer given at the till (core.feedback)
VARIABLES += ("ticket",)  # a support ticket's number

# Every message can name its customer and the branch that sent it (in the message's language).
COMMON = ("name", "first_name", "branch")
# What each template's event supplies besides COMMON: a wording may use these and no others, so a template
# is never saved that its event would leave half filled. ``balance_aed`` is what fits each message: the value
# in AED of the points balance after a tier upgrade, of the points about to expire, and the balance of a gift
# card just sold; a receipt's ``points`` are those the sale earned.
SUPPLIED: dict[str, tuple[str, ...]] = {
    TIER_UPGRADE: ("tier", "bonus", "balance", "points", "balance_aed"),
    EXPIRY_WARNING: ("points", "date", "balance_aed"),
    RECEIPT: ("order_number", "total", "points"),
    GIFT_CARD_RECEIVED: ("amount", "date", "from_name", "note", "balance_aed"),
    CAMPAIGN_BIRTHDAY: ("offer", "valid_until", "code", "link"),
    CAMPAIGN_ANNIVERSARY: ("offer", "valid_until", "code", "link"),
    CAMPAIGN_WIN_BACK: ("offer", "valid_until", "code", "link"),
    CAMPAIGN_SEASONAL: ("offer", "valid_until", "code", "link"),
    SURVEY_POST_PURCHASE: ("order_number", "survey_code"),
    SURVEY_VIP_SERVICE: ("survey_code",),
    SURVEY_TICKET: ("ticket", "survey_code"),
    SURVEY_PRODUCT_REVIEW: ("product", "survey_code"),
    SURVEY_GENERAL: ("survey_code",),
    TICKET_LOW_SCORE_ALERT: ("ticket", "note"),
    TICKET_OVERDUE_ALERT: ("ticket", "note"),
}

BODIES: dict[tuple[str, str], str] = {
    (TIER_UPGRADE, "en"): (
        "Congratulations {name}! You are now {tier} in Perfume & Oud Rewards. "
        "{bonus} bonus points have been added; your balance is {balance} points."
    ),
    (TIER_UPGRADE, "ar"): (
        "مبروك يا {name}! أصبحت الآن في الفئة {tier} في مكافآت العطور والعود. "
        "أضفنا {bonus} نقطة مكافأة، ورصيدك الآن {balance} نقطة."
    ),
    (EXPIRY_WARNING, "en"): (
        "Dear {name}, {points} of your Perfume & Oud Rewards points expire on {date}. "
        "Visit us to enjoy them before then."
    ),
    (EXPIRY_WARNING, "ar"): (
        "عزيزنا {name}، تنتهي صلاحية {points} نقطة من نقاطك في مكافآت العطور والعود بتاريخ {date}. "
        "تفضّل بزيارتنا للاستفادة منها قبل ذلك."
    ),
    (RECEIPT, "en"): (
        "Thank you {first_name}! Your order {order_number} at Perfume & Oud is confirmed: total AED {total}. "
        "Keep this message as your receipt."
    ),
    (RECEIPT, "ar"): (
        "شكراً لك يا {first_name}! تم تأكيد طلبك {order_number} من العطور والعود بمبلغ إجمالي {total} درهم. "
        "احتفظ بهذه الرسالة كإيصال."
    ),
    (GIFT_CARD_RECEIVED, "en"): (
        "Dear {first_name}, {from_name} has sent you a Perfume & Oud gift card of AED {amount}, "
        "valid until {date}. {note}"
    ),
    (GIFT_CARD_RECEIVED, "ar"): (
        "عزيزنا {first_name}، أهداك {from_name} بطاقة هدية من العطور والعود بقيمة {amount} درهم، "
        "صالحة حتى {date}. {note}"
    ),
    (RESTOCK, "en"): (
        "Good news, {first_name}: {product} is back in stock at Perfume & Oud. "
        "Reply to this message and we will keep one for you."
    ),
    (RESTOCK, "ar"): "خبر سار يا {first_name}: عاد {product} متوفراً في العطور والعود. ردّ على هذه الرسالة لنحجزه لك.",
    (APPOINTMENT, "en"): (
        "Dear {first_name}, this is a reminder of your appointment at Perfume & Oud {branch} on {date} at {time}. "
        "We look forward to seeing you."
    ),
    (APPOINTMENT, "ar"): (
        "عزيزنا {first_name}، نذكّرك بموعدك في العطور والعود {branch} يوم {date} الساعة {time}. بانتظار زيارتك."
    ),
    (TICKET_REPLY, "en"): "Dear {first_name}, about your request {ticket} at Perfume & Oud: {note}",
    (TICKET_REPLY, "ar"): "عزيزنا {first_name}، بخصوص طلبك {ticket} لدى العطور والعود: {note}",
    (THANK_YOU, "en"): "Thank you for your visit to Perfume & Oud {branch} today, {first_name}. It was a pleasure.",
    (THANK_YOU, "ar"): "شكراً لزيارتك العطور والعود {branch} اليوم يا {first_name}. سعدنا بخدمتك.",
    (CAMPAIGN_BIRTHDAY, "en"): "Happy birthday, {first_name}! Everyone at Perfume & Oud wishes you a wonderful year.",
    (CAMPAIGN_BIRTHDAY, "ar"): "عيد ميلاد سعيد يا {first_name}! أسرة العطور والعود تتمنى لك عاماً جميلاً.",
    (CAMPAIGN_ANNIVERSARY, "en"): (
        "{first_name}, it is a year more since you joined Perfume & Oud Rewards. Thank you for being with us."
    ),
    (CAMPAIGN_ANNIVERSARY, "ar"): "يا {first_name}، مرّ عام آخر على انضمامك إلى مكافآت العطور والعود. شكراً لأنك معنا.",
    (CAMPAIGN_WIN_BACK, "en"): "We miss you, {first_name}. Come and discover what is new at Perfume & Oud.",
    (CAMPAIGN_WIN_BACK, "ar"): "اشتقنا إليك يا {first_name}. تفضّل واكتشف الجديد في العطور والعود.",
    (CAMPAIGN_SEASONAL, "en"): "Season's greetings from Perfume & Oud, {first_name}.",
    (CAMPAIGN_SEASONAL, "ar"): "تهنئة من العطور والعود بهذه المناسبة يا {first_name}.",
    (SURVEY_POST_PURCHASE, "en"): (
        "Thank you for your order {order_number}, {first_name}. How likely are you to recommend Perfume & Oud "
        "to a friend? Reply with a number from 0 (not at all) to 10 (certainly). Survey {survey_code}"
    ),
    (SURVEY_POST_PURCHASE, "ar"): (
        "شكراً على طلبك {order_number} يا {first_name}. ما مدى احتمال أن توصي صديقاً بالعطور والعود؟ "
        "ردّ برقم من 0 (مستبعد تماماً) إلى 10 (بالتأكيد). الاستبيان {survey_code}"
    ),
    (SURVEY_VIP_SERVICE, "en"): (
        "Thank you for your visit to Perfume & Oud {branch}, {first_name}. How likely are you to recommend our "
        "personal shopping service to a friend? Reply with a number from 0 to 10. Survey {survey_code}"
    ),
    (SURVEY_VIP_SERVICE, "ar"): (
        "شكراً لزيارتك العطور والعود {branch} يا {first_name}. ما مدى احتمال أن توصي صديقاً بخدمة التسوق "
        "الشخصي لدينا؟ ردّ برقم من 0 إلى 10. الاستبيان {survey_code}"
    ),
    (
        TICKET_LOW_SCORE_ALERT,
        "en",
    ): "Low score from a customer: ticket {ticket} was opened ({note}). Please follow up today.",
    (TICKET_LOW_SCORE_ALERT, "ar"): "تقييم منخفض من عميل: فُتحت التذكرة {ticket} ({note}). يرجى المتابعة اليوم.",
    (TICKET_OVERDUE_ALERT, "en"): "Ticket {ticket} is overdue and has been escalated to you ({note}).",
    (TICKET_OVERDUE_ALERT, "ar"): "التذكرة {ticket} تجاوزت موعدها وصُعّدت إليك ({note}).",
    (SURVEY_TICKET, "en"): (
        "{first_name}, we have resolved your request {ticket} at Perfume & Oud. How satisfied are you with how "
        "we handled it? Reply with a number from 0 (not at all) to 10 (completely). Survey {survey_code}"
    ),
    (SURVEY_TICKET, "ar"): (
        "يا {first_name}، أنهينا طلبك {ticket} لدى العطور والعود. ما مدى رضاك عن طريقة تعاملنا معه؟ "
        "ردّ برقم من 0 (غير راضٍ إطلاقاً) إلى 10 (راضٍ تماماً). الاستبيان {survey_code}"
    ),
    (SURVEY_PRODUCT_REVIEW, "en"): (
        "{first_name}, how do you like {product} from Perfume & Oud? Reply with a number from 1 (poor) to "
        "5 (excellent). Survey {survey_code}"
    ),
    (SURVEY_PRODUCT_REVIEW, "ar"): (
        "يا {first_name}، ما رأيك في {product} من العطور والعود؟ ردّ برقم من 1 (سيئ) إلى 5 (ممتاز). "
        "الاستبيان {survey_code}"
    ),
    (SURVEY_GENERAL, "en"): (
        "{first_name}, how likely are you to recommend Perfume & Oud to a friend? Reply with a number from "
        "0 (not at all) to 10 (certainly). Survey {survey_code}"
    ),
    (SURVEY_GENERAL, "ar"): (
        "يا {first_name}، ما مدى احتمال أن توصي صديقاً بالعطور والعود؟ ردّ برقم من 0 (مستبعد تماماً) "
        "إلى 10 (بالتأكيد). الاستبيان {survey_code}"
    ),
}

# Who a gift is from when the card names nobody.
SOMEONE = {"en": "someone who thinks of you", "ar": "شخص يفكر بك"}

TIER_NAMES = {
    "en": {"bronze": "Bronze", "silver": "Silver", "gold": "Gold", "platinum": "Platinum", "diamond": "Diamond"},
    "ar": {
        "bronze": "البرونزية",
        "silver": "الفضية",
        "gold": "الذهبية",
        "platinum": "البلاتينية",
        "diamond": "الماسية",
    },
}


class Later:
    """A variable's value worked out only when a wording uses it (str.format asks for it): the branch's name
    or the worth of the points cost a look-up that the built-in wordings, and most messages, never need."""

    def __init__(self, value: Callable[[], object]) -> None:
        self._value = value

    def __format__(self, spec: str) -> str:
        return format(self._value(), spec)


@lru_cache(maxsize=512)  # a few keys x channels x languages; every receipt asks, and a uuid5 is not free
def template_id(key: str, channel: str, language: str) -> str:
    return stable_id("template", key, channel, language)


def template_ids(key: str) -> list[str]:
    """Every id ``key`` can have: one per channel and language."""
    return [template_id(key, channel.value, language) for channel in Channel for language in LANGUAGES]


@lru_cache(maxsize=1)
def staff_template_ids() -> frozenset[str]:
    """The ids of the templates sent to the branch's own staff rather than a customer (STAFF_TEMPLATES)."""
    return frozenset(i for key in STAFF_TEMPLATES for i in template_ids(key))


def body(key: str, language: str) -> str:
    return BODIES[(key, language)]


def variables_of(text: str) -> list[str]:
    return [v for v in VARIABLES if "{" + v + "}" in text]


def supplied(key: str) -> tuple[str, ...]:
    """The variables a wording of ``key`` may use."""
    return COMMON + SUPPLIED.get(key, ())


def _named(language: str, values: Mapping[str, object]) -> Mapping[str, object]:
    if "tier" not in values:
        return values  # read only: a campaign fills in thousands of messages
    filled = dict(values)
    filled["tier"] = TIER_NAMES[language].get(str(filled["tier"]), str(filled["tier"]))
    return filled


def render(key: str, language: str, values: Mapping[str, object], wording: str | None = None) -> str:
    """The template's text (``wording`` when a manager reworded it, else the built-in one) with its variables
    filled in; a tier is named in the message's language. Refuses (KeyError) a template that refers to a
    variable ``values`` lacks: a half-filled message is never queued."""
    return (body(key, language) if wording is None else wording).format_map(_named(language, values))


def parameters(key: str, language: str, values: Mapping[str, object]) -> list[str]:
    """The values of the built-in wording's variables, in its variable order: WhatsApp's body parameters of
    the template approved at Meta (a manager's rewording changes the SMS and email, not what Meta approved).
    Refuses (KeyError) a missing value, as ``render`` does."""
    named = _named(language, values)
    return [format(named[v]) for v in variables_of(body(key, language))]


def fill(key: str, language: str, values: Mapping[str, object]) -> tuple[str, list[str]]:
    """The message's text in the built-in wording, and its WhatsApp body parameters."""
    return render(key, language, values).strip(), parameters(key, language, values)


def is_promotional(key: str) -> bool:
    return key in PROMOTIONAL


def whatsapp_name(key: str) -> str:
    """The name a template is approved under at Meta unless its row names another: lowercase letters,
    digits and underscores ("loyalty.tier_upgrade" → "loyalty_tier_upgrade")."""
    return "".join(c if c.isascii() and c.isalnum() else "_" for c in key.lower())


def whatsapp_body(key: str, language: str) -> str:
    """The body to submit to Meta for approval: each variable as ``{{n}}``, numbered in ``variables_of`` order."""
    wording = body(key, language)
    for n, name in enumerate(variables_of(wording), start=1):
        wording = wording.replace("{" + name + "}", "{{" + str(n) + "}}")
    return wording
