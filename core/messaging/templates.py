"""The wording of the messages the branch sends, in Arabic and English, with named variables.

Customer-facing texts go out in the customer's language whatever language the till shows, so they are plain
strings here rather than tr() texts. A template's id derives from its key, channel and language, so every
branch that first sends it writes the same template row and replicas merge instead of colliding.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.customers.model import Channel
from core.kernel.ids import stable_id

TIER_UPGRADE = "loyalty.tier_upgrade"
EXPIRY_WARNING = "loyalty.points_expiry"
RECEIPT = "sale.receipt"
GIFT_CARD_RECEIVED = "giftcard.received"

LANGUAGES = ("ar", "en")

# What a template may refer to, in the order a template row lists them.
VARIABLES: tuple[str, ...] = ("name", "first_name", "tier", "bonus", "balance", "points", "date")
VARIABLES += ("order_number", "total", "amount", "from_name", "note")

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


def template_id(key: str, channel: str, language: str) -> str:
    return stable_id("template", key, channel, language)


def template_ids(key: str) -> list[str]:
    """Every id ``key`` can have: one per channel and language."""
    return [template_id(key, channel.value, language) for channel in Channel for language in LANGUAGES]


def body(key: str, language: str) -> str:
    return BODIES[(key, language)]


def variables_of(text: str) -> list[str]:
    return [v for v in VARIABLES if "{" + v + "}" in text]


def render(key: str, language: str, values: Mapping[str, object]) -> str:
    """The template's text with its variables filled in; a tier is named in the message's language.
    Refuses (KeyError) a template that refers to a variable ``values`` lacks: a half-filled message is
    never queued."""
    filled = dict(values)
    if "tier" in filled:
        filled["tier"] = TIER_NAMES[language].get(str(filled["tier"]), str(filled["tier"]))
    return body(key, language).format_map(filled)
